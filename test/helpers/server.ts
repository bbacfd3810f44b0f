import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll } from 'vitest';
import WebSocket from 'ws';
import { buildApp, type App, type AppOptions } from '../../src/app.js';
import { makeConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/lib/logger.js';
import type { Backend } from './backends.js';
import { Subscription } from './subscription.js';
import { operationText, type Operation } from './operation.js';
import {
  JoinDocument,
  LeaveDocument,
  OnMessageDocument,
  OnPresenceDocument,
  PageDocument,
  PresencesDocument,
  SendToDocument,
} from '../generated/operations.js';

export interface GqlResult<T = any> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; [k: string]: unknown }; path?: string[] }[];
}

export interface TestServer extends Endpoint {
  app: App;
  stop(): Promise<void>;
}

export interface Session {
  token: string;
  sessionId: string;
  userId: string;
  username: string;
  deviceId: string;
}

let counter = 0;

export function uniqueName(prefix = 'u') {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${++counter}`;
}

/** What tests talk to: an HTTP endpoint and its WebSocket, in this process or another. */
export interface Endpoint {
  url: string;
  wsUrl: string;
  gql<T = any>(query: Operation, variables?: Record<string, unknown>, token?: string): Promise<GqlResult<T>>;
  signIn(username?: string): Promise<Session>;
  /** A graphql-ws client (no retries) authenticated as the session; closed by closeClients(). */
  ws(session: Session | null, params?: Record<string, unknown>): Client;
  closeClients(): Promise<void>;
}

export function endpoint(url: string): Endpoint {
  const wsUrl = url.replace(/^http/, 'ws');
  const clients: Client[] = [];
  const gql: Endpoint['gql'] = async (query, variables, token) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query: operationText(query), variables }),
    });
    return (await res.json()) as GqlResult;
  };
  return {
    url,
    wsUrl,
    gql,
    async signIn(username) {
      const deviceId = uniqueName('device');
      const r = await gql(
        `mutation($d: String!, $u: String) { authenticateDevice(deviceId: $d, username: $u) { token sessionId user { id username } } }`,
        { d: deviceId, u: username ?? uniqueName('user') },
      );
      if (!r.data) throw new Error(`sign-in failed: ${JSON.stringify(r.errors)}`);
      const a = r.data.authenticateDevice;
      return { token: a.token, sessionId: a.sessionId, userId: a.user.id, username: a.user.username, deviceId };
    },
    ws(session, params) {
      const client = createClient({
        url: wsUrl,
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        lazy: false,
        connectionParams: params ?? (session ? { authorization: `Bearer ${session.token}` } : {}),
        onNonLazyError: () => {},
      });
      clients.push(client);
      return client;
    },
    async closeClients() {
      await Promise.all(clients.splice(0).map((c) => c.dispose()));
    },
  };
}

/** The code of a result's first error (`extensions.code`), the way a client tells refusals apart; undefined when it succeeded. */
export function errorCode(result: GqlResult): string | undefined {
  return result.errors?.[0]?.extensions?.code;
}

/** Rate limits are off unless a test sets them: suites sign in and send far faster than any person. */
const NO_RATE_LIMITS: Partial<Config> = { RATE_LIMIT_SEND: null, RATE_LIMIT_JOIN: null, RATE_LIMIT_AUTH: null, RATE_LIMIT_GROUP: null };

export async function startServer(backend: Backend, overrides: Partial<Config> = {}, options: AppOptions = {}): Promise<TestServer> {
  const db = await backend.create();
  const config = makeConfig({ LOG_LEVEL: 'silent', PRESENCE_GRACE_MS: 10_000, ...NO_RATE_LIMITS, ...db.config, ...overrides });
  const app = await buildApp(config, { log: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'), ...options });
  await app.start(0, '127.0.0.1');
  const ep = endpoint(app.url);
  return {
    ...ep,
    app,
    async stop() {
      await ep.closeClients();
      await app.stop();
      await db.drop();
    },
  };
}

/**
 * A server for the enclosing describe block: started before its tests,
 * stopped (clients closed, database dropped) after them. The object returned
 * stands for that server from the first test on.
 */
export function suiteServer(backend: Backend, overrides: Partial<Config> = {}, options: AppOptions = {}): TestServer {
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await startServer(backend, overrides, options);
  });
  afterAll(() => server?.stop());
  return new Proxy({} as TestServer, {
    get(_, key) {
      if (!server) throw new Error(`the suite's server is used before beforeAll started it (reading ${String(key)})`);
      return Reflect.get(server, key);
    },
  });
}

/** Subscribes over a graphql-ws client; the result waits for events with deadlines. */
export function subscribe(client: Client, query: Operation, variables: Record<string, unknown> = {}) {
  return new Subscription(client, operationText(query), variables);
}

/** Channel operations, typed documents from test/documents/api.graphql. */
export const Q = {
  join: JoinDocument,
  leave: LeaveDocument,
  send: SendToDocument,
  history: PageDocument,
  presences: PresencesDocument,
  onMessage: OnMessageDocument,
  onPresence: OnPresenceDocument,
};

/** Joins a room and returns its channel id. */
export async function joinRoom(
  server: Pick<Endpoint, 'gql'>,
  s: Session,
  room: string,
  opts: { persistence?: boolean; hidden?: boolean } = {},
) {
  const r = await server.gql(Q.join, { t: room, type: 'ROOM', p: opts.persistence ?? true, h: opts.hidden ?? false }, s.token);
  if (!r.data) throw new Error(`join failed: ${JSON.stringify(r.errors)}`);
  return r.data.joinChat.id as string;
}

export async function send(server: Pick<Endpoint, 'gql'>, s: Session, channelId: string, content: Record<string, unknown>) {
  const r = await server.gql(Q.send, { c: channelId, content }, s.token);
  if (!r.data) throw new Error(`send failed: ${JSON.stringify(r.errors)}`);
  return r.data.sendMessage;
}

/** Every stored message id of a channel, oldest first, read page by page as a client would. */
export async function historyIds(server: Pick<Endpoint, 'gql'>, s: Pick<Session, 'token'>, channelId: string): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (;;) {
    const page: any = (await server.gql(Q.history, { c: channelId, first: 100, forward: true, after }, s.token)).data.channelMessages;
    ids.push(...page.edges.map((e: any) => e.node.id));
    if (!page.pageInfo.hasNextPage) return ids;
    after = page.pageInfo.endCursor;
  }
}

/** Another session of the same user: the device signs in again, as a second tab or a reinstall would. */
export async function anotherSession(server: Pick<Endpoint, 'gql'>, s: Session): Promise<Session> {
  const r = await server.gql(`mutation($d: String!) { authenticateDevice(deviceId: $d) { token sessionId } }`, { d: s.deviceId });
  if (!r.data) throw new Error(`sign-in failed: ${JSON.stringify(r.errors)}`);
  return { ...s, token: r.data.authenticateDevice.token, sessionId: r.data.authenticateDevice.sessionId };
}

/** Waits (with a deadline, polling) until a condition holds. */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Waits until the session has `n` live subscription feeds on the server, so events published next reach them. */
export function feedsLive(server: TestServer, session: Session, n: number) {
  return until(() => server.app.deps.feeds.count(session.sessionId) >= n, 5000, `${n} live subscriptions`);
}

/** A subscription on a new graphql-ws client of the session, once the server has it live. */
export async function liveSubscription(server: TestServer, session: Session, query: Operation, variables: Record<string, unknown> = {}) {
  const before = server.app.deps.feeds.count(session.sessionId);
  const sub = subscribe(server.ws(session), query, variables);
  await feedsLive(server, session, before + 1);
  return sub;
}

/** Two signed-in users in a fresh room, bob listening to it: the setup most message tests start from. */
export async function pairInRoom(server: TestServer) {
  const [ada, bob] = [await server.signIn(), await server.signIn()];
  const name = uniqueName('room');
  const room = await joinRoom(server, ada, name);
  await joinRoom(server, bob, name);
  const sub = subscribe(server.ws(bob), Q.onMessage, { c: room });
  await feedsLive(server, bob, 1);
  return { ada, bob, name, room, sub };
}
