// The measurement both delivery scenarios share: subscribers following rooms,
// senders sending to them, against raw ws, Socket.IO and Parley, each its own
// OS process, this process being the load that counts what arrives.
//
// The three servers are started and loaded with subscribers side by side,
// then measured in interleaved rounds (raw, sio, parley, then sio, parley,
// raw, …), each server alone while the others sit idle. On a machine shared
// with other work, the load of the moment changes the figures by a factor of
// two; interleaving gives each server the same mix of quiet and busy moments,
// so the shares stay meaningful. Rounds: warm-up (JIT, pools; not measured),
// saturated rounds (as fast as the windows allow: deliveries/s is their
// median, CPU their sum), then paced rounds at half the saturated message
// rate for latency (at saturation, latency only measures queue length).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type WebSocket from 'ws';
import { percentile } from '../stats.js';
import { inBatches, sender, signIn, subscriber, Tally, type Sender } from './clients.js';
import { INSPECT_ARGS, Inspector, startProfiles, stopProfiles } from './inspector.js';
import { drain, pace, saturate, sleep, type Load } from './load.js';
import { cpuMs, rssKB, runQueueMs, until, writeCalls } from './proc.js';
import type { BenchRow } from './result.js';
import { liveSubscriptions, startServer, SUBJECTS, type Kind, type Server } from './servers.js';

export interface Shape extends Load {
  scenario: string;
  /** Servers to measure; 'raw' is the main reference (share 100%), so it must be there. */
  kinds: Kind[];
  subscribers: number;
  /** Channel ids ("room:<name>") subscriber i follows. */
  roomsOf(i: number): string[];
  /** Length of each measured round. */
  seconds: number;
  rounds: number;
  warmupSeconds: number;
  /** Every n-th subscriber parses its frames for the send time. */
  sampleEvery: number;
}

/** One server with its subscribers and senders connected, and what has been measured on it. */
interface Rig {
  kind: Kind;
  server: Server;
  inspector: Inspector;
  tally: Tally;
  sockets: WebSocket[];
  senders: Sender[];
  setupSeconds: number;
  rssPerSubscriberKB: number;
  /** Live JS heap per subscriber: steadier than RSS, which keeps pages the heap has freed. */
  heapPerSubscriberKB: number;
  errors: string[];
  failed?: string;
  rates: number[];
  sent: number;
  missing: number;
  // Sums over the saturated rounds.
  wallMs: number;
  serverCpuMs: number;
  clientCpuMs: number;
  serverWaitMs: number;
  clientWaitMs: number;
  serverWrites: number;
  latencies: number[];
  /** Parley and Socket.IO: send→receive when paced at the other's latency pace, so each is also seen under the other's load. */
  latenciesAtOtherPace: number[];
  otherPace: number;
  /** Sums over the paced rounds at the server's own half, for the CPU the latency was measured at. */
  paced: { wallMs: number; serverCpuMs: number; clientCpuMs: number; serverWaitMs: number; clientWaitMs: number };
  sampleBytes: number;
  sampleFrames: number;
}

/** Progress on stderr, so a long run shows where it is (BENCH_QUIET=1 silences it). */
export function progress(what: string): void {
  if (!process.env.BENCH_QUIET) process.stderr.write(`  ${new Date().toISOString().slice(11, 19)} ${what}\n`);
}

/** RSS after full GCs, so that what start-up or set-up left as garbage does not count. */
async function settledRss(rig: { inspector: Inspector; server: Server }): Promise<number> {
  for (let i = 0; i < 2; i++) {
    await rig.inspector.collectGarbage();
    await sleep(300);
  }
  return rssKB(rig.server.pid);
}

/** The process's heap of live JS objects, in KB, after settledRss's collections. */
async function heapKB(rig: { inspector: Inspector }): Promise<number> {
  return (await rig.inspector.heapUsed()) / 1024;
}

async function prepare(shape: Shape, kind: Kind, server: Server): Promise<Rig> {
  const inspector = await Inspector.attach(server);
  const started = performance.now();
  const ids = Array.from({ length: shape.subscribers }, (_, i) => i);
  // Parley: every subscriber is its own user and session. Signed in before the
  // memory baseline: their rows are database memory (PGlite's heap in this
  // process, another process on PostgreSQL), not what a connection costs.
  const tokens = new Map<number, string>();
  if (kind === 'parley') await inBatches(ids, 32, async (i) => void tokens.set(i, await signIn(server, `s${i}`)));
  const rssBefore = await settledRss({ inspector, server });
  const heapBefore = await heapKB({ inspector });
  const tally = new Tally();
  const rig: Rig = {
    kind,
    server,
    inspector,
    tally,
    sockets: [],
    senders: [],
    setupSeconds: 0,
    rssPerSubscriberKB: NaN,
    heapPerSubscriberKB: NaN,
    errors: [],
    rates: [],
    sent: 0,
    missing: 0,
    wallMs: 0,
    serverCpuMs: 0,
    clientCpuMs: 0,
    serverWaitMs: 0,
    clientWaitMs: 0,
    serverWrites: 0,
    latencies: [],
    latenciesAtOtherPace: [],
    otherPace: 0,
    paced: { wallMs: 0, serverCpuMs: 0, clientCpuMs: 0, serverWaitMs: 0, clientWaitMs: 0 },
    sampleBytes: 0,
    sampleFrames: 0,
  };
  await inBatches(ids, 32, async (i) => {
    rig.sockets.push(await subscriber(server, shape.roomsOf(i), tally, i % shape.sampleEvery === 0, tokens.get(i)));
  });
  for (const [j, rooms] of shape.senderRooms.entries()) {
    rig.senders.push(await sender(server, rooms, kind === 'parley' ? await signIn(server, `sender${j}`) : undefined));
  }
  if (server.protocol === 'graphql') {
    await until('every subscription to be live', async () => (await liveSubscriptions(server)) >= shape.subscribers, 60_000);
  }
  rig.setupSeconds = (performance.now() - started) / 1000;
  rig.rssPerSubscriberKB = ((await settledRss(rig)) - rssBefore) / shape.subscribers;
  rig.heapPerSubscriberKB = ((await heapKB(rig)) - heapBefore) / shape.subscribers;
  progress(
    `${shape.scenario}/${kind}: ${shape.subscribers} subscribers and ${rig.senders.length} senders ready in ${rig.setupSeconds.toFixed(1)} s`,
  );
  return rig;
}

async function saturatedRound(shape: Shape, rig: Rig, seconds: number, measured: boolean): Promise<void> {
  const { tally, server } = rig;
  tally.reset();
  const cpu0 = cpuMs(server.pid);
  const [serverWait0, clientWait0] = [runQueueMs(server.pid), runQueueMs('self')];
  const client0 = process.cpuUsage();
  const writes0 = writeCalls(server.pid);
  const wall0 = performance.now();
  const { sent, first } = await saturate(shape, rig.senders, tally, seconds, rig.errors);
  const missing = await drain(tally, sent * shape.perRoom);
  if (!measured) return;
  const used = process.cpuUsage(client0);
  rig.wallMs += performance.now() - wall0;
  rig.serverCpuMs += cpuMs(server.pid) - cpu0;
  rig.clientCpuMs += (used.user + used.system) / 1000;
  rig.serverWaitMs += runQueueMs(server.pid) - serverWait0;
  rig.clientWaitMs += runQueueMs('self') - clientWait0;
  rig.serverWrites += writeCalls(server.pid) - writes0;
  rig.rates.push(tally.frames / ((tally.last - first) / 1000));
  rig.sent += sent;
  rig.missing += missing;
  progress(`${shape.scenario}/${rig.kind}: ${Math.round(rig.rates.at(-1)!)} deliveries/s`);
}

async function pacedRound(shape: Shape, rig: Rig, rate: number, seconds: number, into = rig.latencies): Promise<void> {
  rig.tally.reset();
  const { pid } = rig.server;
  const [cpu0, serverWait0, clientWait0, client0, wall0] = [
    cpuMs(pid),
    runQueueMs(pid),
    runQueueMs('self'),
    process.cpuUsage(),
    performance.now(),
  ];
  const { sent } = await pace(shape, rig.senders, rate, seconds, rig.errors);
  rig.missing += await drain(rig.tally, sent * shape.perRoom);
  if (into === rig.latencies) {
    const used = process.cpuUsage(client0);
    rig.paced.wallMs += performance.now() - wall0;
    rig.paced.serverCpuMs += cpuMs(pid) - cpu0;
    rig.paced.clientCpuMs += (used.user + used.system) / 1000;
    rig.paced.serverWaitMs += runQueueMs(pid) - serverWait0;
    rig.paced.clientWaitMs += runQueueMs('self') - clientWait0;
  }
  into.push(...rig.tally.latencies);
  rig.sampleBytes += rig.tally.sampleBytes;
  rig.sampleFrames += rig.tally.sampleFrames;
}

const median = (xs: number[]) => percentile(xs, 50);

/** Runs one round on every rig still standing, in the given order; a failure retires that rig. */
async function eachRig(rigs: Rig[], round: number, fn: (rig: Rig) => Promise<void>): Promise<void> {
  const order = rigs.map((_, i) => rigs[(i + round) % rigs.length]!);
  for (const rig of order) {
    if (rig.failed) continue;
    try {
      await fn(rig);
    } catch (e) {
      rig.failed = e instanceof Error ? e.message.slice(0, 300) : String(e);
    }
  }
}

/** Measures the shape on its servers (raw ws, Socket.IO, Parley, …) and makes their rows (share of raw ws). */
export async function deliveryRows(shape: Shape, profileDir?: string): Promise<BenchRow[]> {
  // BENCH_SERVERS (run.ts --servers raw,parley) keeps only those servers, to look at a few at a time.
  const only = process.env.BENCH_SERVERS?.split(',');
  const kinds = only ? shape.kinds.filter((k) => only.includes(k)) : shape.kinds;
  progress(`${shape.scenario}: starting the servers`);
  // Start-up and set-up run side by side (nothing is measured yet), which saves the minute PGlite can take on a busy machine.
  const started = await Promise.allSettled(kinds.map((kind) => startServer(kind, INSPECT_ARGS)));
  const prepared = await Promise.allSettled(
    started.map((s, i) =>
      s.status === 'fulfilled'
        ? prepare(shape, kinds[i]!, s.value).catch((e: unknown) =>
            Promise.reject(new Error(`set-up: ${e instanceof Error ? e.message : String(e)}`)),
          )
        : Promise.reject(s.reason),
    ),
  );
  const rigs = prepared.flatMap((p) => (p.status === 'fulfilled' ? [p.value] : []));
  try {
    await eachRig(rigs, 0, (rig) => saturatedRound(shape, rig, shape.warmupSeconds, false));
    const parley = rigs.find((r) => r.kind === 'parley');
    if (profileDir && parley) await startProfiles(parley.inspector);
    for (let round = 0; round < shape.rounds; round++) await eachRig(rigs, round, (rig) => saturatedRound(shape, rig, shape.seconds, true));
    for (let round = 0; round < shape.rounds; round++) {
      await eachRig(rigs, round, (rig) => pacedRound(shape, rig, median(rig.rates) / shape.perRoom / 2, shape.seconds));
    }
    // Each server's latency is taken at half of its own saturation, so a faster server carries more. Also at
    // the same message rate: Parley at Socket.IO's half, every other server at Parley's half. The corked raw
    // server at Parley's pace tells what that rate costs the load process itself: when it is slow there too,
    // the latency is the clients', not the server's.
    const sio = rigs.find((r) => r.kind === 'sio' && !r.failed && r.rates.length);
    if (parley && !parley.failed && parley.rates.length) {
      // Not the graphql-ws floors: a tenth of Parley's rate, they would only queue for the whole round.
      const others = rigs.filter((r) => ['raw', 'rawCorked', 'sio'].includes(r.kind) && !r.failed && r.rates.length);
      for (const rig of others) rig.otherPace = median(parley.rates) / shape.perRoom / 2;
      if (sio) parley.otherPace = median(sio.rates) / shape.perRoom / 2;
      const paced = sio ? [parley, ...others] : others;
      for (let round = 0; round < shape.rounds; round++) {
        await eachRig(paced, round, (rig) => pacedRound(shape, rig, rig.otherPace, shape.seconds, rig.latenciesAtOtherPace));
      }
    }
    if (profileDir && parley && !parley.failed) {
      mkdirSync(profileDir, { recursive: true });
      const file = join(profileDir, `parley-${shape.scenario}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`);
      await stopProfiles(parley.inspector, file);
      progress(`${shape.scenario}/parley: CPU and allocation profiles (its saturated and paced rounds) in ${file} and beside it`);
    }
  } finally {
    for (const rig of rigs) {
      rig.senders.forEach((s) => s.close());
      rig.sockets.forEach((ws) => ws.terminate());
      rig.inspector.close();
    }
    await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.stop() : undefined)));
  }

  const rows: BenchRow[] = [];
  const reference = rigs.find((r) => r.kind === 'raw' && !r.failed);
  const refRate = reference ? median(reference.rates) : undefined;
  for (const [i, kind] of kinds.entries()) {
    const base = { scenario: shape.scenario, subject: SUBJECTS[kind], reference: kind !== 'parley' };
    const rig = rigs.find((r) => r.kind === kind);
    const rejected = prepared[i]!.status === 'rejected' ? (prepared[i] as PromiseRejectedResult).reason : undefined;
    const failure = rig?.failed ?? (rejected instanceof Error ? rejected.message : rejected === undefined ? undefined : String(rejected));
    if (!rig || failure) {
      rows.push({ ...base, note: `failed: ${failure?.slice(0, 300)}` });
      continue;
    }
    const row = rowOf(shape, rig, base, refRate);
    if (profileDir && kind === 'parley') row.note += '; CPU profiler on (slower)';
    rows.push(row);
  }
  return rows;
}

/** CPU of server and load process over the paced rounds, and how long each was runnable but not running. */
function pacedCpu(p: Rig['paced']): string {
  const pct = (ms: number) => `${((ms / p.wallMs) * 100).toFixed(0)}%`;
  return `srv ${pct(p.serverCpuMs)} +${pct(p.serverWaitMs)} waiting, cli ${pct(p.clientCpuMs)} +${pct(p.clientWaitMs)} waiting`;
}

const round = (n: number, digits = 0) => (Number.isFinite(n) ? Number(n.toFixed(digits)) : undefined);

function rowOf(shape: Shape, rig: Rig, base: Pick<BenchRow, 'scenario' | 'subject' | 'reference'>, refRate?: number): BenchRow {
  const rate = median(rig.rates);
  const serverCpuPct = (rig.serverCpuMs / rig.wallMs) * 100;
  const clientCpuPct = (rig.clientCpuMs / rig.wallMs) * 100;
  const notes = [
    `rounds ${rig.rates.map((r) => Math.round(r / 1000)).join('/')}k`,
    `${Math.round(rate / (serverCpuPct / 100)).toLocaleString('en-US')} per srv CPU-s`,
    `${rig.sent} msgs`,
    `${((rig.serverWrites / (rig.sent * shape.perRoom)) * 1000).toFixed(0)} srv write calls per 1,000 deliveries`,
    `${Math.round(rig.sampleBytes / rig.sampleFrames)} B frames`,
    `latency at ${(rate / shape.perRoom / 2).toFixed(0)} msg/s (CPU ${pacedCpu(rig.paced)})`,
    ...(rig.latenciesAtOtherPace.length
      ? [
          `at ${rig.kind === 'parley' ? "Socket.IO's" : "Parley's"} pace (${rig.otherPace.toFixed(0)} msg/s) p50/p99 ${percentile(rig.latenciesAtOtherPace, 50).toFixed(1)}/${percentile(rig.latenciesAtOtherPace, 99).toFixed(1)} ms`,
        ]
      : []),
    `waited for CPU srv ${((rig.serverWaitMs / rig.wallMs) * 100).toFixed(0)}% cli ${((rig.clientWaitMs / rig.wallMs) * 100).toFixed(0)}%`,
    `JS heap ${rig.heapPerSubscriberKB.toFixed(1)} KB/sub`,
    `setup ${rig.setupSeconds.toFixed(0)} s`,
  ];
  // Running or waiting to run all window long: the load process, not the server, may be what limits the rate.
  const clientWaitPct = (rig.clientWaitMs / rig.wallMs) * 100;
  if (clientCpuPct + clientWaitPct >= 90)
    notes.push(`CLIENT-BOUND? the load process was never idle (CPU ${clientCpuPct.toFixed(0)}% + waiting ${clientWaitPct.toFixed(0)}%)`);
  if (rig.missing) notes.push(`${rig.missing} deliveries missing`);
  if (rig.errors.length || rig.tally.errors.length) notes.push(`errors: ${[...rig.errors, ...rig.tally.errors][0]}`);
  return {
    ...base,
    rate: round(rate),
    rateUnit: 'deliveries/s',
    share: refRate ? round(rate / refRate, 3) : undefined,
    p50Ms: round(percentile(rig.latencies, 50), 2),
    p99Ms: round(percentile(rig.latencies, 99), 2),
    rssPerSubscriberKB: round(rig.rssPerSubscriberKB, 1),
    serverCpuPct: round(serverCpuPct),
    clientCpuPct: round(clientCpuPct),
    note: notes.join('; '),
  };
}
