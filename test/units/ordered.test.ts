import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/lib/logger.js';
import { createMemoryPubSub } from '../../src/pubsub/memory.js';
import { OrderedPubSub, type MessageStore } from '../../src/realtime/ordered.js';
import type { ChannelEvent, ChatMessage } from '../../src/domain/types.js';
import { until } from '../helpers/server.js';

const log = createLogger('silent');
const msg = (seq: number): ChatMessage => ({
  id: `m${seq}`,
  channelId: 'room:x',
  seq: String(seq),
  code: 0,
  senderId: 'u',
  username: 'u',
  content: { seq },
  createTime: new Date(),
  updateTime: new Date(),
  persistent: true,
  clientMessageId: null,
  mentions: [],
  replyTo: null,
  replyCount: 0,
  roomName: 'x',
  groupId: null,
  userIdOne: null,
  userIdTwo: null,
});

/** A history of `stored` messages, plus a count of database reads. */
function storeOf(stored: number[]) {
  const calls = { between: 0 };
  const store: MessageStore = {
    head: async () => 0n,
    async between(_c, after, before) {
      calls.between++;
      return stored.filter((s) => BigInt(s) > after && (before === null || BigInt(s) < before)).map(msg);
    },
  };
  return { store, calls, stored };
}

// Processes publish independently, so a subscriber process can see seq 3 before seq 2.
describe('ordered delivery per channel', () => {
  it('fills a gap from the database, drops the late duplicate, and passes the rest in order', async () => {
    const inner = createMemoryPubSub(log);
    const { store } = storeOf([1, 2, 3, 4]);
    const ordered = new OrderedPubSub(inner, store, log);
    const got: string[] = [];
    await ordered.subscribe('channel', 'room:x', (e: ChannelEvent) => e.type === 'message' && got.push(e.message.seq!));
    for (const s of [1, 3, 2, 4]) await inner.publish('channel', 'room:x', { type: 'message', message: msg(s) });
    await until(() => got.length >= 4, 2000, 'four messages');
    expect(got).toEqual(['1', '2', '3', '4']);
  });

  it('after an outage, catches up with what was stored meanwhile without waiting for the next message', async () => {
    const inner = createMemoryPubSub(log);
    const history = storeOf([1]);
    const ordered = new OrderedPubSub(inner, history.store, log);
    const got: string[] = [];
    await ordered.subscribe('channel', 'room:x', (e: ChannelEvent) => e.type === 'message' && got.push(e.message.seq!));
    await inner.publish('channel', 'room:x', { type: 'message', message: msg(1) });
    // 2 and 3 were stored while their publishes were lost.
    history.stored.push(2, 3);
    ordered.catchUp();
    await until(() => got.length >= 3, 2000, 'the caught-up messages');
    await inner.publish('channel', 'room:x', { type: 'message', message: msg(3) });
    await inner.publish('channel', 'room:x', { type: 'message', message: msg(4) });
    await until(() => got.length >= 4, 2000, 'the next live message');
    expect(got).toEqual(['1', '2', '3', '4']);
  });

  it('passes messages that were never stored, and presence events, straight through', async () => {
    const inner = createMemoryPubSub(log);
    const history = storeOf([]);
    const ordered = new OrderedPubSub(inner, history.store, log);
    const got: string[] = [];
    await ordered.subscribe('channel', 'room:x', (e: ChannelEvent) => got.push(e.type === 'message' ? e.message.id : 'presence'));
    const before = history.calls.between;
    await inner.publish('channel', 'room:x', { type: 'message', message: { ...msg(0), id: 't', seq: null, persistent: false } });
    await inner.publish('channel', 'room:x', { type: 'presence', change: { channelId: 'room:x', joins: [], leaves: [] } });
    await until(() => got.length >= 2, 2000, 'two events');
    expect(got).toEqual(['t', 'presence']);
    expect(history.calls.between).toBe(before);
  });
});
