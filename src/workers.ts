import cluster from 'node:cluster';
import type { Config } from './config.js';
import type { Logger } from './lib/logger.js';

/** Why WORKERS > 1 cannot run with this configuration, or null when it can. */
export function workersRefusal(config: Config): string | null {
  if (config.WORKERS <= 1) return null;
  const missing = [!config.DATABASE_URL && 'DATABASE_URL (PostgreSQL)', !config.REDIS_URL && 'REDIS_URL'].filter(Boolean);
  if (!missing.length) return null;
  return (
    `WORKERS=${config.WORKERS} needs ${missing.join(' and ')}: the embedded database (PGlite) and in-process ` +
    'pub/sub belong to one process and cannot be shared. Set them, or run with WORKERS=1.'
  );
}

/**
 * The primary of `WORKERS=N`: forks N copies of this program, which share the
 * listening port (node:cluster hands out connections), restarts one that dies
 * unexpectedly, and passes shutdown signals on.
 */
export function runPrimary(config: Config, log: Logger): void {
  let stopping = false;
  const fork = () => cluster.fork({ WORKERS: '1' });
  for (let i = 0; i < config.WORKERS; i++) fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    log.error({ pid: worker.process.pid, code, signal }, 'worker died; starting another');
    fork();
  });
  for (const s of ['SIGINT', 'SIGTERM'] as const) {
    process.on(s, () => {
      if (stopping) process.exit(1);
      stopping = true;
      log.info({ signal: s }, 'stopping workers');
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    });
  }
  log.info({ workers: config.WORKERS, port: config.PORT }, 'parley primary started');
}
