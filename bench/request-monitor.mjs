// Preloaded into the Parley server to see where a slow HTTP request's time
// went: BENCH_PARLEY_NODE_ARGS="--import ./bench/request-monitor.mjs"
// npm run bench -- --only history, then
// node --import tsx bench/request-monitor-summary.ts /tmp/parley-requests-<pid>.log
// Lines: `req <start> <end> <process CPU ms> <last query ms or ->`, `gc <start> <end> <kind>`
// (times in ms since the process started).
import http from 'node:http';
import { createRequire } from 'node:module';
import { appendFileSync, writeFileSync } from 'node:fs';
import { constants, PerformanceObserver } from 'node:perf_hooks';

const out = `/tmp/parley-requests-${process.pid}.log`;
writeFileSync(out, '');
let lines = [];
const GC_KINDS = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    lines.push(`gc ${e.startTime.toFixed(2)} ${(e.startTime + e.duration).toFixed(2)} ${GC_KINDS[e.detail?.kind] ?? e.detail?.kind}`);
  }
}).observe({ entryTypes: ['gc'] });

// The driver's callback form (what pg.Pool uses): the time from sending a query to its answer.
let lastQuery = { start: -1, ms: 0 };
const pg = createRequire(`${process.cwd()}/package.json`)('pg');
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (...args) {
  const start = performance.now();
  const callback = args.at(-1);
  if (typeof callback === 'function') {
    args[args.length - 1] = function (...results) {
      lastQuery = { start, ms: performance.now() - start };
      return callback.apply(this, results);
    };
  }
  return query.apply(this, args);
};

const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, req, res) {
  if (event === 'request' && req.method === 'POST') {
    const start = performance.now();
    const cpu = process.cpuUsage();
    res.once('finish', () => {
      const used = process.cpuUsage(cpu);
      const q = lastQuery.start >= start ? lastQuery.ms.toFixed(2) : '-';
      lines.push(`req ${start.toFixed(2)} ${performance.now().toFixed(2)} ${((used.user + used.system) / 1000).toFixed(2)} ${q}`);
    });
  }
  return emit.apply(this, arguments);
};

setInterval(() => {
  if (lines.length) appendFileSync(out, lines.join('\n') + '\n');
  lines = [];
}, 500).unref();
