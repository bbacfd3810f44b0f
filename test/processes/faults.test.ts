import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../helpers/backends.js';
import { clusterEnv, freePort, startNode, type NodeProcess } from '../helpers/nodes.js';
import { OwnRedis } from '../helpers/redis-server.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { historyIds, joinRoom, Q, subscribe, uniqueName, until, type Session, errorCode } from '../helpers/server.js';
import type { Subscription } from '../helpers/subscription.js';

const DATABASE = process.env.TEST_DATABASE_URL;
const EXPIRY_MS = 1000;
const GRACE_MS = 2500;
/** Longer than NODE_EXPIRY_MS and PRESENCE_GRACE_MS together: any wrong judgement of liveness would end presences. */
const FAULT_MS = 4500;

/** Sends one message after another until stopped, recording what was acknowledged and what failed. */
function sender(node: NodeProcess, who: Session, channelId: string) {
  const acked: string[] = [];
  const failed: string[] = [];
  let running = true;
  const done = (async () => {
    for (let n = 0; running; n++) {
      const r = await node
        .gql(Q.send, { c: channelId, content: { n, from: who.username } }, who.token)
        .catch((e: Error) => ({ errors: [{ message: e.message }] }) as any);
      if (r.data) acked.push(r.data.sendMessage.messageId);
      else failed.push(`${errorCode(r) ?? 'no code'}: ${r.errors?.[0]?.message}`);
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
  })();
  return {
    acked,
    failed,
    async stop() {
      running = false;
      await done;
    },
  };
}

/** Collects a live feed's message ids until it holds every id in `want`. */
async function drain(feed: Subscription, got: string[], want: string[], what: string) {
  const deadline = Date.now() + 20_000;
  while (!want.every((id) => got.includes(id))) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`${what} is missing ${want.filter((id) => !got.includes(id)).length} acknowledged messages`);
    got.push((await feed.next(left)).id);
  }
}

// Needs PostgreSQL (shared by the processes) and the redis-server binary; .ci/run provides both.
describe.skipIf(!DATABASE || !process.env.TEST_REDIS_URL)(
  'Redis faults longer than NODE_EXPIRY_MS and PRESENCE_GRACE_MS, with two processes',
  () => {
    let a: NodeProcess, b: NodeProcess;
    let redis: OwnRedis;
    let drop: () => Promise<void>;
    let env: Record<string, string>;

    beforeAll(async () => {
      redis = new OwnRedis(await freePort(), { persistent: true });
      await redis.start();
      const db = await freshDatabase(DATABASE!);
      drop = db.drop;
      env = clusterEnv(db.url, redis.url, {
        PRESENCE_GRACE_MS: String(GRACE_MS),
        NODE_HEARTBEAT_MS: '200',
        NODE_EXPIRY_MS: String(EXPIRY_MS),
        REDIS_COMMAND_TIMEOUT_MS: '500',
      });
      [a, b] = await Promise.all([startNode('A', env), startNode('B', env)]);
    }, 90_000);
    afterAll(async () => {
      await Promise.all([a?.stop(), b?.stop()]);
      await redis?.dispose();
      await drop?.();
    });

    it('while Redis hangs: /health says so within seconds, joins fail fast with UNAVAILABLE, stored sends go on', async () => {
      const [ada, carol] = [await a.signIn(), await a.signIn()];
      const roomName = uniqueName('room');
      const room = await joinRoom(a, ada, roomName);
      redis.pause();
      try {
        await until(async () => (await a.health())?.pubsub === false, 10_000, 'A to report Redis down');
        expect(await a.health()).toMatchObject({ status: 'degraded', database: true, pubsub: false });
        // Answered while Redis is still stopped: nothing waits for it without bound.
        const join = await a.gql(Q.join, { t: roomName, type: 'ROOM' }, carol.token);
        expect(errorCode(join)).toBe('UNAVAILABLE');
        expect(join.errors?.[0]?.message).toMatch(/Redis did not answer/);
        const sent = await a.gql(Q.send, { c: room, content: { text: 'stored anyway' } }, ada.token);
        expect(sent.data?.sendMessage.persistent).toBe(true);
      } finally {
        redis.resume();
      }
      await until(async () => (await a.health())?.status === 'ok', 20_000, 'A to report ok');
      expect((await a.gql(Q.join, { t: roomName, type: 'ROOM' }, carol.token)).data?.joinChat.id).toBe(room);
    }, 60_000);

    it('a process cut off from Redis while the others take it for dead: its sessions are told their presence ended, and why', async () => {
      const proxy = new TcpProxy(redis.port);
      await proxy.start();
      const c = await startNode('C', { ...env, REDIS_URL: proxy.url });
      try {
        const [ada, bob] = [await a.signIn(), await c.signIn()];
        const roomName = uniqueName('room');
        const room = await joinRoom(a, ada, roomName);
        await joinRoom(c, bob, roomName);
        const watch = subscribe(a.ws(ada), Q.onPresence, { c: room });
        const bobWs = c.ws(bob);
        const bobPresence = subscribe(bobWs, Q.onPresence, { c: room });
        const bobMessages = subscribe(bobWs, Q.onMessage, { c: room });
        await c.subscriptions(2);
        await until(async () => (await a.health())!.subscriptions >= 1, 5000, 'the watch on A');

        proxy.cut();
        // A sees C's heartbeat stop, and after the grace bob leaves.
        const left = await watch.next(EXPIRY_MS + GRACE_MS + 10_000);
        expect(left.leaves.map((p: any) => p.sessionId)).toEqual([bob.sessionId]);
        proxy.heal();

        // C missed that leave while cut off; once back it tells bob's open feed.
        const ended = await bobPresence.next(20_000);
        expect(ended.leaves.map((p: any) => p.sessionId)).toEqual([bob.sessionId]);
        await until(async () => (await c.health())?.status === 'ok', 10_000, 'C to report ok');
        const refused = await c.gql(Q.send, { c: room, content: { text: 'still here?' } }, bob.token);
        expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'PRESENCE_EXPIRED' });

        // Joining again is all it takes: the same subscriptions go on.
        await joinRoom(c, bob, roomName);
        expect((await watch.next(10_000)).joins.map((p: any) => p.sessionId)).toEqual([bob.sessionId]);
        const hello = await a.gql(Q.send, { c: room, content: { text: 'welcome back' } }, ada.token);
        expect((await bobMessages.next(10_000)).id).toBe(hello.data.sendMessage.messageId);
      } finally {
        await c.stop();
        await proxy.close();
      }
    }, 90_000);

    const faults = [
      { name: 'stalled (SIGSTOP), then resumed', fault: async () => redis.pause(), heal: async () => redis.resume() },
      { name: 'killed, then restarted with its data', fault: () => redis.stop(), heal: () => redis.start() },
      { name: 'killed, then restarted empty', fault: () => redis.stop({ wipe: true }), heal: () => redis.start() },
    ];

    for (const { name, fault, heal } of faults) {
      it(`Redis ${name}: presences stay, sends never stop, every live feed gets every acknowledged message in order`, async () => {
        const [ada, bob] = [await a.signIn(), await b.signIn()];
        const roomName = uniqueName('room');
        const room = await joinRoom(a, ada, roomName);
        await joinRoom(b, bob, roomName);
        const before = await Promise.all([a.health(), b.health()]);
        const feedA = subscribe(a.ws(ada), Q.onMessage, { c: room });
        const feedB = subscribe(b.ws(bob), Q.onMessage, { c: room });
        const presenceA = subscribe(a.ws(ada), Q.onPresence, { c: room });
        await Promise.all([a.subscriptions(before[0]!.subscriptions + 2), b.subscriptions(before[1]!.subscriptions + 1)]);

        const senders = [sender(a, ada, room), sender(b, bob, room)];
        await until(() => senders.every((s) => s.acked.length >= 3), 10_000, 'sends before the fault');
        await fault();
        await new Promise((resolve) => setTimeout(resolve, FAULT_MS));
        await heal();
        for (const n of [a, b]) await until(async () => (await n.health())?.status === 'ok', 20_000, `${n.name} to report ok`);
        // Long enough for a wrong judgement made on resuming to expire presences.
        const mark = senders.map((s) => s.acked.length);
        await new Promise((resolve) => setTimeout(resolve, EXPIRY_MS + GRACE_MS + 1000));
        await Promise.all(senders.map((s) => s.stop()));

        expect(senders.flatMap((s) => s.failed)).toEqual([]);
        senders.forEach((s, i) => expect(s.acked.length).toBeGreaterThan(mark[i]! + 10));

        for (const n of [a, b]) {
          const listed = (await n.gql(Q.presences, { c: room }, ada.token)).data.channelPresences.map((p: any) => p.sessionId).sort();
          expect(listed, `presences on ${n.name}`).toEqual([ada.sessionId, bob.sessionId].sort());
        }

        const acked = senders.flatMap((s) => s.acked);
        const history = await historyIds(a, ada, room);
        expect(history.filter((id) => acked.includes(id)).length).toBe(acked.length);
        for (const [feed, label] of [
          [feedA, 'A'],
          [feedB, 'B'],
        ] as const) {
          const got: string[] = [];
          await drain(feed, got, acked, `the live feed on ${label}`);
          expect(got, `order on ${label}`).toEqual(history.slice(0, got.length));
        }
        // Nobody was announced as leaving.
        const leaves: string[] = [];
        for (;;) {
          const event = await presenceA.next(200).catch(() => null);
          if (!event) break;
          leaves.push(...event.leaves.map((p: any) => p.sessionId));
        }
        expect(leaves).toEqual([]);
      }, 90_000);
    }
  },
);
