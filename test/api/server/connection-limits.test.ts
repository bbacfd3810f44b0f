import { randomBytes } from 'node:crypto';
import type { Client } from 'graphql-ws';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, dropRedisPrefix, freshDatabase, type Backend } from '../../helpers/backends.js';
import { sse, type SseStream } from '../../helpers/sse.js';
import { redisKeys } from '../../../src/pubsub/redis-keys.js';
import {
  feedsLive,
  joinRoom,
  Q,
  startServer,
  subscribe,
  uniqueName,
  until,
  type Session,
  type TestServer,
  suiteServer,
} from '../../helpers/server.js';

const LIMIT = 2;

/** Resolves with 'connected', or with the close code and reason that refused the connection. */
const outcome = (client: Client) =>
  new Promise<string>((resolve) => {
    client.on('connected', () => resolve('connected'));
    client.on('closed', (e: any) => resolve(`${e.code} ${e.reason}`));
  });

/** An SSE subscription the server refused: its one event is the RATE_LIMITED error. */
async function expectSseRefused(stream: SseStream, open: number) {
  const result = await stream.next();
  expect(result.data ?? null).toBeNull();
  expect(result.errors?.[0]).toMatchObject({ extensions: { code: 'RATE_LIMITED', limit: LIMIT, open } });
  expect(result.errors?.[0]?.message).toMatch(`Too many connections: this user has ${open} open; the limit is ${LIMIT}.`);
}

describe('connections per user over Server-Sent Events', () => {
  const server = suiteServer(backends()[0]!, { MAX_CONNECTIONS_PER_USER: LIMIT });

  const onMessage = (s: Session, room: string) => sse(server.url, s.token, Q.onMessage, { c: room });

  /** Opens a stream; resolves to it once it runs on the server (the `live`-th feed of the session), or to null when refused. */
  async function accepted(s: Session, room: string, live: number): Promise<SseStream | null> {
    const stream = await onMessage(s, room);
    // A refusal is the stream's first and only event; an accepted stream sends nothing until a message.
    const refused = stream.next().then(
      () => true,
      () => false,
    );
    const running = feedsLive(server, s, live).then(
      () => true,
      () => false,
    );
    if (
      (await Promise.race([refused.then((r) => (r ? 'refused' : 'unknown')), running.then((r) => (r ? 'running' : 'unknown'))])) ===
      'running'
    )
      return stream;
    stream.abort();
    return null;
  }

  it('counts each SSE subscription as a connection: up to the limit, refused past it, freed when a stream is aborted', async () => {
    const [ada, bob] = [await server.signIn(), await server.signIn()];
    const name = uniqueName('room');
    const room = await joinRoom(server, ada, name);
    await joinRoom(server, bob, name);
    const first = await onMessage(ada, room);
    const second = await onMessage(ada, room);
    await feedsLive(server, ada, LIMIT);
    await expectSseRefused(await onMessage(ada, room), LIMIT);
    // A WebSocket is refused too: SSE streams and sockets share the count.
    expect(await outcome(server.ws(ada))).toBe(`4429 Too many connections: this user has ${LIMIT} open; the limit is ${LIMIT}.`);
    // Other users are not affected.
    const bobs = await onMessage(bob, room);
    await feedsLive(server, bob, 1);

    first.abort();
    await until(() => server.app.deps.feeds.count(ada.sessionId) === 1, 5000, 'the aborted stream to end');
    let again: SseStream | null = null;
    // The slot is freed when the server sees the response close, just after the feed ends.
    await until(async () => (again = await accepted(ada, room, LIMIT)) !== null, 5000, 'a free connection slot after the abort');
    again!.abort();
    second.abort();
    bobs.abort();
  });

  it('counts a WebSocket once however many subscriptions it carries', async () => {
    const ada = await server.signIn();
    const room = await joinRoom(server, ada, uniqueName('room'));
    const client = server.ws(ada);
    const subs = [subscribe(client, Q.onMessage, { c: room }), subscribe(client, Q.onPresence, { c: room })];
    const stream = await onMessage(ada, room);
    await feedsLive(server, ada, 3);
    await expectSseRefused(await onMessage(ada, room), LIMIT);
    stream.abort();
    subs.forEach((s) => s.close());
    await client.dispose();
  });
});

const REDIS = process.env.TEST_REDIS_URL;

// CI always sets TEST_REDIS_URL. PostgreSQL is shared when TEST_DATABASE_URL is set; the count
// itself only needs Redis and the shared token secret, so each app may have a PGlite of its own.
describe.skipIf(!REDIS)('connections per user across processes (Redis)', () => {
  const prefix = `parley_test_${randomBytes(6).toString('hex')}:`;
  let a: TestServer;
  let b: TestServer;
  let dropDb = async () => {};
  beforeAll(async () => {
    const db = process.env.TEST_DATABASE_URL ? await freshDatabase(process.env.TEST_DATABASE_URL) : null;
    if (db) dropDb = db.drop;
    const config = {
      ...(db ? { DATABASE_URL: db.url } : {}),
      DATA_DIR: 'memory://',
      REDIS_URL: REDIS!,
      REDIS_PREFIX: prefix,
      JWT_SECRET: randomBytes(32).toString('base64url'),
      MAX_CONNECTIONS_PER_USER: LIMIT,
    };
    // Both apps on one database and one Redis prefix: two processes of one deployment.
    const shared: Backend = { name: 'postgres+redis', create: async () => ({ config, drop: async () => {} }) };
    a = await startServer(shared);
    b = await startServer(shared);
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await dropDb();
    if (REDIS) await dropRedisPrefix(REDIS, prefix);
  });

  it('counts connections on one process against the limit on another, and frees them on close', async () => {
    const ada = await a.signIn();
    const name = uniqueName('room');
    const room = await joinRoom(a, ada, name);
    const socket = a.ws(ada);
    expect(await outcome(socket)).toBe('connected');
    const stream = await sse(a.url, ada.token, Q.onMessage, { c: room });
    await feedsLive(a, ada, 1);
    expect(await outcome(b.ws(ada))).toBe(`4429 Too many connections: this user has ${LIMIT} open; the limit is ${LIMIT}.`);
    await expectSseRefused(await sse(b.url, ada.token, Q.onMessage, { c: room }), LIMIT);
    // Another user of the same processes is unaffected.
    expect(await outcome(b.ws(await a.signIn()))).toBe('connected');

    await socket.dispose();
    await until(async () => (await outcome(b.ws(ada))) === 'connected', 5000, 'the slot freed on A to be usable on B');
    stream.abort();
  });

  it('does not count connections of processes that stopped heartbeating', async () => {
    const ada = await a.signIn();
    const redis = new Redis(REDIS!);
    try {
      // A crashed process's entries (gone from the node list) and a silent one's (heartbeat long expired).
      await redis.zadd(redisKeys(prefix).live.nodes, Date.now() - 3_600_000, 'silent-node');
      await redis.hset(`${prefix}conns:${ada.userId}`, 'crashed-node:1', 'crashed-node', 'silent-node:1', 'silent-node');
      expect(await Promise.all([outcome(a.ws(ada)), outcome(b.ws(ada))])).toEqual(['connected', 'connected']);
      expect(await outcome(a.ws(ada))).toMatch(/^4429 /);
      expect(await redis.hlen(`${prefix}conns:${ada.userId}`)).toBe(LIMIT);
    } finally {
      redis.disconnect();
    }
  });
});
