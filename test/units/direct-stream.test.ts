import { describe, expect, it } from 'vitest';
import { GraphQLError } from 'graphql';
import { BoundedQueue } from '../../src/lib/queue.js';
import { DirectStream } from '../../src/transport/ws/direct-stream.js';

const overflow = () => new Error('behind');
const masked = (e: unknown) => new GraphQLError(`masked: ${e instanceof Error ? e.message : String(e)}`);

/** A sink that records what it was given, and refuses once `room` frames were written. */
function sinkOf(room = Infinity) {
  const written: string[] = [];
  return { written, write: (p: Buffer) => (written.length < room ? (written.push(p.toString()), true) : false) };
}

const later = (text: string, ms: number) => new Promise<Buffer>((resolve) => setTimeout(() => resolve(Buffer.from(text)), ms));

describe('DirectStream (the WebSocket fast path of a subscription)', () => {
  it('writes payloads in event order when some are still being computed', async () => {
    const queue = new BoundedQueue<number>(10, overflow);
    const sink = sinkOf();
    // Event 1's payload takes longest; 2 is ready at once, 3 in between: all must still leave as 1, 2, 3.
    const payloads: Record<number, Buffer | Promise<Buffer>> = { 1: later('one', 30), 2: Buffer.from('two'), 3: later('three', 10) };
    const stream = new DirectStream(queue, sink, (e) => payloads[e as number]!, masked);
    queue.push(1);
    queue.push(2);
    queue.push(3);
    await expect.poll(() => sink.written, { timeout: 2000 }).toEqual(['one', 'two', 'three']);
    // Once the backlog is written, a ready payload goes at once again.
    payloads[4] = Buffer.from('four');
    queue.push(4);
    expect(sink.written).toEqual(['one', 'two', 'three', 'four']);
    queue.end();
    await expect(stream.next()).resolves.toEqual({ value: undefined, done: true });
  });

  it('ends with the masked error when the connection cannot take more, and stops writing', async () => {
    const queue = new BoundedQueue<number>(10, overflow);
    const sink = sinkOf(1);
    const stream = new DirectStream(queue, sink, (e) => Buffer.from(String(e)), masked);
    const next = stream.next();
    queue.push(1);
    queue.push(2);
    queue.push(3);
    await expect(next).rejects.toThrow('masked: Subscription ended: the connection fell too far behind.');
    expect(sink.written).toEqual(['1']);
  });

  it('ends the source when the client completes the subscription', async () => {
    const queue = new BoundedQueue<number>(10, overflow);
    const ended: string[] = [];
    queue.onEnd(() => ended.push('source'));
    const stream = new DirectStream(queue, sinkOf(), (e) => Buffer.from(String(e)), masked);
    await stream.return();
    expect(ended).toEqual(['source']);
    await expect(stream.next()).resolves.toEqual({ value: undefined, done: true });
  });
});
