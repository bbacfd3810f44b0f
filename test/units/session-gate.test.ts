import { afterEach, describe, expect, it } from 'vitest';
import { createSessionGate, type SessionGate } from '../../src/auth/sessions.js';
import type { Database } from '../../src/db/index.js';
import { createLogger } from '../../src/lib/logger.js';
import { createMemoryPubSub } from '../../src/pubsub/memory.js';
import type { PubSub } from '../../src/pubsub/index.js';
import { until } from '../helpers/server.js';

const log = createLogger('silent');

/** The Session table as a set of ids; `reads` counts the queries the gate made. */
function fakeDb(rows: Set<string>) {
  const db = {
    reads: 0,
    async query<T>(sql: string, params: unknown[]): Promise<T[]> {
      if (sql.startsWith('DELETE')) {
        for (const id of params[0] as string[]) rows.delete(id);
        return [];
      }
      db.reads++;
      const ids = Array.isArray(params[0]) ? (params[0] as string[]) : [params[0] as string];
      return ids.filter((id) => rows.has(id)).map((id) => ({ id, one: 1 }) as T);
    },
  };
  return db;
}

/** A pub/sub that never delivers: this process hears of no ending, as while Redis is down. */
const deaf: PubSub = { publish: async () => {}, subscribe: async () => async () => {}, healthy: () => false, close: async () => {} };

describe('the session gate', () => {
  const gates: SessionGate[] = [];
  afterEach(async () => {
    await Promise.all(gates.splice(0).map((g) => g.close()));
  });
  const gate = async (db: ReturnType<typeof fakeDb>, checkMs: number, pubsub: PubSub = deaf) => {
    const g = await createSessionGate(db as unknown as Database, pubsub, log, { checkMs });
    gates.push(g);
    return g;
  };

  it('ends a held session whose row went away unheard within checkMs, and never one still there', async () => {
    const rows = new Set(['gone', 'stays']);
    const db = fakeDb(rows);
    const g = await gate(db, 200);
    const ended: string[] = [];
    g.onEnded((id) => ended.push(id));
    g.hold('gone');
    g.hold('stays');
    expect(await g.isOpen('gone')).toBe(true);
    rows.delete('gone');
    // Answered from what was read, until checkMs has passed.
    expect(await g.isOpen('gone')).toBe(true);
    await until(() => ended.length > 0, 2000, 'the ended session to be found');
    expect(ended).toEqual(['gone']);
    expect(await g.isOpen('gone')).toBe(false);
    expect(await g.isOpen('stays')).toBe(true);
  });

  it('re-reads held sessions at once on recheck(), and not released ones', async () => {
    const rows = new Set(['a', 'b']);
    const db = fakeDb(rows);
    const g = await gate(db, 60_000);
    const ended: string[] = [];
    g.onEnded((id) => ended.push(id));
    g.hold('a');
    const release = g.hold('b');
    release();
    rows.clear();
    await g.recheck();
    expect(ended).toEqual(['a']);
  });

  it('closes the connections of a session an HTTP request finds gone', async () => {
    const rows = new Set(['s']);
    const g = await gate(fakeDb(rows), 50_000);
    const ended: string[] = [];
    g.onEnded((id) => ended.push(id));
    g.hold('s');
    rows.delete('s');
    // The cache had no answer for it (first read), so the request reads the row and finds it gone.
    expect(await g.isOpen('s')).toBe(false);
    expect(ended).toEqual(['s']);
  });

  it('tells listeners of an ending once, however often it is heard', async () => {
    const pubsub = createMemoryPubSub(log);
    const rows = new Set(['s']);
    const g = await gate(fakeDb(rows), 60_000, pubsub);
    const ended: string[] = [];
    g.onEnded((id) => ended.push(id));
    await g.end(['s']);
    await pubsub.publish('sessions', 'ended', { sessionIds: ['s'] });
    expect(ended).toEqual(['s']);
    expect(await g.isOpen('s')).toBe(false);
  });
});
