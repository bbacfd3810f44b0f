/**
 * Cross-process delivery latency: a message sent over HTTP to process A,
 * received over WebSocket from process B (PostgreSQL + Redis between them),
 * against the same with the subscriber on A. Prints figures; never pass/fail.
 *
 *   npm run bench:latency            # 500 messages per case
 *   BENCH_MESSAGES=2000 npm run bench:latency
 * Uses BENCH_DATABASE_URL / BENCH_REDIS_URL (default: this machine's services);
 * a throwaway database and a key prefix of its own are created and removed.
 */
import { performance } from 'node:perf_hooks';
import { dropRedisPrefix, freshDatabase } from '../test/helpers/backends.js';
import { clusterEnv, startNode, type NodeProcess } from '../test/helpers/nodes.js';
import { joinRoom, Q, send, subscribe, uniqueName, type Endpoint } from '../test/helpers/server.js';

const DATABASE = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const N = Number(process.env.BENCH_MESSAGES ?? 500);
const WARMUP = 200;

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const ms = (x: number) => `${x.toFixed(2)} ms`;

async function measure(label: string, sender: Endpoint, receiver: NodeProcess, persistence: boolean) {
  const [ada, bob] = [await sender.signIn(), await receiver.signIn()];
  const name = uniqueName('bench');
  const room = await joinRoom(sender, ada, name, { persistence });
  await joinRoom(receiver, bob, name);
  const sub = subscribe(receiver.ws(bob), Q.onMessage, { c: room });
  await receiver.subscriptions(1, 10_000);
  const total: number[] = [];
  const afterAck: number[] = [];
  for (let i = 0; i < N + WARMUP; i++) {
    const t0 = performance.now();
    const ackP = send(sender, ada, room, { i }).then(() => performance.now());
    await sub.next(10_000);
    const t1 = performance.now();
    const tAck = await ackP;
    if (i < WARMUP) continue;
    total.push(t1 - t0);
    afterAck.push(t1 - tAck);
  }
  sub.close();
  await receiver.closeClients();
  await receiver.subscriptions(0, 10_000);
  total.sort((x, y) => x - y);
  afterAck.sort((x, y) => x - y);
  console.log(
    `${label.padEnd(44)} send->receive p50 ${ms(pct(total, 50))}  p99 ${ms(pct(total, 99))}  max ${ms(total.at(-1)!)}` +
      `   receive-minus-ack p50 ${ms(pct(afterAck, 50))}  p99 ${ms(pct(afterAck, 99))}`,
  );
}

const db = await freshDatabase(DATABASE);
const env = clusterEnv(db.url, REDIS, { LOG_LEVEL: 'warn' });
const [a, b] = await Promise.all([startNode('A', env), startNode('B', env)]);
try {
  console.log(`${N} messages per case, one at a time (next sent once the previous arrived); ${WARMUP} warm-up messages not counted`);
  await measure('same process (A -> A), stored', a, a, true);
  await measure('cross process (A -> B), stored', a, b, true);
  await measure('cross process (A -> B), not stored', a, b, false);
} finally {
  await Promise.all([a.stop(), b.stop()]);
  await db.drop();
  await dropRedisPrefix(REDIS, env.REDIS_PREFIX!);
}
