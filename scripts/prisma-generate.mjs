// The Prisma CLI wants a native schema-engine binary it cannot download on
// offline machines; `generate` never runs it, so any executable will do.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const standIn = fileURLToPath(new URL('./no-schema-engine.sh', import.meta.url));
const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? standIn, PRISMA_HIDE_UPDATE_MESSAGE: '1' };
const result = spawnSync('npx', ['--no-install', 'prisma', 'generate'], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
