// Execution cost of fan-out: N WebSocket subscribers in one room on one
// in-process server, events published straight to pub/sub (no database, no
// sender), so the figure is what delivery itself costs. Runs twice: every
// subscriber with the same document (one shared execution per event), then
// each with a document of its own (one execution per subscriber).
// Run: npm run bench:execution -- [subscribers=500] [events=200]
import { createClient, type Client } from 'graphql-ws';
import { uuidv7 } from 'uuidv7';
import WebSocket from 'ws';
import { buildApp } from '../src/app.js';
import { makeConfig } from '../src/config.js';
import { createLogger } from '../src/lib/logger.js';
import type { ChatMessage } from '../src/domain/types.js';
import { printTable } from './stats.js';

const subscribers = Number(process.argv[2] ?? 500);
const events = Number(process.argv[3] ?? 200);
const ROOM = 'room:bench';

async function run(shared: boolean) {
  const app = await buildApp(
    makeConfig({
      DATA_DIR: 'memory://',
      LOG_LEVEL: 'silent',
      RATE_LIMIT_AUTH: null,
      RATE_LIMIT_JOIN: null,
      RATE_LIMIT_SEND: null,
      MAX_CONNECTIONS_PER_USER: 0,
      SUBSCRIPTION_QUEUE_LIMIT: 1_000_000,
      WS_MAX_BACKLOG: 1_000_000,
    }),
    { log: createLogger('silent') },
  );
  await app.start(0, '127.0.0.1');
  const gql = async (query: string, variables: Record<string, unknown>, token?: string) => {
    const r = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return ((await r.json()) as { data: any }).data;
  };

  let delivered = 0;
  let done: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const clients: Client[] = [];
  for (let i = 0; i < subscribers; i++) {
    const { token } = (
      await gql(`mutation($d: String!) { authenticateDevice(deviceId: $d) { token } }`, { d: `bench-exec-${i}-${Date.now()}` })
    ).authenticateDevice;
    await gql(`mutation { joinChat(target: "bench", type: ROOM) { id } }`, {}, token);
    const client = createClient({
      url: app.url.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${token}` },
    });
    clients.push(client);
    // A distinct alias makes a distinct document, so nothing is shared.
    const field = shared ? 'channelMessage' : `m${i}: channelMessage`;
    client.subscribe(
      {
        query: `subscription { ${field}(channelId: "${ROOM}") { id channelId senderId username content createTime updateTime persistent roomName } }`,
      },
      { next: () => void (++delivered === subscribers * events && done()), error: (e) => console.error(e), complete: () => {} },
    );
  }
  while (app.deps.feeds.count() < subscribers) await new Promise((r) => setTimeout(r, 20));

  const started = performance.now();
  for (let i = 0; i < events; i++) {
    const now = new Date();
    const message: ChatMessage = {
      id: uuidv7(),
      channelId: ROOM,
      seq: null,
      code: 0,
      senderId: 'bench',
      username: 'bench',
      content: { text: 'hello', i },
      createTime: now,
      updateTime: now,
      persistent: false,
      clientMessageId: null,
      mentions: [],
      replyTo: null,
      replyCount: 0,
      roomName: 'bench',
      groupId: null,
      userIdOne: null,
      userIdTwo: null,
    };
    await app.deps.pubsub.publish('channel', ROOM, { type: 'message', message });
    // Let the sockets drain now and then, as a real stream of messages would.
    if (i % 20 === 19) await new Promise((r) => setImmediate(r));
  }
  await finished;
  const seconds = (performance.now() - started) / 1000;
  const stats = app.stats() as { sharedExecution?: { executed: number; reused: number } };
  await Promise.all(clients.map((c) => c.dispose()));
  await app.stop();
  return { rate: delivered / seconds, executed: stats.sharedExecution?.executed ?? NaN };
}

const sharedRun = await run(true);
const distinctRun = await run(false);
printTable(`execution fan-out: ${subscribers} subscribers × ${events} events, published to pub/sub directly`, [
  ['same document (shared execution) deliveries/s', sharedRun.rate.toFixed(0)],
  ['  selections executed', String(sharedRun.executed)],
  ['distinct documents (one execution each) deliveries/s', distinctRun.rate.toFixed(0)],
  ['  selections executed', String(distinctRun.executed)],
]);
