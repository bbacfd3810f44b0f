import type { Logger } from '../lib/logger.js';
import type { RedisClients } from '../pubsub/redis-clients.js';
import { redisKeys } from '../pubsub/redis-keys.js';
import { createMemoryConnectionLimit, tooManyConnections, type ConnectionLimit } from './connection-limit.js';
import { once } from '../lib/ref-counts.js';

// Key conns:<user>: hash of <node>:<n> -> <node>, one field per open connection.
// A field counts while its process heartbeats in cluster liveness's node list,
// so a crashed process's connections stop counting once it is declared dead;
// they are deleted by the user's next acquire.
// KEYS: user hash, nodes. ARGV: field, node, since, limit. -> {granted 0/1, open}
const ACQUIRE = `
local open = 0
local entries = redis.call('HGETALL', KEYS[1])
for i = 1, #entries, 2 do
  local n = entries[i + 1]
  local beat = redis.call('ZSCORE', KEYS[2], n)
  if n == ARGV[2] or (beat and tonumber(beat) >= tonumber(ARGV[3])) then open = open + 1
  else redis.call('HDEL', KEYS[1], entries[i]) end
end
if open >= tonumber(ARGV[4]) then return {0, open} end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return {1, open + 1}`;
// KEYS: user hash. ARGV: node, then the fields this node holds for the user. Replaces this node's fields.
const REWRITE = `
local entries = redis.call('HGETALL', KEYS[1])
for i = 1, #entries, 2 do
  if entries[i + 1] == ARGV[1] then redis.call('HDEL', KEYS[1], entries[i]) end
end
for i = 2, #ARGV do redis.call('HSET', KEYS[1], ARGV[i], ARGV[1]) end
return 1`;

export interface RedisConnectionLimitOptions {
  limit: number;
  /** This process's id in cluster liveness, and its expiry: a process silent for longer is dead. */
  node: string;
  expiryMs: number;
}

/**
 * The per-user connection limit shared by every process through Redis. While
 * Redis cannot answer, a process counts the user's connections it holds itself
 * (rather than refusing everyone) and writes them back on resync.
 */
export function createRedisConnectionLimit(
  clients: RedisClients,
  opts: RedisConnectionLimitOptions,
  log: Logger,
): ConnectionLimit & { resync(): void } {
  if (opts.limit === 0) return Object.assign(createMemoryConnectionLimit(0), { resync() {} });
  const redis = clients.command;
  const keys = redisKeys(clients.prefix);
  const key = keys.conns;
  /** Connections held here: field -> user. */
  const mine = new Map<string, string>();
  /** Users whose Redis entry may disagree with `mine` (a write failed); rewritten on resync. */
  const stale = new Set<string>();
  const pending = new Set<Promise<unknown>>();
  let seq = 0;
  let degraded = false;

  const track = (promise: Promise<unknown>) => {
    pending.add(promise);
    void promise.finally(() => pending.delete(promise));
  };
  const fieldsOf = (userId: string) => [...mine].filter(([, u]) => u === userId).map(([f]) => f);
  const rewrite = (userId: string) => redis.eval(REWRITE, 1, key(userId), opts.node, ...fieldsOf(userId));

  const release = (field: string, userId: string) =>
    once(() => {
      mine.delete(field);
      track(
        redis.hdel(key(userId), field).catch(() => {
          stale.add(userId);
        }),
      );
    });

  return {
    async acquire(userId) {
      const field = `${opts.node}:${++seq}`;
      let granted: number, open: number;
      try {
        // Through request(): a connection being opened waits on a stalled Redis no longer than any request.
        [granted, open] = (await clients.request(() =>
          redis.eval(ACQUIRE, 2, key(userId), keys.live.nodes, field, opts.node, Date.now() - opts.expiryMs, opts.limit),
        )) as [number, number];
        degraded = false;
      } catch (err) {
        if (!degraded)
          log.warn({ err: (err as Error).message }, 'connection limit: Redis unavailable; counting in this process until it returns');
        degraded = true;
        open = fieldsOf(userId).length;
        granted = open < opts.limit ? 1 : 0;
        if (granted) open++;
        stale.add(userId);
      }
      if (!granted) throw tooManyConnections(open, opts.limit);
      mine.set(field, userId);
      return release(field, userId);
    },
    /** After an outage, or once this process is listed again after being taken for dead: write back what it holds. */
    resync() {
      const users = new Set([...stale, ...mine.values()]);
      stale.clear();
      for (const userId of users) track(rewrite(userId).catch(() => stale.add(userId)));
    },
    async close() {
      await Promise.all([...pending]);
      const users = new Set(mine.values());
      mine.clear();
      await Promise.all([...users].map((u) => rewrite(u).catch(() => {})));
    },
  };
}
