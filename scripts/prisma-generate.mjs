// The Prisma CLI wants a native schema-engine binary it cannot download on
// offline machines; `generate` never runs it, so any executable will do.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

// A production install (npm ci --omit=dev) runs a build made elsewhere and
// has no Prisma CLI: nothing to generate there.
try {
  createRequire(import.meta.url).resolve('prisma/package.json');
} catch {
  console.log('prisma CLI not installed (production install): skipping client generation');
  process.exit(0);
}

const standIn = fileURLToPath(new URL('./no-schema-engine.sh', import.meta.url));
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? standIn,
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
};
const result = spawnSync('npx', ['--no-install', 'prisma', 'generate'], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
