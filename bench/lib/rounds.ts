// Request/response measurements (stored sends, history pages, SQL alone):
// a fixed number of operations in flight for a fixed time, each subject
// measured alone in interleaved rounds, with the CPU of the server, of this
// process and of PostgreSQL's processes over each window.
import { percentile } from '../stats.js';
import { cpuByPid, cpuMs, cpuMsSince, runQueueMs, writeCalls } from './proc.js';

/** What one window of a subject produced. */
export interface Outcome {
  /** Operations completed (rows, sends, pages). */
  count: number;
  /** Time from the first operation to the last completion, for the rate. */
  wallMs: number;
  /** Per-operation latencies, ms. */
  latencies: number[];
  errors?: string[];
  /** Deliveries expected and missing, where subscribers count them. */
  expected?: number;
  missing?: number;
}

export interface Subject {
  name: string;
  /** The server process, for its CPU. */
  serverPid?: number;
  run(seconds: number): Promise<Outcome>;
}

export interface Measured {
  outcomes: Outcome[];
  /** Over every measured window: wall, and CPU of the server, this process and PostgreSQL. */
  windowMs: number;
  serverCpuMs: number;
  clientCpuMs: number;
  pgCpuMs: number;
  /** Runnable but not running (other work on the machine): the server's main thread, and this process's. */
  serverWaitMs: number;
  clientWaitMs: number;
  /** The server's write system calls. */
  serverWrites: number;
  failed?: string;
}

export const median = (xs: number[]) => percentile(xs, 50);

/** `concurrency` loops calling `op` back to back for `seconds`; the last ones finish after the deadline. */
export async function closedLoop(concurrency: number, seconds: number, op: () => Promise<unknown>): Promise<Outcome> {
  const start = performance.now();
  const end = start + seconds * 1000;
  const latencies: number[] = [];
  const errors: string[] = [];
  const loop = async () => {
    while (performance.now() < end) {
      const t = performance.now();
      try {
        await op();
        latencies.push(performance.now() - t);
      } catch (e) {
        if (errors.length < 5) errors.push(e instanceof Error ? e.message.slice(0, 300) : String(e));
        if (errors.length >= 5) return;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  return { count: latencies.length, wallMs: performance.now() - start, latencies, errors };
}

/** Runs every subject for a warm-up, then `rounds` measured windows, rotating the order each round. */
export async function interleaved<S extends Subject>(
  subjects: S[],
  o: { rounds: number; seconds: number; warmupSeconds: number },
  progress?: (s: string) => void,
) {
  const results = new Map<S, Measured>(
    subjects.map((s) => [
      s,
      { outcomes: [], windowMs: 0, serverCpuMs: 0, clientCpuMs: 0, pgCpuMs: 0, serverWaitMs: 0, clientWaitMs: 0, serverWrites: 0 },
    ]),
  );
  for (let round = -1; round < o.rounds; round++) {
    const order = subjects.map((_, i) => subjects[(i + Math.max(round, 0)) % subjects.length]!);
    for (const subject of order) {
      const m = results.get(subject)!;
      if (m.failed) continue;
      try {
        if (round < 0) {
          await subject.run(o.warmupSeconds);
          continue;
        }
        const [srv0, pg0, cli0, wall0] = [
          subject.serverPid ? cpuMs(subject.serverPid) : 0,
          cpuByPid('postgres'),
          process.cpuUsage(),
          performance.now(),
        ];
        const [srvWait0, cliWait0] = [subject.serverPid ? runQueueMs(subject.serverPid) : 0, runQueueMs('self')];
        const writes0 = subject.serverPid ? writeCalls(subject.serverPid) : 0;
        const outcome = await subject.run(o.seconds);
        m.serverWaitMs += subject.serverPid ? runQueueMs(subject.serverPid) - srvWait0 : 0;
        m.serverWrites += subject.serverPid ? writeCalls(subject.serverPid) - writes0 : 0;
        m.clientWaitMs += runQueueMs('self') - cliWait0;
        const cli = process.cpuUsage(cli0);
        m.windowMs += performance.now() - wall0;
        m.serverCpuMs += subject.serverPid ? cpuMs(subject.serverPid) - srv0 : 0;
        m.pgCpuMs += cpuMsSince(pg0, 'postgres');
        m.clientCpuMs += (cli.user + cli.system) / 1000;
        m.outcomes.push(outcome);
        progress?.(
          `${subject.name}: ${Math.round(outcome.count / (outcome.wallMs / 1000))}/s, p99 ${percentile(outcome.latencies, 99).toFixed(1)} ms`,
        );
      } catch (e) {
        m.failed = e instanceof Error ? e.message.slice(0, 300) : String(e);
      }
    }
  }
  return results;
}

/** Rate (median over windows), latency over all windows, CPU as % of one core, and the notes every such row carries. */
export function summary(m: Measured) {
  const rate = median(m.outcomes.map((o) => o.count / (o.wallMs / 1000)));
  const latencies = m.outcomes.flatMap((o) => o.latencies);
  const count = m.outcomes.reduce((n, o) => n + o.count, 0);
  const pct = (ms: number) => (ms / m.windowMs) * 100;
  const notes = [`rounds ${m.outcomes.map((o) => Math.round(o.count / (o.wallMs / 1000))).join('/')}`];
  const expected = m.outcomes.reduce((n, o) => n + (o.expected ?? 0), 0);
  const missing = m.outcomes.reduce((n, o) => n + (o.missing ?? 0), 0);
  if (expected) notes.push(`deliveries ${(((expected - missing) / expected) * 100).toFixed(2)}% of ${expected.toLocaleString('en-US')}`);
  notes.push(`waited for CPU ${m.serverWaitMs ? `srv ${pct(m.serverWaitMs).toFixed(0)}% ` : ''}cli ${pct(m.clientWaitMs).toFixed(0)}%`);
  const errors = m.outcomes.flatMap((o) => o.errors ?? []);
  if (errors.length) notes.push(`errors: ${errors[0]}`);
  return {
    rate,
    count,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    serverCpuPct: m.serverCpuMs ? pct(m.serverCpuMs) : undefined,
    clientCpuPct: pct(m.clientCpuMs),
    pgCpuPct: pct(m.pgCpuMs),
    /** CPU ms per operation of the server, and of PostgreSQL's processes. */
    serverCpuMsPerOp: m.serverCpuMs / count,
    /** The server's write system calls per operation. */
    serverWritesPerOp: m.serverWrites / count,
    pgCpuMsPerOp: m.pgCpuMs / count,
    notes,
  };
}

export const round = (n: number | undefined, digits = 0) => (n !== undefined && Number.isFinite(n) ? Number(n.toFixed(digits)) : undefined);
