import type { Config } from './config.js';
import { openDatabase, type Database, type PrismaClient } from './db/index.js';
import { HookRegistry } from './hooks/registry.js';
import { KeyedMutex } from './lib/keyed-mutex.js';
import type { Logger } from './lib/logger.js';
import { loadSecret } from './lib/secret.js';
import { createRateLimits, type RateLimits } from './limits/rate-limits.js';
import { createTokens, type Tokens } from './modules/users/tokens.js';
import type { PubSub } from './pubsub/index.js';
import { createMemoryPubSub } from './pubsub/memory.js';
import { FeedRegistry } from './realtime/feed.js';
import { createLocalLiveness, type Liveness } from './realtime/liveness.js';
import { PresenceService } from './realtime/presence.js';
import { createMemoryTracker, type Tracker } from './realtime/tracker.js';

/** Everything services use. Built once per app; services receive it as their first argument. */
export interface Deps {
  config: Config;
  log: Logger;
  db: Database;
  prisma: PrismaClient;
  pubsub: PubSub;
  tracker: Tracker;
  presence: PresenceService;
  liveness: Liveness;
  tokens: Tokens;
  /** Serializes writes per channel so that events leave in the order they were stored. */
  channelLock: KeyedMutex;
  feeds: FeedRegistry;
  /** Operator hooks around chat operations (src/hooks). */
  hooks: HookRegistry;
  rateLimits: RateLimits;
}

export async function createDeps(config: Config, log: Logger, hooks = new HookRegistry([], log)): Promise<Deps> {
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, log });
  const pubsub = createMemoryPubSub(log);
  const tracker = createMemoryTracker();
  const presence = new PresenceService(tracker, pubsub);
  const liveness = createLocalLiveness(config.PRESENCE_GRACE_MS, (sessionId) => {
    presence.leaveSession(sessionId).catch((err) => log.error({ err, sessionId }, 'presence expiry failed'));
  });
  const tokens = createTokens(loadSecret(config.JWT_SECRET, config.DATA_DIR), config.TOKEN_TTL_SECONDS);
  const rateLimits = await createRateLimits(config, log);
  return { config, log, db, prisma: db.prisma, pubsub, tracker, presence, liveness, tokens, channelLock: new KeyedMutex(), feeds: new FeedRegistry(), hooks, rateLimits };
}

/** Closes in dependency order: realtime first, then pub/sub, then the database. */
export async function closeDeps(deps: Deps): Promise<void> {
  await deps.channelLock.idle();
  await deps.hooks.idle();
  await deps.rateLimits.close();
  await deps.liveness.close();
  await deps.tracker.close();
  await deps.pubsub.close();
  await deps.db.close();
}
