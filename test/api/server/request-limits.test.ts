import { request } from 'node:http';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { parseConfig } from '../../../src/config.js';
import { backends } from '../../helpers/backends.js';
import {
  feedsLive,
  joinRoom,
  Q,
  startServer,
  subscribe,
  uniqueName,
  until,
  type GqlResult,
  type TestServer,
  errorCode,
} from '../../helpers/server.js';

// Request limits do not depend on the database, so one backend is enough.
const backend = backends()[0]!;
const BODY = 2048;

describe('request limits', () => {
  let server: TestServer;
  let open: TestServer;
  beforeAll(async () => {
    server = await startServer(backend, {
      MAX_QUERY_DEPTH: 3,
      MAX_QUERY_ALIASES: 3,
      MAX_QUERY_TOKENS: 100,
      MAX_MESSAGE_BYTES: 1024,
      MAX_BODY_BYTES: BODY,
      MAX_SUBSCRIPTIONS_PER_CONNECTION: 2,
      MAX_CONNECTIONS_PER_USER: 2,
      INTROSPECTION: false,
      GRAPHIQL: false,
    });
    open = await startServer(backend, { INTROSPECTION: true, GRAPHIQL: true });
  });
  afterAll(async () => {
    await server?.stop();
    await open?.stop();
  });

  const refused = (r: GqlResult, message: string | RegExp) => {
    expect(r.data ?? null).toBeNull();
    expect(errorCode(r)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(r.errors?.[0]?.message).toMatch(message);
  };

  it('limits query depth, over HTTP and WebSocket', async () => {
    const ada = await server.signIn();
    const depth3 = `query($c: ID!) { channelMessages(channelId: $c) { edges { cursor } } }`;
    const depth4 = `query($c: ID!) { channelMessages(channelId: $c) { edges { node { id } } } }`;
    expect((await server.gql(depth3, { c: 'room:any' }, ada.token)).data.channelMessages.edges).toEqual([]);
    refused(await server.gql(depth4, { c: 'room:any' }, ada.token), 'Query depth limit of 3 exceeded, found 4.');
    const overWs = await subscribe(server.ws(ada), depth4, { c: 'room:any' }).error();
    expect(overWs[0]).toMatchObject({
      message: 'Query depth limit of 3 exceeded, found 4.',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });

  it('limits aliases', async () => {
    const ada = await server.signIn();
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: me { id }`).join(' ')} }`;
    expect((await server.gql(aliases(3), {}, ada.token)).data).toMatchObject({ a0: { id: ada.userId }, a2: { id: ada.userId } });
    refused(await server.gql(aliases(4), {}, ada.token), 'Aliases limit of 3 exceeded, found 4.');
  });

  it('limits tokens', async () => {
    // `{`, n × `__typename`, `}`: n + 2 tokens.
    const tokens = (n: number) => `{ ${'__typename '.repeat(n - 2)}}`;
    expect((await server.gql(tokens(100))).data).toEqual({ __typename: 'Query' });
    refused(await server.gql(tokens(101)), /Token limit of 100 exceeded/);
  });

  /** A POST whose JSON body is exactly `bytes` long; chunked (no Content-Length) on request. */
  function postOfSize(bytes: number, chunked = false): Promise<{ status: number; body: GqlResult }> {
    const base = JSON.stringify({ query: '{ __typename }' }).length;
    const json = JSON.stringify({ query: `{ __typename ${' '.repeat(bytes - base)}}` });
    expect(Buffer.byteLength(json)).toBe(bytes);
    return new Promise((resolve, reject) => {
      const req = request(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(chunked ? {} : { 'content-length': String(bytes) }) },
      });
      req.on('response', (res) => {
        let text = '';
        res
          .setEncoding('utf8')
          .on('data', (d) => (text += d))
          .on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
      });
      req.on('error', reject);
      if (chunked) {
        req.write(json.slice(0, 1000));
        req.end(json.slice(1000));
      } else req.end(json);
    });
  }

  it('limits the request body, declared or chunked', async () => {
    for (const chunked of [false, true]) {
      const fits = await postOfSize(BODY, chunked);
      expect(fits, `chunked: ${chunked}`).toMatchObject({ status: 200, body: { data: { __typename: 'Query' } } });
      const over = await postOfSize(BODY + 1, chunked);
      expect(over.status, `chunked: ${chunked}`).toBe(413);
      expect(over.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', maxBytes: BODY } });
      expect(over.body.errors?.[0]?.message).toMatch(/limit (is|of) 2048/);
    }
  });

  it('limits WebSocket frames to the body limit (close 1009)', async () => {
    const ada = await server.signIn();
    const frame = (bytes: number) => {
      const base = JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${ada.token}`, pad: '' } }).length;
      return JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${ada.token}`, pad: 'x'.repeat(bytes - base) } });
    };
    const init = (data: string) =>
      new Promise<string>((resolve) => {
        const socket = new WebSocket(server.wsUrl, 'graphql-transport-ws');
        socket.on('open', () => socket.send(data));
        socket.on('message', (m) => {
          resolve(JSON.parse(String(m)).type);
          socket.close();
        });
        socket.on('close', (code) => resolve(`closed ${code}`));
      });
    expect(await init(frame(BODY))).toBe('connection_ack');
    expect(await init(frame(BODY + 1))).toBe('closed 1009');
  });

  it('limits subscriptions per connection, not counting queries, and frees a slot on complete', async () => {
    const ada = await server.signIn();
    const room = await joinRoom(server, ada, uniqueName('room'));
    const client = server.ws(ada);
    const first = subscribe(client, Q.onMessage, { c: room });
    const second = subscribe(client, Q.onPresence, { c: room });
    await feedsLive(server, ada, 2);
    const third = await subscribe(client, Q.onMessage, {}).error();
    expect(third[0]).toMatchObject({ extensions: { code: 'RATE_LIMITED', limit: 2 } });
    expect(third[0].message).toMatch(/Too many subscriptions on this connection: the limit is 2/);
    expect(await subscribe(client, `{ __typename }`).next()).toBe('Query');
    first.close();
    await until(() => server.app.deps.feeds.count(ada.sessionId) === 1, 5000, 'the completed subscription to end');
    const again = subscribe(client, Q.onMessage, {});
    await feedsLive(server, ada, 2);
    again.close();
    second.close();
  });

  /** Resolves with 'connected', or with the close code and reason that refused the connection. */
  const outcome = (client: Client) =>
    new Promise<string>((resolve) => {
      client.on('connected', () => resolve('connected'));
      client.on('closed', (e: any) => resolve(`${e.code} ${e.reason}`));
    });

  it('limits WebSocket connections per user (close 4429), and frees a slot on close', async () => {
    const [ada, bob] = [await server.signIn(), await server.signIn()];
    const one = server.ws(ada);
    const two = server.ws(ada);
    expect(await Promise.all([outcome(one), outcome(two)])).toEqual(['connected', 'connected']);
    expect(await outcome(server.ws(ada))).toBe('4429 Too many connections: this user has 2 open; the limit is 2.');
    expect(await outcome(server.ws(bob))).toBe('connected');
    await one.dispose();
    await until(async () => (await outcome(server.ws(ada))) === 'connected', 5000, 'a free connection slot');
  });

  it('turns introspection and field suggestions off, and GraphiQL', async () => {
    refused(await server.gql(`{ __schema { queryType { name } } }`), /introspection/i);
    refused(await server.gql(`{ __type(name: "User") { name } }`), /introspection/i);
    expect((await server.gql(`{ __typename }`)).data).toEqual({ __typename: 'Query' });
    expect((await server.gql(`{ mee { id } }`)).errors?.[0]?.message).not.toMatch(/Did you mean/);
    const page = await fetch(server.url, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
    await page.arrayBuffer();
  });

  it('leaves introspection, suggestions and GraphiQL on when configured so', async () => {
    expect((await open.gql(`{ __schema { queryType { name } } }`)).data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    expect((await open.gql(`{ mee { id } }`)).errors?.[0]?.message).toMatch(/Did you mean "me"/);
    const page = await fetch(open.url, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    await page.arrayBuffer();
  });
});

describe('limit configuration', () => {
  const secret = 'x'.repeat(32);
  it('turns introspection and GraphiQL off by default in production only', () => {
    expect(parseConfig({ NODE_ENV: 'production', JWT_SECRET: secret })).toMatchObject({ INTROSPECTION: false, GRAPHIQL: false });
    expect(parseConfig({ NODE_ENV: 'production', JWT_SECRET: secret, INTROSPECTION: 'true', GRAPHIQL: 'true' })).toMatchObject({
      INTROSPECTION: true,
      GRAPHIQL: true,
    });
    expect(parseConfig({})).toMatchObject({ INTROSPECTION: true, GRAPHIQL: true });
  });

  it('reads rate limits as points/seconds or off, naming a bad value', () => {
    expect(parseConfig({ RATE_LIMIT_SEND: '5/2', RATE_LIMIT_JOIN: 'off' })).toMatchObject({
      RATE_LIMIT_SEND: { points: 5, seconds: 2 },
      RATE_LIMIT_JOIN: null,
    });
    expect(parseConfig({}).RATE_LIMIT_AUTH).toEqual({ points: 30, seconds: 60 });
    expect(() => parseConfig({ RATE_LIMIT_AUTH: '5 per minute' })).toThrow(/RATE_LIMIT_AUTH: expected "points\/seconds"/);
    expect(() => parseConfig({ MAX_BODY_BYTES: '1000' })).toThrow(/MAX_BODY_BYTES: must be larger than MAX_MESSAGE_BYTES/);
  });
});
