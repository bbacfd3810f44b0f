// Summarises a V8 .cpuprofile (from `npm run bench -- --profile`, Chrome
// DevTools, or node --cpu-prof): self time by function and by package.
// Self time is summed from the sample time deltas, so a changed sampling
// interval does not skew it. Shares are of busy time (everything but idle).
// A .heapprofile written beside it (V8's sampling heap profiler over the same
// window, collected objects included) gives the bytes allocated the same way:
// what makes the young-generation collections that a request's tail waits on.
// Run: node --import tsx bench/profile-summary.ts <file.cpuprofile|file.heapprofile> [top=15]
import { readFileSync } from 'node:fs';
import { isMain } from './lib/table.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface Entry {
  name: string;
  /** Milliseconds of self time, or megabytes allocated. */
  amount: number;
  pct: number;
}

/** The top `n` of a map by value, with each one's share of `total`; values scaled by `unit`. */
function ranked(m: Map<string, number>, total: number, n: number, unit = 1): Entry[] {
  return [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, value]) => ({ name, amount: value / unit, pct: (value / total) * 100 }));
}

/** "graphql", "@graphql-tools/executor", "parley src", "node core", "(native)" (C++ bindings such as writev), or a V8 pseudo-frame such as "(garbage collector)". */
export function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  if (url.startsWith('wasm://')) return 'wasm (PGlite)';
  if (url.startsWith('node:') || !url.includes('/')) return 'node core';
  if (/\/src\//.test(url)) return 'parley src';
  return url.replace(/^file:\/\//, '');
}

function where(url: string, line: number): string {
  if (!url) return '';
  const nm = /node_modules\/(.+)$/.exec(url);
  const short = nm ? nm[1]! : url.replace(/^file:\/\/.*?\/(src|bench)\//, '$1/');
  return `${short}:${line + 1}`;
}

export function summarize(profile: CpuProfile, top = 15): { busyMs: number; idleMs: number; functions: Entry[]; packages: Entry[] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  // timeDeltas[i] is the time before sample i; attribute it to the sampled node.
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const fns = new Map<string, number>();
  const pkgs = new Map<string, number>();
  let idleMs = 0;
  for (const [id, ms] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') {
      idleMs += ms;
      continue;
    }
    const fn = `${functionName || '(anonymous)'} ${where(url, lineNumber)}`.trim();
    fns.set(fn, (fns.get(fn) ?? 0) + ms);
    const pkg = packageOf(url, functionName);
    pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + ms);
  }
  const busyMs = [...pkgs.values()].reduce((a, b) => a + b, 0);
  return { busyMs, idleMs, functions: ranked(fns, busyMs, top), packages: ranked(pkgs, busyMs, Infinity) };
}

export function formatSummary(s: ReturnType<typeof summarize>): string {
  const lines = (entries: Entry[]) =>
    entries.map((e) => `  ${e.amount.toFixed(0).padStart(7)} ms  ${e.pct.toFixed(1).padStart(5)}%  ${e.name}`);
  return [
    `busy ${s.busyMs.toFixed(0)} ms, idle ${s.idleMs.toFixed(0)} ms (shares below are of busy time)`,
    `top ${s.functions.length} functions by self time:`,
    ...lines(s.functions),
    'self time by package:',
    ...lines(s.packages),
  ].join('\n');
}

/** A node of a sampling heap profile: bytes sampled in this call frame (selfSize) and its callees. */
export interface AllocationNode {
  callFrame: ProfileNode['callFrame'];
  selfSize: number;
  children: AllocationNode[];
}

/** Bytes allocated by function and by package (shares of all sampled bytes). */
export function summarizeAllocations(head: AllocationNode, top = 15): { totalMB: number; functions: Entry[]; packages: Entry[] } {
  const fns = new Map<string, number>();
  const pkgs = new Map<string, number>();
  const stack = [head];
  while (stack.length) {
    const node = stack.pop()!;
    stack.push(...node.children);
    if (!node.selfSize) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const fn = `${functionName || '(anonymous)'} ${where(url, lineNumber)}`.trim();
    fns.set(fn, (fns.get(fn) ?? 0) + node.selfSize);
    const pkg = packageOf(url, functionName);
    pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + node.selfSize);
  }
  const total = [...pkgs.values()].reduce((a, b) => a + b, 0);
  return { totalMB: total / 1e6, functions: ranked(fns, total, top, 1e6), packages: ranked(pkgs, total, 12, 1e6) };
}

/** `survivors`: the profile holds only what outlived a scavenge (BENCH_HEAP_PROFILE=survivors). */
export function formatAllocations(s: ReturnType<typeof summarizeAllocations>, survivors = false): string {
  const lines = (entries: Entry[]) =>
    entries.map((e) => `  ${e.amount.toFixed(1).padStart(8)} MB  ${e.pct.toFixed(1).padStart(5)}%  ${e.name}`);
  return [
    `allocated ${s.totalMB.toFixed(0)} MB (sampled, ${survivors ? 'only what outlived a scavenge' : 'collected objects included'})`,
    `top ${s.functions.length} functions by bytes allocated:`,
    ...lines(s.functions),
    'bytes allocated by package:',
    ...lines(s.packages),
  ].join('\n');
}

/** The summary of a .cpuprofile or .heapprofile file. */
export function summaryOfFile(file: string, top = 15): string {
  const json = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile | { head: AllocationNode };
  if (!('head' in json)) return formatSummary(summarize(json, top));
  return formatAllocations(summarizeAllocations(json.head, top), file.endsWith('.survivors.heapprofile'));
}

if (isMain(import.meta.url)) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node --import tsx bench/profile-summary.ts <file.cpuprofile|file.heapprofile> [top=15]');
    process.exit(2);
  }
  console.log(summaryOfFile(file, Number(top ?? 15)));
}
