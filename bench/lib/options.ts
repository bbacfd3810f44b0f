// Sizes come from the environment so every scenario module keeps the shared
// signature run({ quick }); bench/run.ts turns its flags into these variables.
export interface Sizes {
  /** Subscriber connections (fanout: all in one room; rooms: in groups of 10). */
  subscribers: number;
  /** Length of each measured round (saturated, then paced), in seconds. */
  seconds: number;
  /** Saturated rounds, and as many paced rounds, per server. */
  rounds: number;
  warmupSeconds: number;
  /** Where the Parley server's CPU profile goes, if one is wanted. */
  profileDir?: string;
}

function num(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got "${v}"`);
  return n;
}

export function sizes(quick: boolean): Sizes {
  return {
    subscribers: Math.round(num('BENCH_SUBSCRIBERS', quick ? 100 : 1000)),
    seconds: num('BENCH_SECONDS', quick ? 1 : 2),
    rounds: Math.round(num('BENCH_ROUNDS', quick ? 2 : 3)),
    warmupSeconds: num('BENCH_WARMUP_SECONDS', quick ? 0.5 : 1),
    profileDir: process.env.BENCH_PROFILE_DIR || undefined,
  };
}
