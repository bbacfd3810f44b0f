import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../helpers/backends.js';
import { clusterEnv, freePort, startNode, type NodeProcess } from '../helpers/nodes.js';
import { OwnRedis } from '../helpers/redis-server.js';
import { joinRoom, Q, send, subscribe, uniqueName, until, errorCode } from '../helpers/server.js';

const DATABASE = process.env.TEST_DATABASE_URL;

// Needs PostgreSQL (shared by the processes) and the redis-server binary; .ci/run provides both.
describe.skipIf(!DATABASE || !process.env.TEST_REDIS_URL)('a Redis outage under two server processes', () => {
  let a: NodeProcess, b: NodeProcess;
  let redis: OwnRedis;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    redis = new OwnRedis(await freePort());
    await redis.start();
    const db = await freshDatabase(DATABASE!);
    drop = db.drop;
    const env = clusterEnv(db.url, redis.url, { PRESENCE_GRACE_MS: '60000', NODE_HEARTBEAT_MS: '200', NODE_EXPIRY_MS: '1000' });
    [a, b] = await Promise.all([startNode('A', env), startNode('B', env)]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.stop();
    await drop?.();
  });

  it('keeps storing and serving history while Redis is down, then resumes live delivery by itself', async () => {
    const [ada, bob, carol] = [await a.signIn(), await b.signIn(), await a.signIn()];
    const name = uniqueName('room');
    const room = await joinRoom(a, ada, name);
    await joinRoom(b, bob, name);
    await joinRoom(a, carol, name);
    const live = subscribe(b.ws(bob), Q.onMessage, { c: room });
    await b.subscriptions(1);
    await send(a, ada, room, { n: 0 });
    const first = await live.next();
    expect(first.content).toEqual({ n: 0 });

    await redis.stop();
    for (const n of [a, b]) await until(async () => (await n.health())?.status === 'degraded', 10_000, `${n.name} to report degraded`);
    expect(await a.health()).toMatchObject({ status: 'degraded', database: true, pubsub: false });

    // Sends that persist still succeed; history has them on either process.
    const during: string[] = [];
    for (let n = 1; n <= 5; n++) during.push((await send(a, ada, room, { n })).messageId);
    // Joining needs Redis: refused with a code that says to retry, not an internal error.
    const late = await a.signIn();
    expect(errorCode(await a.gql(Q.join, { t: name, type: 'ROOM' }, late.token))).toBe('UNAVAILABLE');
    const hist = (await b.gql(Q.history, { c: room, first: 10, forward: true, after: first.cursor }, bob.token)).data.channelMessages.edges;
    expect(hist.map((e: any) => e.node.id)).toEqual(during);

    await redis.start();
    for (const n of [a, b]) await until(async () => (await n.health())?.status === 'ok', 20_000, `${n.name} to report ok`);

    // The open subscription gets what was stored during the outage, then new messages, with no restart.
    const after = await send(a, ada, room, { n: 6 });
    const got: string[] = [];
    for (let i = 0; i < 6; i++) got.push((await live.next(10_000)).id);
    expect(got).toEqual([...during, after.messageId]);

    // A client that resumes with `after` from before the outage loses nothing.
    const resumed = subscribe(a.ws(carol), Q.onMessage, { c: room, after: first.cursor });
    const replayed: string[] = [];
    for (let i = 0; i < 6; i++) replayed.push((await resumed.next()).id);
    expect(replayed).toEqual([...during, after.messageId]);
    await a.subscriptions(1);
    const next = await send(b, bob, room, { n: 7 });
    expect((await resumed.next()).id).toBe(next.messageId);
    expect((await live.next()).id).toBe(next.messageId);

    // Presence came back too: both processes list the three members.
    const listed = (await b.gql(Q.presences, { c: room }, bob.token)).data.channelPresences.map((p: any) => p.sessionId).sort();
    expect(listed).toEqual([ada.sessionId, bob.sessionId, carol.sessionId].sort());
  });
});
