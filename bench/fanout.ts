// Fan-out benchmark: one sender, N WebSocket subscribers in one room, on one
// in-process server. Prints deliveries per second and end-to-end latency.
// Run: npm run bench:fanout -- [subscribers=200] [messages=200]
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { buildApp } from '../src/app.js';
import { makeConfig } from '../src/config.js';
import { createLogger } from '../src/lib/logger.js';
import { percentile, printTable } from './stats.js';

const subscribers = Number(process.argv[2] ?? 200);
const messages = Number(process.argv[3] ?? 200);

const app = await buildApp(
  makeConfig({
    DATA_DIR: 'memory://',
    LOG_LEVEL: 'silent',
    SUBSCRIPTION_QUEUE_LIMIT: 100_000,
    // Every client signs in from 127.0.0.1; the default limits would refuse past 30 users or sends.
    RATE_LIMIT_AUTH: null,
    RATE_LIMIT_JOIN: null,
    RATE_LIMIT_SEND: null,
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
  }),
  { log: createLogger('silent') },
);
await app.start(0, '127.0.0.1');
const url = app.url;

async function gql(query: string, variables: Record<string, unknown>, token?: string) {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await r.json()) as { data: any; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

async function user(i: number) {
  const d = await gql(`mutation($d: String!) { authenticateDevice(deviceId: $d) { token } }`, { d: `bench-device-${i}-${Date.now()}` });
  const token: string = d.authenticateDevice.token;
  await gql(`mutation { joinChat(target: "bench", type: ROOM) { id } }`, {}, token);
  return token;
}

const sender = await user(-1);
const latencies: number[] = [];
let delivered = 0;
let resolveAll: () => void;
const allDone = new Promise<void>((r) => (resolveAll = r));
const clients: Client[] = [];
for (let i = 0; i < subscribers; i++) {
  const token = await user(i);
  const client = createClient({
    url: url.replace('http', 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${token}` },
  });
  clients.push(client);
  client.subscribe(
    { query: `subscription { channelMessage(channelId: "room:bench") { id senderId username content createTime } }` },
    {
      next: (r: any) => {
        latencies.push(performance.now() + performance.timeOrigin - r.data.channelMessage.content.t);
        if (++delivered === subscribers * messages) resolveAll();
      },
      error: (e) => console.error('subscription error', e),
      complete: () => {},
    },
  );
}
while (app.deps.feeds.count() < subscribers) await new Promise((r) => setTimeout(r, 20));

const started = performance.now();
for (let i = 0; i < messages; i++) {
  await gql(
    `mutation($c: JSONObject!) { sendMessage(channelId: "room:bench", content: $c) { messageId } }`,
    { c: { t: performance.now() + performance.timeOrigin, i } },
    sender,
  );
}
const sentMs = performance.now() - started;
await allDone;
const totalMs = performance.now() - started;

printTable(`fan-out: ${subscribers} subscribers × ${messages} messages (${app.deps.db.kind})`, [
  ['sends/s (sequential HTTP mutations)', (messages / (sentMs / 1000)).toFixed(0)],
  ['deliveries', String(delivered)],
  ['deliveries/s', (delivered / (totalMs / 1000)).toFixed(0)],
  ['latency p50 ms', percentile(latencies, 50).toFixed(1)],
  ['latency p99 ms', percentile(latencies, 99).toFixed(1)],
  ['latency max ms', Math.max(...latencies).toFixed(1)],
  ['server RSS MB', (process.memoryUsage().rss / 2 ** 20).toFixed(0)],
]);
await Promise.all(clients.map((c) => c.dispose()));
await app.stop();
