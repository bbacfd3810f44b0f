// npm run bench [-- --quick] [--only fanout,rooms] [--subscribers N] [--seconds S] [--rounds R] [--servers raw,parley] [--profile]
//
// Runs the scenarios in order, each server in its own OS process and this
// process as the load, then prints one table and writes
// bench/results/<timestamp>.json, latest.json and latest.svg. Figures are
// printed, never judged: nothing here passes or fails on timing.
// A scenario module that is not there yet is listed as "not present".
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { summaryOfFile } from './profile-summary.js';
import type { BenchRow } from './lib/result.js';
import { sizes } from './lib/options.js';
import { chart } from './lib/svg.js';
import { formatTable } from './lib/table.js';

const SCENARIOS = ['fanout', 'rooms', 'stored', 'history', 'inbox', 'conversations', 'search'];
const HERE = fileURLToPath(new URL('.', import.meta.url));
const RESULTS = join(HERE, 'results');

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const value = (name: string) => {
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  return args[i]!.includes('=') ? args[i]!.split('=')[1] : args[i + 1];
};
if (flag('help')) {
  console.log(
    'npm run bench [-- --quick] [--only fanout,rooms] [--subscribers N] [--seconds S] [--rounds R] [--servers raw,sio,floor,floorYoga,parley] [--profile]',
  );
  process.exit(0);
}
const quick = flag('quick');
// Scenario modules share the signature run({ quick }); sizes reach them through the environment.
if (value('subscribers')) process.env.BENCH_SUBSCRIBERS = value('subscribers');
if (value('seconds')) process.env.BENCH_SECONDS = value('seconds');
if (value('rounds')) process.env.BENCH_ROUNDS = value('rounds');
if (value('servers')) process.env.BENCH_SERVERS = value('servers');
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const profileDir = flag('profile') ? join(RESULTS, `profiles-${stamp}`) : undefined;
if (profileDir) process.env.BENCH_PROFILE_DIR = profileDir;
const only = value('only')?.split(',');

const cpuModel = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown CPU';
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const loadBefore = load();
const started = performance.now();

const rows: BenchRow[] = [];
const status: Record<string, string> = {};
for (const name of SCENARIOS) {
  if (only && !only.includes(name)) continue;
  const file = join(HERE, 'scenarios', `${name}.ts`);
  if (!existsSync(file)) {
    status[name] = 'not present';
    continue;
  }
  console.log(`\n== ${name}`);
  try {
    const mod = (await import(file)) as { run(opts: { quick: boolean }): Promise<BenchRow[]> };
    rows.push(...(await mod.run({ quick })));
    status[name] = 'ran';
  } catch (e) {
    status[name] = `failed: ${e instanceof Error ? e.message : String(e)}`;
    console.error(e);
  }
}

const seconds = (performance.now() - started) / 1000;
const machine = `${cpuModel}, ${cpus().length} cores, Node ${process.version}, load average ${loadBefore} before and ${load()} after (other work on the machine included)`;
console.log(`\n${formatTable(rows)}`);
for (const [name, s] of Object.entries(status)) if (s !== 'ran') console.log(`${name}: ${s}`);
console.log(`machine: ${machine}`);
console.log(
  `sizes: ${quick ? 'quick' : 'full'}${process.env.BENCH_SUBSCRIBERS ? `, ${process.env.BENCH_SUBSCRIBERS} subscribers` : ''}; run took ${seconds.toFixed(0)} s`,
);

mkdirSync(RESULTS, { recursive: true });
const result = {
  startedAt: stamp,
  quick,
  sizes: sizes(quick),
  seconds,
  machine: { cpu: cpuModel, cores: cpus().length, node: process.version, loadBefore, loadAfter: load() },
  scenarios: status,
  rows,
};
const json = JSON.stringify(result, null, 2);
writeFileSync(join(RESULTS, `${stamp}.json`), json);
writeFileSync(join(RESULTS, 'latest.json'), json);
writeFileSync(
  join(RESULTS, 'latest.svg'),
  chart(
    rows,
    `Parley benchmarks ${stamp.slice(0, 10)} ${stamp.slice(11, 16).replace('-', ':')}: ${cpuModel}, ${cpus().length} cores, Node ${process.version}${quick ? ' (quick sizes)' : ''}`,
  ),
);
console.log(`wrote ${join(RESULTS, `${stamp}.json`)}, latest.json and latest.svg`);

if (profileDir && existsSync(profileDir)) {
  for (const f of readdirSync(profileDir).filter((f) => /\.(cpu|heap)profile$/.test(f))) {
    const kind = f.endsWith('.cpuprofile') ? 'CPU profile' : 'Allocation profile';
    console.log(`\n${kind} ${join(profileDir, f)}:\n${summaryOfFile(join(profileDir, f))}`);
  }
}
// Open handles (keep-alive sockets of fetch) must not hold the process.
process.exit(0);
