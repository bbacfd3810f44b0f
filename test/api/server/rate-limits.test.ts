import { randomBytes } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../helpers/backends.js';
import {
  joinRoom,
  Q,
  startServer,
  uniqueName,
  until,
  type GqlResult,
  type Session,
  type TestServer,
  errorCode,
} from '../../helpers/server.js';

// Rate limits do not depend on the database, so one backend is enough.
const backend = backends()[0]!;
// Long enough that a loaded machine still makes 4 attempts inside one window; short enough to wait out.
const window = { points: 3, seconds: 2 };

const signInQuery = `mutation($d: String!) { authenticateDevice(deviceId: $d) { token } }`;

function expectLimited(r: GqlResult, what: RegExp, windowMs = window.seconds * 1000) {
  expect(r.data ?? null).toBeNull();
  const e = r.errors?.[0];
  expect(e?.extensions?.code).toBe('RATE_LIMITED');
  expect(e?.message).toMatch(what);
  expect(e?.extensions?.retryAfterMs).toBeGreaterThan(0);
  expect(e?.extensions?.retryAfterMs).toBeLessThanOrEqual(windowMs);
}

/** Retries until the operation is allowed again: the window passing, not a fixed sleep. */
const recovers = (attempt: () => Promise<GqlResult>) => until(async () => (await attempt()).data != null, 5000, 'the limit to reset');

describe('rate limits (in process)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(backend, {
      RATE_LIMIT_SEND: window,
      RATE_LIMIT_JOIN: window,
      RATE_LIMIT_AUTH: window,
      RATE_LIMIT_GROUP: window,
    });
  });
  afterAll(() => server?.stop());

  // Sign-ins share one address (127.0.0.1) here, so each test reuses sessions made in this one.
  it('limits sign-ins per client address, then lets them through again', async () => {
    const attempt = () => server.gql(signInQuery, { d: uniqueName('device') });
    await recovers(attempt); // starts the window afresh whatever ran before
    for (let i = 1; i < window.points; i++) expect((await attempt()).data).toBeTruthy();
    expectLimited(await attempt(), /Too many sign-ins from this address: at most 3 every 2 s/);
    await recovers(attempt);
  });

  it('limits sends per user, without touching other users, and recovers', async () => {
    const [ada, bob] = await signInTwo(server);
    const name = uniqueName('room');
    const room = await joinRoom(server, ada, name);
    await joinRoom(server, bob, name);
    const sendAs = (token: string, n: number) => server.gql(Q.send, { c: room, content: { n } }, token);
    await recovers(() => sendAs(ada.token, 0));
    for (let i = 1; i < window.points; i++) expect((await sendAs(ada.token, i)).data).toBeTruthy();
    expectLimited(await sendAs(ada.token, 99), /Too many messages sent: at most 3 every 2 s/);
    expect((await sendAs(bob.token, 1)).data).toBeTruthy();
    await recovers(() => sendAs(ada.token, 100));
    // The refused message was never stored.
    const stored = (await server.gql(Q.history, { c: room, first: 100 }, ada.token)).data.channelMessages.edges;
    expect(stored.map((e: any) => e.node.content.n)).not.toContain(99);
  });

  it('limits joins per user and recovers', async () => {
    const [ada] = await signInTwo(server);
    const join = () => server.gql(Q.join, { t: uniqueName('room'), type: 'ROOM' }, ada.token);
    await recovers(join);
    for (let i = 1; i < window.points; i++) expect((await join()).data).toBeTruthy();
    expectLimited(await join(), /Too many channel joins: at most 3 every 2 s/);
    await recovers(join);
  });

  it('limits group creation per user and recovers, creating nothing when refused', async () => {
    const [ada] = await signInTwo(server);
    const refusedName = uniqueName('group');
    const create = (name = uniqueName('group')) =>
      server.gql(`mutation($n: String!) { createGroup(name: $n) { id } }`, { n: name }, ada.token);
    await recovers(create);
    for (let i = 1; i < window.points; i++) expect((await create()).data).toBeTruthy();
    expectLimited(await create(refusedName), /Too many groups created: at most 3 every 2 s/);
    await recovers(create);
    const mine = await server.gql(`query { myGroups(first: 100) { edges { node { name } } } }`, {}, ada.token);
    expect(mine.data.myGroups.edges.map((e: any) => e.node.name)).not.toContain(refusedName);
  });
});

/** Two sessions, waiting out the shared sign-in limit if an earlier test used it up. */
async function signInTwo(server: TestServer) {
  const sessions: Session[] = [];
  await until(
    async () => {
      await server.signIn().then(
        (s) => sessions.push(s),
        () => {},
      );
      return sessions.length >= 2;
    },
    5000,
    'two sign-ins',
  );
  return sessions as [Session, Session];
}

describe('client address behind proxies (TRUST_PROXY)', () => {
  let direct: TestServer;
  let proxied: TestServer;
  const limit = { points: 1, seconds: 60 };
  beforeAll(async () => {
    direct = await startServer(backend, { RATE_LIMIT_AUTH: limit });
    proxied = await startServer(backend, { RATE_LIMIT_AUTH: limit, TRUST_PROXY: 1 });
  });
  afterAll(async () => {
    await direct?.stop();
    await proxied?.stop();
  });

  const signInVia = (server: TestServer, forwardedFor: string) =>
    fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({ query: signInQuery, variables: { d: uniqueName('device') } }),
    }).then((r) => r.json() as Promise<GqlResult>);

  it('counts the address the trusted proxy saw, not what the client wrote', async () => {
    // The client may write anything on the left; the proxy appends the real address on the right.
    expect((await signInVia(proxied, 'spoofed, 203.0.113.1')).data).toBeTruthy();
    expectLimited(await signInVia(proxied, 'other-spoof, 203.0.113.1'), /sign-ins/, 60_000);
    expect((await signInVia(proxied, '203.0.113.2')).data).toBeTruthy();
  });

  it('over WebSocket, counts the address the proxy saw when the connection opened', async () => {
    // A token to open connections with, signed in from an address of its own.
    const token = (await signInVia(proxied, '203.0.113.20')).data!.authenticateDevice.token as string;
    const socketFrom = (forwardedFor: string) =>
      createClient({
        url: proxied.wsUrl,
        webSocketImpl: class extends WebSocket {
          constructor(url: string, protocols?: string | string[]) {
            super(url, protocols, { headers: { 'x-forwarded-for': forwardedFor } });
          }
        },
        retryAttempts: 0,
        connectionParams: { authorization: `Bearer ${token}` },
      });
    const signInOver = (client: Client) =>
      new Promise<GqlResult>((resolve, reject) => {
        let result: GqlResult;
        client.subscribe(
          { query: signInQuery, variables: { d: uniqueName('device') } },
          {
            next: (r) => void (result = r as GqlResult),
            error: reject,
            complete: () => resolve(result),
          },
        );
      });
    const used = socketFrom('spoofed, 203.0.113.21');
    const fresh = socketFrom('203.0.113.22');
    try {
      expect((await signInVia(proxied, '203.0.113.21')).data).toBeTruthy();
      // Several operations on one connection: the address is read once, at init, and kept.
      expectLimited(await signInOver(used), /sign-ins/, 60_000);
      expectLimited(await signInOver(used), /sign-ins/, 60_000);
      expect((await signInOver(fresh)).data).toBeTruthy();
    } finally {
      await Promise.all([used.dispose(), fresh.dispose()]);
    }
  });

  it('ignores X-Forwarded-For when no proxy is trusted', async () => {
    expect((await signInVia(direct, '203.0.113.1')).data).toBeTruthy();
    expect(errorCode(await signInVia(direct, '203.0.113.2'))).toBe('RATE_LIMITED');
  });
});

// CI sets TEST_REDIS_URL; locally these run when a Redis is at hand.
describe.skipIf(!process.env.TEST_REDIS_URL)('rate limits shared through Redis', () => {
  let one: TestServer;
  let two: TestServer;
  beforeAll(async () => {
    // A prefix of its own, so no other run or test file shares these counters.
    const shared = {
      REDIS_URL: process.env.TEST_REDIS_URL,
      RATE_LIMIT_PREFIX: `parley-test:${randomBytes(6).toString('hex')}:`,
      RATE_LIMIT_AUTH: window,
    };
    one = await startServer(backend, shared);
    two = await startServer(backend, shared);
  });
  afterAll(async () => {
    await one?.stop();
    await two?.stop();
  });

  it('counts sign-ins on every process against one limit, and recovers', async () => {
    const attempt = (server: TestServer) => server.gql(signInQuery, { d: uniqueName('device') });
    await recovers(() => attempt(one));
    expect((await attempt(two)).data).toBeTruthy();
    expect((await attempt(one)).data).toBeTruthy();
    expectLimited(await attempt(two), /sign-ins/);
    expectLimited(await attempt(one), /sign-ins/);
    await recovers(() => attempt(two));
  });
});
