import type { RedisClients } from '../pubsub/redis-clients.js';
import { redisKeys } from '../pubsub/redis-keys.js';

/**
 * Time windows by key, shared by every process with Redis: at most one
 * caller opens a key's window until it ends. Typing uses them so a renewal
 * within 2 s is not broadcast again; read receipts, so a user's marks in one
 * channel go out at most once a second.
 */
export interface Windows {
  /** True when no window was open for `key`: this call opened one for `ms`. */
  open(key: string, ms: number): Promise<boolean>;
  /** Ends the window for `key`, so the next open succeeds. */
  close(key: string): Promise<void>;
}

/** Windows in this process's memory (one process, or Redis unreachable). */
export function memoryWindows(): Windows {
  const until = new Map<string, number>();
  return {
    async open(key, ms) {
      const now = Date.now();
      if ((until.get(key) ?? 0) > now) return false;
      // Ended windows go as new ones open, so the map holds about one window's worth of keys.
      if (until.size > 10_000) for (const [other, t] of until) if (t <= now) until.delete(other);
      until.set(key, now + ms);
      return true;
    },
    async close(key) {
      until.delete(key);
    },
  };
}

/**
 * Windows as Redis keys that expire. When Redis cannot answer, this
 * process's own windows decide: at worst something goes out once more per
 * process.
 */
export function redisWindows(redis: RedisClients): Windows {
  const keys = redisKeys(redis.prefix);
  const local = memoryWindows();
  return {
    async open(key, ms) {
      try {
        return (await redis.request(() => redis.command.set(keys.window(key), '1', 'PX', ms, 'NX'))) === 'OK';
      } catch {
        return local.open(key, ms);
      }
    },
    async close(key) {
      await local.close(key);
      await redis.request(() => redis.command.del(keys.window(key))).catch(() => undefined);
    },
  };
}
