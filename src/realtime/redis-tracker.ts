import { randomUUID } from 'node:crypto';
import type { Logger } from '../lib/logger.js';
import type { RedisClients } from '../pubsub/redis-clients.js';
import type { Tracker } from './tracker.js';
import type { Presence } from './types.js';

// Each script reads and changes one channel's presences atomically, so of two
// processes removing the same presence only one gets it back, and only that
// one announces the leave.
const TRACK = `
local old = redis.call('HGET', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('SADD', KEYS[2], ARGV[3])
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

/** How many presences a process remembers for answering reads during an outage. */
const KNOWN_LIMIT = 50_000;

export interface RedisTracker extends Tracker {
  /**
   * After an outage: when Redis lost its data (restarted without persistence),
   * restores the presences this process created and returns their sessions,
   * whose liveness must be re-armed. Empty when nothing was lost.
   */
  restore(): Promise<string[]>;
}

/**
 * Presences in Redis: a hash per channel (session -> presence JSON) and a set
 * per session (its channels). Reads that fail while Redis is down fall back
 * to what this process last saw, so joined sessions can still send.
 */
export async function createRedisTracker(clients: RedisClients, log: Logger): Promise<RedisTracker> {
  const redis = clients.command;
  const p = clients.prefix;
  const channelKey = (c: string) => `${p}presence:channel:${c}`;
  const sessionKey = (s: string) => `${p}presence:session:${s}`;
  const epochKey = `${p}epoch`;
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

  // A marker that changes when Redis loses its data (a restart without
  // persistence); every process compares it with the one it saw.
  const currentEpoch = async () => {
    await redis.set(epochKey, randomUUID(), 'NX');
    return redis.get(epochKey);
  };
  let epoch = await currentEpoch();

  return {
    async track(channelId, presence) {
      const old = (await redis.eval(TRACK, 2, channelKey(channelId), sessionKey(presence.sessionId), presence.sessionId, JSON.stringify(presence), channelId)) as string | null;
      remember(channelId, presence);
      owned.set(key(channelId, presence.sessionId), { channelId, presence });
      if (owned.size > KNOWN_LIMIT) owned.delete(owned.keys().next().value!);
      return parse(old);
    },
    async untrack(channelId, sessionId) {
      const old = (await redis.eval(UNTRACK, 2, channelKey(channelId), sessionKey(sessionId), sessionId, channelId)) as string | null;
      forget(channelId, sessionId);
      return parse(old);
    },
    async untrackSession(sessionId) {
      const flat = (await redis.eval(UNTRACK_SESSION, 1, sessionKey(sessionId), sessionId, `${p}presence:channel:`)) as string[];
      const removed: { channelId: string; presence: Presence }[] = [];
      for (let i = 0; i < flat.length; i += 2) removed.push({ channelId: flat[i]!, presence: parse(flat[i + 1]!)! });
      for (const [k, v] of owned) if (v.presence.sessionId === sessionId) owned.delete(k);
      for (const [k, v] of known) if (v.sessionId === sessionId) known.delete(k);
      return removed;
    },
    async untrackUser(channelId, userId) {
      const removed = ((await redis.eval(UNTRACK_USER, 1, channelKey(channelId), userId, `${p}presence:session:`, channelId)) as string[]).map((j) => parse(j)!);
      for (const r of removed) forget(channelId, r.sessionId);
      return removed;
    },
    async get(channelId, sessionId) {
      try {
        const presence = parse(await redis.hget(channelKey(channelId), sessionId));
        remember(channelId, presence, sessionId);
        return presence;
      } catch (err) {
        if (clients.healthy()) throw err;
        return known.get(key(channelId, sessionId)) ?? null;
      }
    },
    async list(channelId) {
      try {
        return (await redis.hvals(channelKey(channelId))).map((j) => parse(j)!);
      } catch (err) {
        if (clients.healthy()) throw err;
        return [...known.entries()].filter(([k]) => k.startsWith(`${channelId}\n`)).map(([, v]) => v);
      }
    },
    async channelsOf(sessionId) {
      try {
        return await redis.smembers(sessionKey(sessionId));
      } catch (err) {
        if (clients.healthy()) throw err;
        return [...known.keys()].filter((k) => k.endsWith(`\n${sessionId}`)).map((k) => k.slice(0, k.indexOf('\n')));
      }
    },
    async restore() {
      const now = await currentEpoch();
      if (now === epoch) return [];
      epoch = now;
      log.warn({ presences: owned.size }, 'redis lost its data; restoring the presences this process created');
      const sessions = new Set<string>();
      for (const { channelId, presence } of owned.values()) {
        await redis.eval(RESTORE, 2, channelKey(channelId), sessionKey(presence.sessionId), presence.sessionId, JSON.stringify(presence), channelId);
        sessions.add(presence.sessionId);
      }
      return [...sessions];
    },
    async close() {
      known.clear();
      owned.clear();
    },
  };
}
