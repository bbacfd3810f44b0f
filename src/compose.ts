// The composition root: builds the dependencies services use (src/deps.ts) from
// the configuration, in memory or on Redis and PostgreSQL.
import type { Config } from './config.js';
import type { Deps } from './deps.js';
import { channelFromId } from './domain/channel-ref.js';
import { openDatabase, type Database } from './db/index.js';
import { MetricCounters, type Counters } from './metrics/counters.js';
import { KeyedMutex } from './lib/keyed-mutex.js';
import type { Logger } from './lib/logger.js';
import { loadSecret, randomSecret, secretInDataDir } from './lib/secret.js';
import { sharedSecret } from './db/shared-secret.js';
import { headSeq, storedAfter } from './modules/messages/history.service.js';
import { createRecentTransients } from './modules/messages/messages.service.js';
import { createMemoryConnectionLimit } from './limits/connection-limit.js';
import { createRedisConnectionLimit } from './limits/connection-limit-redis.js';
import { createRateLimits, type RateLimitName } from './limits/rate-limits.js';
import { createTokens } from './auth/tokens.js';
import { createSessionGate, type SessionGate } from './auth/sessions.js';
import { createHostTokens } from './auth/host-tokens.js';
import type { PubSub } from './pubsub/index.js';
import { createMemoryPubSub } from './pubsub/memory.js';
import { createRedisPubSub } from './pubsub/redis.js';
import { connectRedis } from './pubsub/redis-clients.js';
import { createClusterLiveness } from './realtime/cluster-liveness.js';
import { FeedRegistry } from './realtime/feed.js';
import { createLocalLiveness } from './realtime/liveness.js';
import { OrderedPubSub, type MessageStore } from './realtime/ordered.js';
import { PresenceService } from './realtime/presence.js';
import { createRedisTracker } from './realtime/redis-tracker.js';
import { memoryWindows, redisWindows } from './realtime/windows.js';
import { createMemoryTracker } from './realtime/tracker.js';
import type { ChatMessage } from './domain/types.js';

/**
 * Without REDIS_URL: one process, everything in memory. With it: pub/sub,
 * presence and liveness in Redis, shared by every process.
 */
export async function createDeps(config: Config, log: Logger, counters: Counters = new MetricCounters()): Promise<Deps> {
  const db = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    log,
    searchLanguage: config.SEARCH_LANGUAGE,
  });
  const store: MessageStore = {
    head: (channelId) => headSeq({ db }, channelId),
    async between(channelId, after, before) {
      const out: ChatMessage[] = [];
      // Channel ids on the pub/sub topics are ones this server built.
      for await (const m of storedAfter({ db }, channelFromId(channelId), after, before)) out.push(m);
      return out;
    },
  };
  const tokens = createTokens(await tokenSecret(config, db), config.TOKEN_TTL_SECONDS);
  const rateLimited = (limit: RateLimitName) => counters.bump(counters.rateLimited, limit);
  const base = {
    config,
    log,
    db,
    prisma: db.prisma,
    tokens,
    hostTokens: createHostTokens(config),
    channelLock: new KeyedMutex(),
    feeds: new FeedRegistry(),
    counters,
    recentTransients: createRecentTransients(),
  };
  let presence: PresenceService | null = null;
  const expire = (sessionId: string) => {
    presence?.leaveSession(sessionId, 'expired').catch((err) => log.error({ err, sessionId }, 'presence expiry failed'));
  };

  if (!config.REDIS_URL) {
    const pubsub = new OrderedPubSub(createMemoryPubSub(log), store, log);
    const tracker = createMemoryTracker();
    presence = new PresenceService(tracker, pubsub);
    const liveness = createLocalLiveness(config.PRESENCE_GRACE_MS, expire);
    const sessions = await sessionGate(db, pubsub, log, base.feeds, config);
    return {
      ...base,
      rateLimits: await createRateLimits(config, log, null, rateLimited),
      pubsub,
      tracker,
      presence,
      liveness,
      sessions,
      redis: null,
      connections: createMemoryConnectionLimit(config.MAX_CONNECTIONS_PER_USER),
      windows: memoryWindows(),
    };
  }

  const redis = await connectRedis(config.REDIS_URL, config.REDIS_PREFIX, log, {
    commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS,
    probeMs: Math.min(config.NODE_HEARTBEAT_MS, 1000),
  }).catch(async (e) => {
    await db.close();
    throw e;
  });
  const pubsub = new OrderedPubSub(createRedisPubSub(redis, log), store, log);
  let liveness: ReturnType<typeof createClusterLiveness> | null = null;
  const recheckFeeds = (afterMs: number) =>
    setTimeout(() => base.feeds.recheck().catch((err) => log.warn({ err }, 'could not recheck feeds after the outage')), afterMs).unref();
  const tracker = await createRedisTracker(redis, log, (sessions) => sessions.forEach((s) => liveness?.touch(s)));
  presence = new PresenceService(tracker, pubsub);
  let connections: ReturnType<typeof createRedisConnectionLimit> | null = null;
  liveness = createClusterLiveness(
    redis,
    {
      graceMs: config.PRESENCE_GRACE_MS,
      heartbeatMs: config.NODE_HEARTBEAT_MS,
      expiryMs: config.NODE_EXPIRY_MS,
      onExpire: expire,
      // Others dropped this process's connections from the count when they took it for dead,
      // and may have ended presences whose leave events this process missed.
      onRelisted: () => {
        connections?.resync();
        recheckFeeds(0);
      },
    },
    log,
  );
  connections = createRedisConnectionLimit(
    redis,
    { limit: config.MAX_CONNECTIONS_PER_USER, node: liveness.node, expiryMs: config.NODE_EXPIRY_MS },
    log,
  );
  await liveness.start();
  redis.onResume(() => {
    pubsub.catchUp();
    liveness.resync();
    connections.resync();
    tracker.restore().catch((err) => log.warn({ err }, 'could not restore presences after the outage'));
    presence?.settleOwed().catch((err) => log.warn({ err }, 'could not end the presences owed since the outage'));
    // Once the other processes have resumed too (and restored what Redis lost), so that only real endings are announced.
    recheckFeeds(2 * config.NODE_HEARTBEAT_MS + 1000);
  });
  const sessions = await sessionGate(db, pubsub, log, base.feeds, config);
  // Endings published while this process could not hear them are found by reading the sessions again.
  redis.onResume(() => void sessions.recheck());
  const rateLimits = await createRateLimits(config, log, redis, rateLimited);
  return { ...base, rateLimits, pubsub, tracker, presence, liveness, sessions, redis, connections, windows: redisWindows(redis) };
}

/** Feeds (SSE and WebSocket alike) of a session that ends stop; the WebSocket transport closes its sockets. */
async function sessionGate(db: Database, pubsub: PubSub, log: Logger, feeds: FeedRegistry, config: Config): Promise<SessionGate> {
  const gate = await createSessionGate(db, pubsub, log, { checkMs: config.SESSION_CHECK_MS });
  gate.onEnded((sessionId) => feeds.endSession(sessionId));
  return gate;
}

/**
 * JWT_SECRET when set. Otherwise, on PostgreSQL, one generated secret shared
 * by every process through the database (seeded from this data directory's
 * earlier secret, so tokens issued before keep working); on PGlite, one kept
 * in the data directory.
 */
async function tokenSecret(config: Config, db: Database): Promise<string> {
  if (config.JWT_SECRET) return config.JWT_SECRET;
  if (config.DATABASE_URL) return sharedSecret(db, secretInDataDir(config.DATA_DIR) ?? randomSecret());
  return loadSecret(undefined, config.DATA_DIR);
}

/** Closes in dependency order: realtime first, then pub/sub, then the database. */
export async function closeDeps(deps: Deps): Promise<void> {
  await deps.channelLock.idle();
  await deps.rateLimits.close();
  await deps.connections.close();
  await deps.liveness.close();
  await deps.tracker.close();
  await deps.sessions.close();
  await deps.pubsub.close();
  await deps.redis?.close();
  await deps.db.close();
}
