import { randomUUID } from 'node:crypto';
import type { Logger } from '../lib/logger.js';
import { isRedisUnavailable } from '../lib/unavailable.js';
import type { RedisClients } from '../pubsub/redis-clients.js';
import { redisKeys } from '../pubsub/redis-keys.js';
import type { Tracker } from './tracker.js';
import type { Presence } from '../domain/types.js';

// Each script reads and changes one channel's presences atomically, so of two
// processes removing the same presence only one gets it back, and only that
// one announces the leave.
const TRACK = `
local old = redis.call('HGET', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('SADD', KEYS[2], ARGV[3])
redis.call('HDEL', KEYS[3], ARGV[3])
return old`;
const UNTRACK = `
local old = redis.call('HGET', KEYS[1], ARGV[1])
if old then
  redis.call('HDEL', KEYS[1], ARGV[1])
  redis.call('SREM', KEYS[2], ARGV[2])
end
return old`;
// KEYS[1] the session's channel set; ARGV[2] the channel hash key prefix.
const UNTRACK_SESSION = `
local out = {}
for _, c in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local k = ARGV[2] .. c
  local old = redis.call('HGET', k, ARGV[1])
  if old then
    redis.call('HDEL', k, ARGV[1])
    table.insert(out, c)
    table.insert(out, old)
  end
end
redis.call('DEL', KEYS[1])
return out`;
// KEYS[1] the channel hash; ARGV: userId, session set key prefix, channelId.
const UNTRACK_USER = `
local all = redis.call('HGETALL', KEYS[1])
local out = {}
for i = 1, #all, 2 do
  if cjson.decode(all[i + 1]).userId == ARGV[1] then
    redis.call('HDEL', KEYS[1], all[i])
    redis.call('SREM', ARGV[2] .. all[i], ARGV[3])
    table.insert(out, all[i + 1])
  end
end
return out`;
// Re-creates a presence lost with Redis's data, unless it exists again.
const RESTORE = `
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then redis.call('SADD', KEYS[2], ARGV[3]) end
return 1`;

/** How long a note of an expired presence is kept, to explain refused sends. */
const EXPIRED_TTL_SECONDS = 24 * 3600;
/** How many presences a process remembers for answering reads during an outage. */
const KNOWN_LIMIT = 50_000;

export interface RedisTracker extends Tracker {
  /**
   * After an outage: when Redis lost its data (restarted without persistence),
   * restores the presences this process created and returns their sessions
   * (also given to onRestored). Empty when nothing was lost.
   */
  restore(): Promise<string[]>;
}

/**
 * Presences in Redis: a hash per channel (session -> presence JSON) and a set
 * per session (its channels). Reads that fail while Redis is down fall back
 * to what this process last saw, so joined sessions can still send.
 */
export async function createRedisTracker(
  clients: RedisClients,
  log: Logger,
  /** Sessions whose presences were restored: their liveness must be re-armed. */
  onRestored: (sessions: string[]) => void = () => {},
): Promise<RedisTracker> {
  const redis = clients.command;
  const keys = redisKeys(clients.prefix);
  const { channel: channelKey, session: sessionKey, expired: expiredKey } = keys.presence;
  const epochKey = keys.epoch;
  const key = (c: string, s: string) => `${c}\n${s}`;
  const known = new Map<string, Presence>();
  const owned = new Map<string, { channelId: string; presence: Presence }>();

  const remember = (c: string, presence: Presence | null, sessionId = presence?.sessionId) => {
    if (!sessionId) return;
    const k = key(c, sessionId);
    known.delete(k);
    if (!presence) return;
    known.set(k, presence);
    if (known.size > KNOWN_LIMIT) known.delete(known.keys().next().value!);
  };
  const forget = (c: string, sessionId: string) => {
    known.delete(key(c, sessionId));
    owned.delete(key(c, sessionId));
  };
  const parse = (json: string | null): Presence | null => (json ? (JSON.parse(json) as Presence) : null);

  /** Reads Redis; while it is down or does not answer in time, answers from what this process last saw. */
  const orKnown = async <T>(read: () => Promise<T>, fallback: () => T): Promise<T> => {
    if (!clients.healthy()) return fallback();
    try {
      return await clients.request(read);
    } catch (err) {
      if (!isRedisUnavailable(err)) throw err;
      return fallback();
    }
  };

  // A marker that changes when Redis loses its data (a restart without
  // persistence); every process compares it with the one it saw.
  const currentEpoch = async () => {
    await redis.set(epochKey, randomUUID(), 'NX');
    return redis.get(epochKey);
  };
  let epoch = await currentEpoch();
  let restoring: Promise<string[]> | null = null;

  async function restoreNow(): Promise<string[]> {
    const now = await currentEpoch();
    if (now === epoch) return [];
    epoch = now;
    log.warn({ presences: owned.size }, 'redis lost its data; restoring the presences this process created');
    const sessions = new Set<string>();
    for (const { channelId, presence } of owned.values()) {
      await redis.eval(
        RESTORE,
        2,
        channelKey(channelId),
        sessionKey(presence.sessionId),
        presence.sessionId,
        JSON.stringify(presence),
        channelId,
      );
      sessions.add(presence.sessionId);
    }
    onRestored([...sessions]);
    return [...sessions];
  }
  /** One restore at a time: the resume handler and a read that found a presence missing may both ask. */
  const restore = () => (restoring ??= restoreNow().finally(() => (restoring = null)));

  return {
    async track(channelId, presence) {
      const old = (await clients.request(() =>
        redis.eval(
          TRACK,
          3,
          channelKey(channelId),
          sessionKey(presence.sessionId),
          expiredKey(presence.sessionId),
          presence.sessionId,
          JSON.stringify(presence),
          channelId,
        ),
      )) as string | null;
      remember(channelId, presence);
      owned.set(key(channelId, presence.sessionId), { channelId, presence });
      if (owned.size > KNOWN_LIMIT) owned.delete(owned.keys().next().value!);
      return parse(old);
    },
    async untrack(channelId, sessionId) {
      const old = (await clients.request(() =>
        redis.eval(UNTRACK, 2, channelKey(channelId), sessionKey(sessionId), sessionId, channelId),
      )) as string | null;
      forget(channelId, sessionId);
      return parse(old);
    },
    async untrackSession(sessionId) {
      const flat = (await clients.request(() =>
        redis.eval(UNTRACK_SESSION, 1, sessionKey(sessionId), sessionId, keys.presence.channelPrefix),
      )) as string[];
      const removed: { channelId: string; presence: Presence }[] = [];
      for (let i = 0; i < flat.length; i += 2) removed.push({ channelId: flat[i]!, presence: parse(flat[i + 1]!)! });
      for (const [k, v] of owned) if (v.presence.sessionId === sessionId) owned.delete(k);
      for (const [k, v] of known) if (v.sessionId === sessionId) known.delete(k);
      return removed;
    },
    async untrackUser(channelId, userId) {
      const removed = (
        (await clients.request(() =>
          redis.eval(UNTRACK_USER, 1, channelKey(channelId), userId, keys.presence.sessionPrefix, channelId),
        )) as string[]
      ).map((j) => parse(j)!);
      for (const r of removed) forget(channelId, r.sessionId);
      return removed;
    },
    get(channelId, sessionId) {
      return orKnown(
        async () => {
          let presence = parse(await redis.hget(channelKey(channelId), sessionId));
          // Missing though this process made it: Redis may have come back empty a moment ago, before the resume handler restored it.
          if (!presence && owned.has(key(channelId, sessionId)) && (await restore()).length)
            presence = parse(await redis.hget(channelKey(channelId), sessionId));
          remember(channelId, presence, sessionId);
          return presence;
        },
        () => known.get(key(channelId, sessionId)) ?? null,
      );
    },
    list(channelId) {
      return orKnown(
        async () => (await redis.hvals(channelKey(channelId))).map((j) => parse(j)!),
        () => [...known.entries()].filter(([k]) => k.startsWith(`${channelId}\n`)).map(([, v]) => v),
      );
    },
    channelsOf(sessionId) {
      return orKnown(
        () => redis.smembers(sessionKey(sessionId)),
        () => [...known.keys()].filter((k) => k.endsWith(`\n${sessionId}`)).map((k) => k.slice(0, k.indexOf('\n'))),
      );
    },
    async markExpired(sessionId, channelIds, at) {
      if (!channelIds.length) return;
      const k = expiredKey(sessionId);
      await clients.request(() =>
        redis
          .multi()
          .hset(k, Object.fromEntries(channelIds.map((c) => [c, String(at)])))
          .expire(k, EXPIRED_TTL_SECONDS)
          .exec(),
      );
    },
    async expiredAt(channelId, sessionId) {
      const at = await orKnown(
        () => redis.hget(expiredKey(sessionId), channelId),
        () => null,
      );
      return at ? Number(at) : null;
    },
    restore,
    async close() {
      known.clear();
      owned.clear();
    },
  };
}
