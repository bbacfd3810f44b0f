import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config, RateLimit } from '../config.js';
import { AppError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import type { RedisClients } from '../pubsub/redis-clients.js';

export type RateLimitName = 'send' | 'join' | 'auth' | 'group';

export interface RateLimits {
  /** Counts one action for the key (a user id or a client address); RATE_LIMITED when over the limit. */
  consume(name: RateLimitName, key: string): Promise<void>;
  close(): Promise<void>;
}

const WHAT: Record<RateLimitName, string> = {
  send: 'messages sent',
  join: 'channel joins',
  auth: 'sign-ins from this address',
  group: 'groups created',
};

/**
 * Fixed-window counters: in this process, or in Redis (REDIS_URL) so that
 * every process shares them. When Redis cannot answer, each process falls
 * back to its own in-memory counters rather than refusing everyone; while
 * Redis is known to be down or stalled (`gate`), without waiting for it.
 */
export async function createRateLimits(
  config: Config,
  log: Logger,
  gate: Pick<RedisClients, 'request'> | null,
  onRefused: (limit: RateLimitName) => void = () => {},
): Promise<RateLimits> {
  const redis = config.REDIS_URL ? await connect(config.REDIS_URL, config.REDIS_COMMAND_TIMEOUT_MS, log) : null;
  const limits: Record<RateLimitName, RateLimit | null> = {
    send: config.RATE_LIMIT_SEND,
    join: config.RATE_LIMIT_JOIN,
    auth: config.RATE_LIMIT_AUTH,
    group: config.RATE_LIMIT_GROUP,
  };
  const limiters = new Map<RateLimitName, { limit: RateLimit; shared: RateLimiterAbstract | null; memory: RateLimiterAbstract }>();
  for (const [name, limit] of Object.entries(limits) as [RateLimitName, RateLimit | null][]) {
    if (!limit) continue;
    const options = { keyPrefix: `${config.RATE_LIMIT_PREFIX}${name}`, points: limit.points, duration: limit.seconds };
    const shared = redis ? new RateLimiterRedis({ ...options, storeClient: redis, rejectIfRedisNotReady: true }) : null;
    limiters.set(name, { limit, shared, memory: new RateLimiterMemory(options) });
  }
  /** In Redis when it answers, in this process otherwise. Refusals (RateLimiterRes) pass through. */
  const count = async (entry: { shared: RateLimiterAbstract | null; memory: RateLimiterAbstract }, key: string) => {
    if (!entry.shared) return entry.memory.consume(key);
    const shared = entry.shared;
    try {
      return await (gate ? gate.request(() => shared.consume(key)) : shared.consume(key));
    } catch (e) {
      if (e instanceof RateLimiterRes) throw e;
      return entry.memory.consume(key);
    }
  };

  return {
    async consume(name, key) {
      const entry = limiters.get(name);
      if (!entry) return;
      try {
        await count(entry, key);
      } catch (e) {
        if (!(e instanceof RateLimiterRes)) throw e;
        onRefused(name);
        const retryAfterMs = Math.max(1, Math.ceil(e.msBeforeNext));
        throw new AppError(
          'RATE_LIMITED',
          `Too many ${WHAT[name]}: at most ${entry.limit.points} every ${entry.limit.seconds} s. Try again in ${Math.ceil(retryAfterMs / 1000)} s.`,
          { retryAfterMs },
        );
      }
    },
    async close() {
      redis?.disconnect();
    },
  };
}

/** Resolves once the first connection attempt has succeeded or failed; a Redis that is down does not stop start-up. */
async function connect(url: string, commandTimeout: number, log: Logger): Promise<Redis> {
  // No offline queue and a bounded wait: while Redis is away or hangs, calls fail
  // at once (or after commandTimeout) and the in-memory fallback answers.
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout });
  let down = false;
  redis.on('error', (err) => {
    if (down) return;
    down = true;
    log.warn({ err }, 'rate limits: Redis unavailable; counting in this process until it returns');
  });
  redis.on('ready', () => {
    if (down) log.info('rate limits: Redis is back');
    down = false;
  });
  await new Promise((resolve) => redis.once('ready', resolve).once('error', resolve));
  return redis;
}
