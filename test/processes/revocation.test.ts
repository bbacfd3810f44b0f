import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../helpers/backends.js';
import { clusterEnv, freePort, startNode, type NodeProcess } from '../helpers/nodes.js';
import { OwnRedis } from '../helpers/redis-server.js';
import { errorCode, joinRoom, Q, uniqueName, until, type Session } from '../helpers/server.js';
import { S } from '../helpers/social.js';
import { sse } from '../helpers/sse.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';

const DATABASE = process.env.TEST_DATABASE_URL;
/** SESSION_CHECK_MS: the documented bound on serving a session that ended while this process could not hear of it. */
const CHECK_MS = 3000;
const COMMAND_TIMEOUT_MS = 2000;
/** NODE_HEARTBEAT_MS; Redis is probed every min(NODE_HEARTBEAT_MS, 1000) ms. */
const PROBE_MS = 250;
/** Room for the test's own requests and a busy machine on top of the bounds under test. */
const SLACK_MS = 1500;

/** The close code of the client's socket, once it closes. */
function closeCode(client: Client): Promise<number> {
  return new Promise((resolve) => client.on('closed', (e) => resolve((e as CloseEvent).code)));
}

function connected(client: Client): Promise<void> {
  return new Promise((resolve, reject) => {
    client.on('connected', () => resolve());
    client.on('closed', (e) => reject(new Error(`socket closed: ${JSON.stringify(e)}`)));
  });
}

/** Resolves with the value if it comes within `ms`, or fails naming what did not happen. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms)),
  );
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A session signed in on A, with an open WebSocket and an SSE subscription on `on`, which has read the session once. */
async function watched(a: NodeProcess, on: NodeProcess) {
  const s = await a.signIn();
  const room = await joinRoom(a, s, uniqueName('room'));
  const client = on.ws(s);
  const closed = closeCode(client);
  await connected(client);
  const stream = await sse(on.url, s.token, Q.onMessage, { c: room });
  expect((await on.gql(`{ me { id } }`, {}, s.token)).data?.me.id).toBe(s.userId);
  return { s, room, closed, stream };
}

/** Every way the ended session could still be served on `node`: its socket, its SSE stream, its token over HTTP. */
async function refusedEverywhere(node: NodeProcess, w: Awaited<ReturnType<typeof watched>>, boundMs: number, what: string) {
  const from = Date.now();
  expect(await within(w.closed, boundMs, `the WebSocket on ${node.name} closing`)).toBe(4401);
  console.log(`${what}: the session's WebSocket on ${node.name} closed ${Date.now() - from} ms later (bound ${boundMs} ms)`);
  await expect(w.stream.next(SLACK_MS)).rejects.toThrow(/ended/);
  expect(errorCode(await node.gql(`{ me { id } }`, {}, w.s.token))).toBe('UNAUTHENTICATED');
}

/** signOut on `node`: answered true (the session is gone whatever Redis did), and how long it took. */
async function signOut(node: NodeProcess, s: Session): Promise<number> {
  const started = Date.now();
  const r = await node.gql(`mutation { signOut }`, {}, s.token);
  expect(r).toEqual({ data: { signOut: true } });
  return Date.now() - started;
}

// Needs PostgreSQL (shared by the processes) and the redis-server binary; .ci/run provides both.
describe.skipIf(!DATABASE || !process.env.TEST_REDIS_URL)('sign-out and requests while Redis is stalled, restarted or cut off', () => {
  let a: NodeProcess, b: NodeProcess;
  let redis: OwnRedis;
  let drop: () => Promise<void>;
  let env: Record<string, string>;

  beforeAll(async () => {
    redis = new OwnRedis(await freePort());
    await redis.start();
    const db = await freshDatabase(DATABASE!);
    drop = db.drop;
    env = clusterEnv(db.url, redis.url, {
      SESSION_CHECK_MS: String(CHECK_MS),
      REDIS_COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS),
      NODE_HEARTBEAT_MS: String(PROBE_MS),
      RATE_LIMIT_SEND: '1000/10',
    });
    [a, b] = await Promise.all([startNode('A', env), startNode('B', env)]);
  }, 90_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.dispose();
    await drop?.();
  });

  const healthy = async () => {
    for (const n of [a, b]) await until(async () => (await n.health())?.status === 'ok', 20_000, `${n.name} to report ok`);
  };

  const faults = [
    { name: 'stalled (SIGSTOP)', fault: async () => redis.pause(), heal: async () => redis.resume() },
    { name: 'killed and restarted empty', fault: () => redis.stop(), heal: () => redis.start() },
  ];
  for (const { name, fault, heal } of faults) {
    it(`Redis ${name}: signOut succeeds, and the other process stops serving the session within SESSION_CHECK_MS`, async () => {
      const w = await watched(a, b);
      await fault();
      try {
        const took = await signOut(a, w.s);
        console.log(`Redis ${name}: signOut answered in ${took} ms`);
        expect(took).toBeLessThan(COMMAND_TIMEOUT_MS + PROBE_MS + SLACK_MS);
        // Still during the fault: B heard nothing, and finds out by reading the session again.
        await refusedEverywhere(b, w, CHECK_MS + SLACK_MS, `Redis ${name}, after signOut`);
        expect(errorCode(await a.gql(`{ me { id } }`, {}, w.s.token))).toBe('UNAUTHENTICATED');
      } finally {
        await heal();
      }
      await healthy();
    }, 60_000);
  }

  it('a stalled Redis holds no send longer than REDIS_COMMAND_TIMEOUT_MS plus the probe interval, the first of a session included', async () => {
    const s = await b.signIn();
    const room = await joinRoom(b, s, uniqueName('room'));
    const ws = b.ws(s);
    await connected(ws);
    redis.pause();
    try {
      const took: number[] = [];
      for (let n = 0; n < 3; n++) {
        const started = Date.now();
        const r = await b.gql(Q.send, { c: room, content: { n } }, s.token);
        took.push(Date.now() - started);
        expect(r.data?.sendMessage.persistent, JSON.stringify(r.errors)).toBe(true);
      }
      console.log(`stalled Redis: sends answered in ${took.join(', ')} ms`);
      expect(Math.max(...took), `sends took ${took.join(', ')} ms`).toBeLessThan(COMMAND_TIMEOUT_MS + PROBE_MS + SLACK_MS);
    } finally {
      redis.resume();
    }
    await healthy();
  }, 60_000);

  it('a kick while Redis is down succeeds (the membership is gone), and the presence leaves once Redis is back', async () => {
    const [owner, bob] = [await a.signIn(), await b.signIn()];
    const group = (await a.gql(S.createGroup, { n: uniqueName('group') }, owner.token)).data!.createGroup.id as string;
    expect((await b.gql(S.joinGroup, { g: group }, bob.token)).data?.joinGroup.id).toBe(group);
    const channel = (await b.gql(Q.join, { t: group, type: 'GROUP' }, bob.token)).data!.joinChat.id as string;
    const ws = b.ws(bob);
    await connected(ws);
    redis.pause();
    try {
      await until(async () => (await a.health())?.pubsub === false, 10_000, 'A to notice the stall');
      const kicked = await a.gql(S.kick, { g: group, u: [bob.userId] }, owner.token);
      expect(kicked.errors).toBeUndefined();
      expect(kicked.data?.kickGroupUsers.memberCount).toBe(1);
    } finally {
      redis.resume();
    }
    await healthy();
    await until(
      async () => errorCode(await b.gql(Q.send, { c: channel, content: { text: 'still in?' } }, bob.token)) === 'FORBIDDEN',
      10_000,
      "bob's presence to end once Redis is back",
    );
    const listed = (await a.gql(Q.presences, { c: channel }, owner.token)).data?.channelPresences ?? [];
    expect(listed.map((p: { sessionId: string }) => p.sessionId)).not.toContain(bob.sessionId);
  }, 60_000);

  it('a process cut off from Redis closes the sessions that ended meanwhile as soon as it is back, well before SESSION_CHECK_MS', async () => {
    const proxy = new TcpProxy(redis.port);
    await proxy.start();
    // A long check interval: only hearing that Redis is back can explain a prompt close.
    const longCheckMs = 120_000;
    const c = await startNode('C', { ...env, REDIS_URL: proxy.url, SESSION_CHECK_MS: String(longCheckMs) });
    try {
      const w = await watched(a, c);
      proxy.cut();
      await until(async () => (await c.health())?.pubsub === false, 10_000, 'C to notice it is cut off');
      await signOut(a, w.s);
      proxy.heal();
      const healed = Date.now();
      await refusedEverywhere(c, w, 20_000, 'cut off, after Redis is reachable again');
      expect(Date.now() - healed).toBeLessThan(longCheckMs / 4);
    } finally {
      await c.stop();
      await proxy.close();
    }
  }, 90_000);
});
