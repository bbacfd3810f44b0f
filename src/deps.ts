import type { Config } from './config.js';
import type { HostTokens } from './auth/host-tokens.js';
import type { SessionGate } from './auth/sessions.js';
import type { Tokens } from './auth/tokens.js';
import type { Database, PrismaClient } from './db/index.js';
import type { ChannelLock } from './lib/keyed-mutex.js';
import type { Logger } from './lib/logger.js';
import type { RecentMap } from './lib/recent-map.js';
import type { ChatMessage } from './domain/types.js';
import type { ConnectionLimit } from './limits/connection-limit.js';
import type { RateLimits } from './limits/rate-limits.js';
import type { Counters } from './metrics/counters.js';
import type { PubSub } from './pubsub/index.js';
import type { RedisClients } from './pubsub/redis-clients.js';
import type { Feeds } from './realtime/feed.js';
import type { Liveness } from './realtime/liveness.js';
import type { Presences } from './realtime/presence.js';
import type { Tracker } from './realtime/tracker.js';
import type { Windows } from './realtime/windows.js';

/**
 * Everything services use, as interfaces of the layers below them. Built once
 * per app by compose.ts; services receive it as their first argument.
 */
export interface Deps {
  config: Config;
  log: Logger;
  db: Database;
  prisma: PrismaClient;
  pubsub: PubSub;
  tracker: Tracker;
  presence: Presences;
  liveness: Liveness;
  tokens: Tokens;
  /** Verifies the host app's own tokens (authenticateToken); null when not configured. */
  hostTokens: HostTokens | null;
  /** Which sessions still exist; signing out ends one on every process. */
  sessions: SessionGate;
  /** Serializes writes per channel so that events leave in the order they were stored. */
  channelLock: ChannelLock;
  feeds: Feeds;
  /** Set when clustered (REDIS_URL): the Redis connections, closed last. */
  redis: RedisClients | null;
  rateLimits: RateLimits;
  /** MAX_CONNECTIONS_PER_USER, counted in Redis when clustered so that it holds across processes. */
  connections: ConnectionLimit;
  /** What /metrics reports: bumped on the hot paths, read at scrape time. */
  counters: Counters;
  /** Transient messages by the sender's retry key (clientMessageId), so a retry is answered with the first send. */
  recentTransients: RecentMap<ChatMessage>;
  /** Time windows shared by every process (typing renewals, read receipts once a second). */
  windows: Windows;
}
