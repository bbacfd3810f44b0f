import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Client } from 'graphql-ws';
import { Redis } from 'ioredis';
import { dropRedisPrefix, freshDatabase } from '../helpers/backends.js';
import { clusterEnv, startNode, type NodeProcess } from '../helpers/nodes.js';
import { contents } from '../helpers/random-json.js';
import {
  JoinDirectDocument,
  MarkChannelReadDocument,
  OnActivityDocument,
  OnInboxDocument,
  SendTypingDocument,
} from '../generated/operations.js';
import { anotherSession, historyIds, joinRoom, Q, send, subscribe, uniqueName, until, type Session, errorCode } from '../helpers/server.js';

const DATABASE = process.env.TEST_DATABASE_URL;
const REDIS = process.env.TEST_REDIS_URL;
// Short enough to keep the crash test quick, long enough that a process starved
// of CPU by the parallel test run (2 cores) is not taken for dead: a 1 s expiry
// did that once, and the live session's presence ended mid-test.
const TIMING = { NODE_HEARTBEAT_MS: 250, NODE_EXPIRY_MS: 4000, PRESENCE_GRACE_MS: 4000 };
/** After a crash, every leave is due within this long (see docs/scaling-out.md). */
const CRASH_BOUND_MS = Math.max(TIMING.NODE_EXPIRY_MS, TIMING.PRESENCE_GRACE_MS) + TIMING.NODE_HEARTBEAT_MS;

/** Resolves once the client's socket is open and acknowledged (an open socket keeps a session live). */
function connected(client: Client): Promise<void> {
  return new Promise((resolve, reject) => {
    client.on('connected', () => resolve());
    client.on('closed', (e) => reject(new Error(`socket closed: ${JSON.stringify(e)}`)));
  });
}

// .ci/run always sets both URLs and fails when the services are missing; a
// developer's plain `npm test` without them skips this file.
describe.skipIf(!DATABASE || !REDIS)('three server processes on PostgreSQL and Redis', () => {
  let a: NodeProcess, b: NodeProcess, c: NodeProcess;
  let drop: () => Promise<void>;
  let prefix = '';

  beforeAll(async () => {
    const db = await freshDatabase(DATABASE!);
    const env = clusterEnv(db.url, REDIS!, Object.fromEntries(Object.entries(TIMING).map(([k, v]) => [k, String(v)])));
    prefix = env.REDIS_PREFIX!;
    drop = db.drop;
    [a, b, c] = await Promise.all([startNode('A', env), startNode('B', env), startNode('C', env)]);
  });
  afterAll(async () => {
    await Promise.all([a, b, c].map((n) => n?.stop()));
    await drop?.();
    if (prefix) await dropRedisPrefix(REDIS!, prefix);
  });
  beforeEach(async () => {
    for (const n of [a, b, c]) {
      await n.closeClients();
      if ((await n.health()) !== null) await n.subscriptions(0);
    }
  });

  /** A signed-in session with an open socket on `node`, joined to the room over HTTP on `joinVia`. */
  async function member(node: NodeProcess, room: string, joinVia = node) {
    const s = await node.signIn();
    const client = node.ws(s);
    await connected(client);
    const channelId = await joinRoom(joinVia, s, room);
    return { s, client, channelId };
  }

  const presenceIds = async (node: NodeProcess, s: Session, channelId: string) =>
    ((await node.gql(Q.presences, { c: channelId }, s.token)).data.channelPresences as { sessionId: string }[])
      .map((p) => p.sessionId)
      .sort();

  it('delivers messages sent on two processes to subscribers on the others once each, in history order', async () => {
    const room = uniqueName('room');
    const ada = await member(a, room);
    const bob = await member(b, room);
    const carol = await member(c, room);
    const channelId = ada.channelId;
    const onB = subscribe(bob.client, Q.onMessage, { c: channelId });
    const onC = subscribe(carol.client, Q.onMessage, { c: channelId });
    const alsoOnB = subscribe(b.ws(bob.s), Q.onMessage, { c: channelId });
    await b.subscriptions(2);
    await c.subscriptions(1);
    // One Redis subscription per process with local subscribers, however many those are.
    const redis = new Redis(REDIS!);
    const [, count] = (await redis.pubsub('NUMSUB', `${prefix}channel:${channelId}`)) as [string, number];
    redis.disconnect();
    expect(count).toBe(2);
    alsoOnB.close();
    await b.subscriptions(1);

    // Two processes publish into one channel at once, ten sends in flight each,
    // so their events interleave on Redis out of sequence order.
    const burst = async (node: NodeProcess, s: Session, tag: string) => {
      for (let i = 0; i < 60; i += 10) await Promise.all(Array.from({ length: 10 }, (_, j) => send(node, s, channelId, { tag, i: i + j })));
    };
    await Promise.all([burst(a, ada.s, 'a'), burst(b, bob.s, 'b')]);
    const stored = await historyIds(a, ada.s, channelId);
    expect(stored).toHaveLength(120);
    for (const sub of [onB, onC]) {
      const got: string[] = [];
      for (let i = 0; i < 120; i++) got.push((await sub.next()).id);
      expect(got).toEqual(stored);
    }
    // Nothing more (no duplicate) before a marker sent afterwards.
    const marker = await send(c, carol.s, channelId, { marker: true });
    expect((await onB.next()).id).toBe(marker.messageId);
    expect((await onC.next()).id).toBe(marker.messageId);
  });

  it('delivers content exactly as sent to subscribers on the sending process and another, as history holds it', async () => {
    const room = uniqueName('room');
    const ada = await member(a, room);
    const bob = await member(b, room);
    const onA = subscribe(ada.client, Q.onMessage, { c: ada.channelId });
    const onB = subscribe(bob.client, Q.onMessage, { c: ada.channelId });
    await a.subscriptions(1);
    await b.subscriptions(1);
    // Within the default MAX_MESSAGE_BYTES the nodes run with.
    const sent = contents(Number(process.env.TEST_SEED ?? 20261207), 40, 4096);
    for (const content of sent) await send(a, ada.s, ada.channelId, content);
    const history = (await a.gql(Q.history, { c: ada.channelId, first: 100, forward: true }, ada.s.token)).data.channelMessages.edges;
    expect(history.map((e: any) => e.node.content)).toEqual(sent);
    for (const [where, sub] of [
      ['A', onA],
      ['B', onB],
    ] as const)
      for (const [n, content] of sent.entries()) expect((await sub.next()).content, `on ${where}: message ${n}`).toEqual(content);
  });

  it('agrees on presence everywhere, announces each change once, and serves an HTTP join on one process with the socket on another', async () => {
    const room = uniqueName('room');
    const wb = await member(b, room);
    const wc = await member(c, room);
    const channelId = wb.channelId;
    const watchB = subscribe(wb.client, Q.onPresence, { c: channelId });
    const watchC = subscribe(wc.client, Q.onPresence, { c: channelId });
    await b.subscriptions(1);
    await c.subscriptions(1);

    // Eve joins over HTTP on A; her socket and subscription are on B.
    const eve = await member(b, room, a);
    for (const w of [watchB, watchC]) expect(await w.next()).toMatchObject({ joins: [{ sessionId: eve.s.sessionId }], leaves: [] });
    const lists = await Promise.all([a, b, c].map((n) => presenceIds(n, wb.s, channelId)));
    expect(lists[0]).toEqual([wb.s.sessionId, wc.s.sessionId, eve.s.sessionId].sort());
    expect(lists[1]).toEqual(lists[0]);
    expect(lists[2]).toEqual(lists[0]);

    const eveMessages = subscribe(eve.client, Q.onMessage, { c: channelId });
    await b.subscriptions(2);
    const sent = await send(c, wc.s, channelId, { to: 'eve' });
    expect((await eveMessages.next()).id).toBe(sent.messageId);

    // She leaves over HTTP on C: one leave event per watcher, then the next change is the marker.
    await c.gql(Q.leave, { c: channelId }, eve.s.token);
    for (const w of [watchB, watchC]) expect(await w.next()).toMatchObject({ joins: [], leaves: [{ sessionId: eve.s.sessionId }] });
    const marker = await member(a, room);
    for (const w of [watchB, watchC]) expect(await w.next()).toMatchObject({ joins: [{ sessionId: marker.s.sessionId }], leaves: [] });
    const after = await Promise.all([a, b, c].map((n) => presenceIds(n, wb.s, channelId)));
    expect(new Set(after.map((l) => JSON.stringify(l))).size).toBe(1);
    expect(after[0]).not.toContain(eve.s.sessionId);
  });

  it('follows channels joined later on another process in a subscription without channelId', async () => {
    const room = uniqueName('room');
    const ada = await member(a, room);
    const zoe = await b.signIn();
    const zoeWs = b.ws(zoe);
    await connected(zoeWs);
    const all = subscribe(zoeWs, Q.onMessage, {});
    await b.subscriptions(1);
    // Zoe joins over HTTP on C; her subscription on B picks the channel up from the session topic.
    await joinRoom(c, zoe, room);
    const first = await send(a, ada.s, ada.channelId, { n: 1 });
    expect((await all.next()).id).toBe(first.messageId);
    await c.gql(Q.leave, { c: ada.channelId }, zoe.token);
    await send(a, ada.s, ada.channelId, { n: 2 });
    const other = await member(a, uniqueName('room'));
    await joinRoom(a, zoe, other.channelId.slice('room:'.length));
    const marker = await send(a, other.s, other.channelId, { marker: true });
    // Nothing from the channel she left: the next event is the marker from the one she joined.
    expect((await all.next()).id).toBe(marker.messageId);
  });

  it('keeps a user’s inbox live on every process: a message sent on one, a mark set on another', async () => {
    const room = uniqueName('room');
    const ada = await member(a, room);
    const bob = await member(b, room);
    const laptop = subscribe(bob.client, OnInboxDocument);
    await b.subscriptions(1);
    // The same user on a third process, as a phone would be.
    const phone = await anotherSession(c, bob.s);
    const phoneWs = c.ws(phone);
    await connected(phoneWs);
    const phoneFeed = subscribe(phoneWs, OnInboxDocument);
    await c.subscriptions(1);
    const sent = await send(a, ada.s, ada.channelId, { text: 'across processes' });
    for (const feed of [laptop, phoneFeed]) {
      expect(await feed.next()).toMatchObject({ channelId: ada.channelId, unreadCount: 1, lastMessage: { id: sent.messageId } });
    }
    await c.gql(MarkChannelReadDocument, { c: ada.channelId }, phone.token);
    expect(await laptop.next()).toMatchObject({ channelId: ada.channelId, unreadCount: 0, lastReadMessageId: sent.messageId });
  });

  it('shows typing on every process, and a renewal through another process within 2 s is not shown again', async () => {
    const room = uniqueName('room');
    const ada = await member(a, room);
    const bob = await member(b, room);
    const activity = subscribe(bob.client, OnActivityDocument, { c: ada.channelId });
    await b.subscriptions(1);
    await a.gql(SendTypingDocument, { c: ada.channelId }, ada.s.token);
    expect(await activity.next()).toMatchObject({ userId: ada.s.userId, typing: true });
    // The same session renews through B, then stops through C: one start, one stop.
    expect((await b.gql(SendTypingDocument, { c: ada.channelId }, ada.s.token)).data).toEqual({ sendTyping: true });
    await c.gql(SendTypingDocument, { c: ada.channelId, typing: false }, ada.s.token);
    expect(await activity.next()).toMatchObject({ userId: ada.s.userId, typing: false });
  });

  it('sends one read receipt for marks set through two processes within a second, carrying the later one', async () => {
    const ada = await a.signIn();
    const bob = await b.signIn();
    const channelId = (await a.gql(JoinDirectDocument, { u: bob.userId }, ada.token)).data.joinChat.id;
    await b.gql(JoinDirectDocument, { u: ada.userId }, bob.token);
    const first = await send(a, ada, channelId, { n: 1 });
    const second = await send(a, ada, channelId, { n: 2 });
    const adaWs = c.ws(ada);
    await connected(adaWs);
    await c.gql(Q.join, { t: bob.userId, type: 'DIRECT', p: true, h: false }, ada.token);
    const activity = subscribe(adaWs, OnActivityDocument, { c: channelId });
    await c.subscriptions(1);
    await a.gql(MarkChannelReadDocument, { c: channelId, m: first.messageId }, bob.token);
    await b.gql(MarkChannelReadDocument, { c: channelId, m: second.messageId }, bob.token);
    expect(await activity.next()).toMatchObject({ __typename: 'ReadEvent', userId: bob.userId, lastReadMessageId: second.messageId });
    await b.gql(SendTypingDocument, { c: channelId }, bob.token);
    expect(await activity.next()).toMatchObject({ __typename: 'TypingEvent', userId: bob.userId });
  });

  it('resumes with `after` on another process under a steady stream of sends, with no gap and no duplicate', async () => {
    const room = uniqueName('room');
    const ada = await member(a, room);
    const bob = await member(b, room);
    const carol = await member(c, room);
    const channelId = ada.channelId;
    let sending = true;
    let sent = 0;
    const stream = async (node: NodeProcess, s: Session) => {
      while (sending) {
        await send(node, s, channelId, { n: sent++ });
      }
    };
    // Live before the first send: everything stored from then on must reach carol once, first live, then resumed.
    const first = subscribe(carol.client, Q.onMessage, { c: channelId });
    await c.subscriptions(1);
    const senders = Promise.all([stream(a, ada.s), stream(b, bob.s)]);
    try {
      const part1: any[] = [];
      for (let i = 0; i < 15; i++) part1.push(await first.next());
      // The connection drops; the stream goes on without this client.
      await c.closeClients();
      const seenAtDrop = sent;
      await until(() => sent >= seenAtDrop + 20, 10_000, 'more sends during the drop');

      const again = b.ws(carol.s);
      const resumed = subscribe(again, Q.onMessage, { c: channelId, after: part1.at(-1).cursor });
      const part2: any[] = [];
      for (let i = 0; i < 40; i++) part2.push(await resumed.next());
      sending = false;
      await senders;
      const stored = await historyIds(a, ada.s, channelId);
      while (part1.length + part2.length < stored.length) part2.push(await resumed.next());
      expect([...part1, ...part2].map((m) => m.id)).toEqual(stored);
    } finally {
      sending = false;
      await senders;
    }
  });

  it('signing out on one process closes the session’s socket on another (4401), and every process refuses its token', async () => {
    const room = uniqueName('room');
    const { s, client } = await member(b, room);
    const closed = new Promise<number>((resolve) => client.on('closed', (e) => resolve((e as CloseEvent).code)));
    expect((await a.gql(`mutation { signOut }`, {}, s.token)).data).toEqual({ signOut: true });
    expect(await closed).toBe(4401);
    for (const n of [a, b, c]) expect(errorCode(await n.gql(`{ me { id } }`, {}, s.token))).toBe('UNAUTHENTICATED');
  });

  it('after kill -9 of a process, the others announce its sessions leaving within the configured bound', async () => {
    const room = uniqueName('room');
    const wa = await member(a, room);
    const wb = await member(b, room);
    const channelId = wa.channelId;
    const watchers = [subscribe(wa.client, Q.onPresence, { c: channelId }), subscribe(wb.client, Q.onPresence, { c: channelId })];
    await a.subscriptions(1);
    await b.subscriptions(1);
    // One victim joined on C itself, one joined over HTTP on A with its socket on C.
    const v1 = await member(c, room);
    const v2 = await member(c, room, a);
    const victims = [v1.s.sessionId, v2.s.sessionId].sort();
    for (const w of watchers) {
      const joined = [...(await w.next()).joins, ...(await w.next()).joins].map((p: any) => p.sessionId).sort();
      expect(joined).toEqual(victims);
    }

    const killedAt = Date.now();
    await c.crash();
    for (const w of watchers) {
      const left: string[] = [];
      while (left.length < 2) {
        const e = await w.next(CRASH_BOUND_MS + 10_000);
        expect(e.joins).toEqual([]);
        left.push(...e.leaves.map((p: any) => p.sessionId));
      }
      expect(left.sort()).toEqual(victims);
    }
    const elapsed = Date.now() - killedAt;
    console.info(`crash cleanup: leaves arrived ${elapsed} ms after SIGKILL (bound ${CRASH_BOUND_MS} ms)`);
    // Each leave was announced once: the next change is the marker join.
    const marker = await member(b, room);
    for (const w of watchers) expect(await w.next()).toMatchObject({ joins: [{ sessionId: marker.s.sessionId }], leaves: [] });
    expect(await presenceIds(a, wa.s, channelId)).toEqual(await presenceIds(b, wa.s, channelId));
    expect(await presenceIds(a, wa.s, channelId)).not.toContain(v1.s.sessionId);
    // v2 can still reach A over HTTP; its send is refused with the reason, on any process.
    for (const n of [a, b]) {
      const r = await n.gql(Q.send, { c: channelId, content: { text: 'am I still here?' } }, v2.s.token);
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'PRESENCE_EXPIRED' });
      expect(r.errors?.[0]?.message).toMatch(/no realtime connection .*PRESENCE_GRACE_MS/);
    }
  });
});
