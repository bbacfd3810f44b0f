import cluster from 'node:cluster';
import { existsSync } from 'node:fs';
import { buildApp } from './app.js';
import { ConfigError, parseConfig } from './config.js';
import { createLogger } from './lib/logger.js';
import { listenFailure, StartupError } from './lib/startup-error.js';
import { runPrimary, workersRefusal } from './workers.js';

// A local .env is a convenience for development; real deployments set the environment.
if (existsSync('.env')) process.loadEnvFile('.env');

let config;
try {
  config = parseConfig();
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  console.error(e.message);
  process.exit(1);
}

const log = createLogger(config.LOG_LEVEL);

/** What the operator can fix is one plain line; anything else is logged with its stack. */
function cannotStart(err: unknown): never {
  if (err instanceof StartupError) console.error(`cannot start: ${err.message}`);
  else log.fatal({ err }, `cannot start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
const refusal = workersRefusal(config);
if (refusal) {
  console.error(refusal);
  process.exit(1);
}
if (config.WORKERS > 1 && cluster.isPrimary) {
  runPrimary(config, log);
} else {
  const app = await buildApp(config, { log }).catch((err: unknown) => cannotStart(err));
  await app.start().catch(async (err: unknown) => {
    await app.stop().catch(() => {});
    cannotStart(err instanceof StartupError ? err : listenFailure(err, config.PORT, config.HOST));
  });

  let signals = 0;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (++signals > 1) {
        log.warn('second signal: exiting now');
        process.exit(1);
      }
      log.info({ signal }, 'shutting down');
      app.stop().then(
        () => process.exit(0),
        (err) => {
          log.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}
