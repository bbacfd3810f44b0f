import { pathToFileURL } from 'node:url';
import type { BenchRow } from './result.js';

const fmt = (n: number | undefined, digits = 0) =>
  n === undefined ? '' : n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Every row as one aligned text table (the note column last, unpadded). */
export function formatTable(rows: BenchRow[]): string {
  const header = ['scenario', 'subject', 'rate', 'unit', 'share', 'p50 ms', 'p99 ms', 'RSS/sub KB', 'srv CPU%', 'cli CPU%', 'note'];
  const cells = rows.map((r) => [
    r.scenario,
    r.subject + (r.reference ? ' *' : ''),
    fmt(r.rate),
    r.rateUnit ?? '',
    r.share === undefined ? '' : `${(r.share * 100).toFixed(1)}%`,
    fmt(r.p50Ms, 1),
    fmt(r.p99Ms, 1),
    fmt(r.rssPerSubscriberKB, 1),
    fmt(r.serverCpuPct),
    fmt(r.clientCpuPct),
    r.note ?? '',
  ]);
  const all = [header, ...cells];
  const widths = header.map((_, c) => Math.max(...all.map((row) => row[c]!.length)));
  const numeric = new Set([2, 4, 5, 6, 7, 8, 9]);
  const line = (row: string[]) =>
    row
      .map((cell, c) => (c === row.length - 1 ? cell : numeric.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line), '(* reference row)'].join('\n');
}

/** True when `moduleUrl` is the script node was started with (a scenario run on its own). */
export function isMain(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && moduleUrl === pathToFileURL(process.argv[1]).href;
}
