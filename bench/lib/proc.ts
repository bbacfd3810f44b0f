// Child processes for servers, and what /proc says about them.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
export { freePort } from '../../test/helpers/port.js';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface NodeChild {
  child: ChildProcess;
  pid: number;
  output(): string;
  exited: Promise<number | null>;
  /** SIGTERM (a clean exit), SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();
// A benchmark that fails or is interrupted must not leave servers behind.
process.once('exit', () => running.forEach((c) => c.kill('SIGKILL')));
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => process.exit(130));
}

/** `node <nodeArgs> [--import tsx] <script>` in the repository root, as its own OS process (tsx for .ts scripts only). */
export function spawnNode(script: string, env: Record<string, string>, nodeArgs: string[] = []): NodeChild {
  const loader = script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...nodeArgs, ...loader, script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  running.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  return {
    child,
    pid: child.pid!,
    output: () => out,
    exited,
    async stop(graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

export async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Resident set size of a process in KB (VmRSS). */
export function rssKB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux build we run on (getconf CLK_TCK)

/** Write system calls (write, writev, sendmsg…) the process has made: what batching saves shows here, steadier than CPU time. */
export function writeCalls(pid: number): number {
  return Number(/^syscw: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? NaN);
}

/** CPU time (user + system, all threads) a process has used so far, in ms. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name is in parentheses and may contain spaces: count fields after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** CPU time so far (ms) of every process whose command name is `name` (e.g. PostgreSQL's backends), by pid. */
export function cpuByPid(name: string): Map<number, number> {
  const byPid = new Map<number, number>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === name) byPid.set(Number(pid), cpuMs(Number(pid)));
    } catch {
      // ended meanwhile
    }
  }
  return byPid;
}

/**
 * CPU ms the processes named `name` used since `before` (from cpuByPid): ones
 * started since count whole; ones that ended meanwhile drop out, their last
 * moments lost (a pool closing idle connections can make that happen).
 */
export function cpuMsSince(before: Map<number, number>, name: string): number {
  let total = 0;
  for (const [pid, ms] of cpuByPid(name)) total += ms - (before.get(pid) ?? 0);
  return total;
}

/**
 * Time the process's main thread has spent runnable but waiting for a CPU, in
 * ms (/proc/<pid>/schedstat). On a shared machine this says how much of a
 * window a process was starved by others rather than busy or idle.
 */
export function runQueueMs(pid: number | 'self'): number {
  const [, waitNs] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ');
  return Number(waitNs) / 1e6;
}
