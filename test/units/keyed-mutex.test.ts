import { describe, expect, it } from 'vitest';
import { KeyedMutex, type BatchKind } from '../../src/lib/keyed-mutex.js';

/** A task that holds its key until `open()` is called. */
function gate() {
  let open!: () => void;
  let began!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  const started = new Promise<void>((r) => (began = r));
  return { open, started, task: () => (began(), opened) };
}

/** Records every batch it runs; an item 'bad' fails alone, an item 'boom' fails its whole batch. */
function recorder(max = 100) {
  const batches: string[][] = [];
  const kind: BatchKind<string, string> = {
    max,
    async run(_key, items) {
      batches.push([...items]);
      if (items.includes('boom')) throw new Error('batch failed');
      return items.map((i) =>
        i === 'bad' ? { status: 'rejected', reason: new Error(i) } : { status: 'fulfilled', value: i.toUpperCase() },
      );
    },
  };
  return { kind, batches };
}

describe('KeyedMutex.batch (group commit)', () => {
  it('runs items that queued while the key was busy as one batch, in order, settling each on its own', async () => {
    const m = new KeyedMutex();
    const { kind, batches } = recorder();
    const g = gate();
    const held = m.run('c', g.task);
    await g.started;
    const results = ['a', 'bad', 'b'].map((i) =>
      m.batch('c', kind, i).then(
        (v) => v,
        (e: Error) => `refused ${e.message}`,
      ),
    );
    expect(m.queued('c')).toBe(3);
    g.open();
    await held;
    expect(await Promise.all(results)).toEqual(['A', 'refused bad', 'B']);
    expect(batches).toEqual([['a', 'bad', 'b']]);
    expect(m.queued('c')).toBe(0);
  });

  it('never lets an item overtake a task queued before it, nor a task overtake an earlier item', async () => {
    const m = new KeyedMutex();
    const { kind, batches } = recorder();
    const order: string[] = [];
    const g = gate();
    const held = m.run('c', g.task);
    const all = [
      m.batch('c', kind, 'a').then((v) => order.push(v)),
      m.run('c', async () => void order.push('task')),
      m.batch('c', kind, 'b').then((v) => order.push(v)),
      m.batch('c', kind, 'c').then((v) => order.push(v)),
    ];
    g.open();
    await Promise.all([held, ...all]);
    expect(batches).toEqual([['a'], ['b', 'c']]);
    expect(order).toEqual(['A', 'task', 'B', 'C']);
  });

  it('keeps keys apart, caps a batch at max items, and fails every item of a batch that throws', async () => {
    const m = new KeyedMutex();
    const { kind, batches } = recorder(2);
    const g = gate();
    const held = m.run('c', g.task);
    const capped = ['a', 'b', 'c'].map((i) => m.batch('c', kind, i));
    const other = m.batch('d', kind, 'x');
    expect(await other).toBe('X'); // 'd' is not held by 'c''s task
    const failed = ['boom', 'y'].map((i) => m.batch('e', kind, i).catch((e: Error) => e.message));
    expect(await Promise.all(failed)).toEqual(['batch failed', 'batch failed']);
    g.open();
    await held;
    expect(await Promise.all(capped)).toEqual(['A', 'B', 'C']);
    expect(batches).toEqual([['x'], ['boom', 'y'], ['a', 'b'], ['c']]);
  });
});
