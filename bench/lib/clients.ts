// Light load clients, so the load process is not what limits the figures:
// plain `ws` sockets speaking each server's protocol by hand (raw frames,
// Engine.IO v4 / Socket.IO, graphql-transport-ws). Once set up, subscribers
// count frames off the TCP stream (frame-counter.ts) without parsing them;
// only sampled subscribers read the send time.
import http from 'node:http';
import WebSocket from 'ws';
import { countFrames } from './frame-counter.js';
import type { Server } from './servers.js';

const WS_OPTIONS = { perMessageDeflate: false, skipUTF8Validation: true };
const TEXT = 'The quick brown fox jumps over the lazy dog, once more for the bench.';
/** Every message carries its send time (performance.now() of this process) as content.t. */
const content = () => ({ t: performance.now(), text: TEXT });
const SEND_TIME = /"t":([\d.]+)/;

/** What all subscribers of one server received in the current phase. */
export class Tally {
  frames = 0;
  /** performance.now() of the latest frame. */
  last = 0;
  latencies: number[] = [];
  sampleBytes = 0;
  sampleFrames = 0;
  errors: string[] = [];
  private waits: { at: number; resolve: () => void }[] = [];
  private nextWake = Infinity;

  reset(): void {
    // Waiters left from the last phase (their timeouts won) are released, not carried into the next count.
    for (const w of this.waits) w.resolve();
    this.waits = [];
    this.nextWake = Infinity;
    this.frames = 0;
    this.last = 0;
    this.latencies = [];
    this.sampleBytes = this.sampleFrames = 0;
  }

  /** One data frame arrived; `data` is its payload when the subscriber is sampled. */
  frame(data: Buffer | null, sampled: boolean): void {
    this.frames++;
    this.last = performance.now();
    if (sampled && data) this.sample(data);
    if (this.frames >= this.nextWake) this.wake();
  }

  private sample(data: Buffer): void {
    const s = data.toString();
    const t = SEND_TIME.exec(s);
    if (t && !s.includes('"errors"')) {
      this.latencies.push(this.last - Number(t[1]));
      this.sampleBytes += data.length;
      this.sampleFrames++;
    } else if (this.errors.length < 5) this.errors.push(s.slice(0, 300));
  }

  /** Resolves once `frames` reaches n. */
  reach(n: number): Promise<void> {
    if (this.frames >= n) return Promise.resolve();
    return new Promise((resolve) => {
      this.waits.push({ at: n, resolve });
      this.nextWake = Math.min(this.nextWake, n);
    });
  }

  private wake(): void {
    const due = this.waits.filter((w) => w.at <= this.frames);
    this.waits = this.waits.filter((w) => w.at > this.frames);
    this.nextWake = this.waits.reduce((m, w) => Math.min(m, w.at), Infinity);
    for (const w of due) w.resolve();
  }
}

function opened(ws: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
}

/**
 * Resolves at the first frame for which `step` returns true (it may answer
 * frames meanwhile). Call it right after creating the socket: a server may
 * send its first frame together with the upgrade, before 'open' handlers resume.
 */
function handshake(ws: WebSocket, step: (s: string) => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      ws.off('message', onMessage);
      ws.off('close', onClose);
      ws.off('error', reject);
    };
    const onMessage = (d: Buffer) => {
      if (!step(String(d))) return;
      done();
      resolve();
    };
    const onClose = (code: number, reason: Buffer) => {
      done();
      reject(new Error(`closed during handshake: ${code} ${reason}`));
    };
    ws.on('message', onMessage);
    ws.on('close', onClose);
    ws.on('error', reject);
  });
}

// ---- Socket.IO over Engine.IO v4, WebSocket transport only ----
async function socketIo(server: Server, rooms: string[]): Promise<WebSocket> {
  const ws = new WebSocket(`${server.wsUrl}socket.io/?EIO=4&transport=websocket&rooms=${encodeURIComponent(rooms.join(','))}`, WS_OPTIONS);
  // "0{…}" is the Engine.IO open packet; "40" connects to the main namespace, answered by "40{sid}".
  await handshake(ws, (s) => {
    if (s[0] === '0') ws.send('40');
    else if (s === '2') ws.send('3');
    return s.startsWith('40');
  });
  return ws;
}

// ---- graphql-transport-ws ----
const JOIN = 'mutation($t: String!, $p: Boolean!) { joinChat(target: $t, type: ROOM, persistence: $p) { id } }';
const SEND = 'mutation($ch: ID!, $c: JSONObject!) { sendMessage(channelId: $ch, content: $c) { messageId } }';
const FIELDS = '{ id senderId username content createTime }';
/** The same document for every subscriber of a room, so Parley may share one execution among them. */
export const followOne = (channelId: string) => `subscription { channelMessage(channelId: ${JSON.stringify(channelId)}) ${FIELDS} }`;
const FOLLOW_ALL = `subscription { channelMessage ${FIELDS} }`;

/** One graphql-transport-ws connection running queries and mutations (one reply parsed per operation). */
export class GraphqlWs {
  private pending = new Map<string, { resolve: () => void; reject: (e: Error) => void; error?: string }>();
  private nextId = 0;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', this.onMessage);
  }

  static async open(server: Server, token: string): Promise<GraphqlWs> {
    const ws = new WebSocket(server.wsUrl, 'graphql-transport-ws', WS_OPTIONS);
    const acked = handshake(ws, (s) => (JSON.parse(s) as { type: string }).type === 'connection_ack');
    ws.once('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
    await acked;
    return new GraphqlWs(ws);
  }

  private onMessage = (d: Buffer) => {
    const m = JSON.parse(String(d)) as { id?: string; type: string; payload?: { errors?: unknown } };
    if (m.type === 'ping') return this.ws.send('{"type":"pong"}');
    const op = this.pending.get(m.id ?? '');
    if (!op) return;
    if (m.type === 'next' && m.payload?.errors) op.error = JSON.stringify(m.payload.errors);
    if (m.type === 'error') op.error = JSON.stringify(m.payload);
    if (m.type === 'complete' || m.type === 'error') {
      this.pending.delete(m.id!);
      if (op.error) op.reject(new Error(op.error));
      else op.resolve();
    }
  };

  run(query: string, variables: Record<string, unknown> = {}): Promise<void> {
    const id = String(++this.nextId);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.ws.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables } }));
    });
  }

  /** Hands the socket over to a counting listener: from here on no frame is parsed. */
  detach(): WebSocket {
    this.ws.off('message', this.onMessage);
    return this.ws;
  }
}

/** Runs `fn` over `items` with at most `limit` at once. */
export async function inBatches<T>(items: T[], limit: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** One GraphQL request over HTTP POST (as an app would send it); resolves to `data`, rejects on errors. */
export async function graphqlHttp<T>(server: Server, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const body = JSON.stringify({ query, variables });
  for (let attempt = 1; ; attempt++) {
    let r: Response;
    try {
      r = await fetch(server.httpUrl, { method: 'POST', headers, body });
    } catch (e) {
      // A kept-alive connection the server has just closed fails the request before it is sent; so can a
      // connect timeout on a starved machine. Neither reached the server's logic, so trying again is safe.
      if (attempt < 3) continue;
      throw new Error(`request failed: ${e instanceof Error ? `${e.message} (${String(e.cause)})` : String(e)}`, { cause: e });
    }
    const result = (await r.json()) as { data?: T; errors?: unknown };
    if (!result.data || result.errors) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
    return result.data;
  }
}

/**
 * GraphQL over HTTP POST for a measured load: node:http with one kept-alive
 * connection per request in flight. fetch (undici), which graphqlHttp uses for
 * set-up, cost the load process 0.6 ms of CPU per history page, nearly what the
 * server spent on it, and on two cores that showed in the latencies measured.
 */
export function httpLoad(server: Server, token: string, connections: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  return {
    post<T>(query: string, variables: Record<string, unknown>): Promise<T> {
      const body = JSON.stringify({ query, variables });
      return new Promise((resolve, reject) => {
        const req = http.request(
          server.httpUrl,
          { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              try {
                const result = JSON.parse(Buffer.concat(chunks).toString()) as { data?: T; errors?: unknown };
                if (!result.data || result.errors) reject(new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`));
                else resolve(result.data);
              } catch (e) {
                reject(e instanceof Error ? e : new Error(String(e)));
              }
            });
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}

/** A new Parley user and session (authenticateDevice over HTTP, as an app would sign in). */
export async function signIn(server: Server, name: string): Promise<string> {
  const data = await graphqlHttp<{ authenticateDevice: { token: string } }>(
    server,
    'mutation($d: String!, $u: String) { authenticateDevice(deviceId: $d, username: $u) { token } }',
    { d: `bench-${name}-${process.pid}-${Date.now()}`, u: name },
  ).catch((e: unknown) => Promise.reject(new Error(`sign-in failed: ${e instanceof Error ? e.message : String(e)}`)));
  return data.authenticateDevice.token;
}

/** Subscribers join with persistence false; a sender's persistence decides whether what it sends is stored. */
export async function joinAll(conn: GraphqlWs, rooms: string[], persistence = false): Promise<void> {
  // Room channel ids are "room:<name>"; joinChat takes the name.
  await inBatches(rooms, 50, (room) => conn.run(JOIN, { t: room.slice('room:'.length), p: persistence }));
}

/**
 * Connects one subscriber following `rooms` (channel ids "room:…") and counts
 * every frame it receives after that into `tally`. For Parley, `token` is the
 * subscriber's own session; one room: channelMessage(channelId), several: one
 * channelMessage without channelId, which follows every joined channel.
 */
export async function subscriber(
  server: Server,
  rooms: string[],
  tally: Tally,
  sampled: boolean,
  token?: string,
  /** Parley only: another subscription than channelMessage, and joins with persistence on (so the rooms are in the inbox). */
  parley: { query?: string; persistence?: boolean } = {},
): Promise<WebSocket> {
  let ws: WebSocket;
  if (server.protocol === 'plain') {
    ws = new WebSocket(`${server.wsUrl}?rooms=${encodeURIComponent(rooms.join(','))}`, WS_OPTIONS);
    await handshake(ws, (s) => s === 'ok');
    countFrames(ws, { wanted: () => sampled, frame: (d) => tally.frame(d, sampled) });
  } else if (server.protocol === 'socket.io') {
    ws = await socketIo(server, rooms);
    const sock = ws;
    countFrames(ws, {
      // Single-byte frames are Engine.IO pings ("2"), to be answered with a pong ("3").
      wanted: (length) => sampled || length === 1,
      frame: (d) => (d?.length === 1 ? void (d[0] === 0x32 && sock.send('3')) : tally.frame(d, sampled)),
    });
  } else {
    const conn = await GraphqlWs.open(server, token!);
    await joinAll(conn, rooms, parley.persistence ?? false);
    ws = conn.detach();
    countFrames(ws, { wanted: () => sampled, frame: (d) => tally.frame(d, sampled) });
    const query = parley.query ?? (rooms.length === 1 ? followOne(rooms[0]!) : FOLLOW_ALL);
    ws.send(JSON.stringify({ id: 's', type: 'subscribe', payload: { query } }));
  }
  ws.on('error', () => {});
  return ws;
}

export interface Sender {
  /** Sends one message to `room`; resolves when the server has acknowledged it. */
  send(room: string): Promise<void>;
  close(): void;
}

const JOIN_GROUP = 'mutation($g: String!) { joinChat(target: $g, type: GROUP) { id } }';

/** A Parley sender in a group's channel ("group:<id>"), on its own connection; what it sends is stored. */
export async function groupSender(server: Server, groupId: string, token: string): Promise<Sender> {
  const conn = await GraphqlWs.open(server, token);
  await conn.run(JOIN_GROUP, { g: groupId });
  return { send: (channel) => conn.run(SEND, { ch: channel, c: content() }), close: () => conn.ws.close() };
}

/**
 * A sender on its own connection; for Parley, a session that has joined `rooms`
 * first, with `persistence` (true: what it sends is stored in history).
 */
export async function sender(server: Server, rooms: string[], token?: string, persistence = false): Promise<Sender> {
  if (server.protocol === 'graphql') {
    const conn = await GraphqlWs.open(server, token!);
    await joinAll(conn, rooms, persistence);
    return { send: (room) => conn.run(SEND, { ch: room, c: content() }), close: () => conn.ws.close() };
  }
  const ws = server.protocol === 'plain' ? new WebSocket(server.wsUrl, WS_OPTIONS) : await socketIo(server, []);
  if (server.protocol === 'plain') await opened(ws);
  ws.on('error', () => {});
  const acks = new Map<number, () => void>();
  let k = 0;
  ws.on('message', (d: Buffer) => {
    const s = String(d);
    if (s === '2') return void ws.send('3');
    // raw: {"k":n}; Socket.IO: "43<n>[]", the ack of event "42<n>[…]".
    const id = server.protocol === 'plain' ? (JSON.parse(s) as { k: number }).k : s.startsWith('43') ? parseInt(s.slice(2), 10) : NaN;
    acks.get(id)?.();
    acks.delete(id);
  });
  return {
    send(room) {
      const id = ++k;
      return new Promise<void>((resolve) => {
        acks.set(id, resolve);
        ws.send(
          server.protocol === 'plain'
            ? JSON.stringify({ r: room, k: id, c: content() })
            : `42${id}${JSON.stringify(['send', { r: room, c: content() }])}`,
        );
      });
    },
    close: () => ws.close(),
  };
}
