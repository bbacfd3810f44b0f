// Summarises a log of bench/request-monitor.mjs: requests that ran alone (no
// other request in flight meanwhile, the 1-in-flight rounds), their time in
// the server, and for the slowest what they overlapped or waited on.
// Run: node --import tsx bench/request-monitor-summary.ts <log> [slowest=25]
import { readFileSync } from 'node:fs';
import { isMain } from './lib/table.js';

interface Request {
  start: number;
  end: number;
  cpuMs: number;
  queryMs: number | null;
}

const at = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? NaN;

export function summarizeRequests(log: string, slowest = 25): string {
  const requests: Request[] = [];
  const gcs: { start: number; end: number; kind: string }[] = [];
  for (const line of log.split('\n')) {
    const [kind, a, b, c, d] = line.split(' ');
    if (kind === 'req') requests.push({ start: Number(a), end: Number(b), cpuMs: Number(c), queryMs: d === '-' ? null : Number(d) });
    if (kind === 'gc') gcs.push({ start: Number(a), end: Number(b), kind: c! });
  }
  requests.sort((x, y) => x.start - y.start);
  // Alone: every earlier request had ended when it started, and the next started after it ended.
  let endedBy = -Infinity;
  const alone = requests.filter((r, i) => {
    const wasAlone = endedBy <= r.start && (requests[i + 1]?.start ?? Infinity) >= r.end;
    endedBy = Math.max(endedBy, r.end);
    return wasAlone;
  });
  const ms = (r: Request) => r.end - r.start;
  const walls = alone.map(ms).sort((x, y) => x - y);
  const queries = alone.flatMap((r) => (r.queryMs === null ? [] : [r.queryMs])).sort((x, y) => x - y);
  const overlapping = (r: Request) => gcs.filter((g) => g.start < r.end && g.end > r.start);
  const slow = alone.filter((r) => ms(r) > 6);
  const fmt = (n: number) => (Number.isNaN(n) ? '-' : n.toFixed(2));
  return [
    `${requests.length} requests, ${alone.length} alone; in the server p50 ${fmt(at(walls, 0.5))} / p99 ${fmt(at(walls, 0.99))} ms; ` +
      `their query p50 ${fmt(at(queries, 0.5))} / p99 ${fmt(at(queries, 0.99))} ms`,
    `${slow.length} alone over 6 ms, ${slow.filter((r) => overlapping(r).length).length} of them overlapping a collection`,
    `slowest ${slowest} alone: wall ms, process CPU ms (above wall: other threads ran), query ms, collections`,
    ...[...alone]
      .sort((x, y) => ms(y) - ms(x))
      .slice(0, slowest)
      .map(
        (r) =>
          `  ${fmt(ms(r)).padStart(8)} ${fmt(r.cpuMs).padStart(8)} ${(r.queryMs === null ? '-' : fmt(r.queryMs)).padStart(8)}  ` +
          overlapping(r)
            .map((g) => `${g.kind} ${fmt(g.end - g.start)}`)
            .join(', '),
      ),
  ].join('\n');
}

if (isMain(import.meta.url)) {
  const [file, slowest] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node --import tsx bench/request-monitor-summary.ts <log> [slowest=25]');
    process.exit(2);
  }
  console.log(summarizeRequests(readFileSync(file, 'utf8'), Number(slowest ?? 25)));
}
