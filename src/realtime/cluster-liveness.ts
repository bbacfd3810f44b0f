import { randomUUID } from 'node:crypto';
import type { Logger } from '../lib/logger.js';
import type { RedisClients } from '../pubsub/redis-clients.js';
import { redisKeys } from '../pubsub/redis-keys.js';
import type { Liveness } from './liveness.js';
import { RefCounts } from '../lib/ref-counts.js';

export interface ClusterLivenessOptions {
  graceMs: number;
  heartbeatMs: number;
  /** A process whose heartbeat is older than this is dead; its connections no longer count. */
  expiryMs: number;
  onExpire: (sessionId: string) => void;
  /** Runs when this process finds itself reaped (taken for dead) and lists itself again, after re-registering its sessions. */
  onRelisted?: () => void;
}

// Keys: nodes (zset node -> last heartbeat), conn:<session> (hash node -> 1),
// node:<node> (set of sessions connected there), idle (zset session -> when
// its grace ends). A session is connected while some node holding it is alive.
const ALIVE = `
local function alive(connKey, nodesKey, since)
  for _, n in ipairs(redis.call('HKEYS', connKey)) do
    local beat = redis.call('ZSCORE', nodesKey, n)
    if beat and tonumber(beat) >= since then return true end
  end
  return false
end
`;
// KEYS: conn, node set, nodes, idle. ARGV: node, session, since, deadline.
const RELEASE = `${ALIVE}
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('SREM', KEYS[2], ARGV[2])
if not alive(KEYS[1], KEYS[3], tonumber(ARGV[3])) then redis.call('ZADD', KEYS[4], ARGV[4], ARGV[2]) end
return 1`;
// KEYS: conn, nodes, idle. ARGV: session, since, deadline. Arms the grace only if not armed.
const TOUCH = `${ALIVE}
if not alive(KEYS[1], KEYS[2], tonumber(ARGV[2])) then redis.call('ZADD', KEYS[3], 'NX', ARGV[3], ARGV[1]) end
return 1`;
// KEYS: nodes, dead node's set, idle. ARGV: dead node, since, grace, conn key prefix.
// Only the process whose ZREM succeeds reaps, so each dead node is handled once.
const REAP = `${ALIVE}
local beat = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not beat or tonumber(beat) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
for _, s in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  local conn = ARGV[4] .. s
  redis.call('HDEL', conn, ARGV[1])
  if not alive(conn, KEYS[1], tonumber(ARGV[2])) then redis.call('ZADD', KEYS[3], 'NX', tonumber(beat) + tonumber(ARGV[3]), s) end
end
redis.call('DEL', KEYS[2])
return 1`;
// KEYS: idle, conn, nodes. ARGV: session, now, since. 1 when this caller claimed an expiry.
const CLAIM = `${ALIVE}
local at = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not at or tonumber(at) > tonumber(ARGV[2]) then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
if alive(KEYS[2], KEYS[3], tonumber(ARGV[3])) then return 0 end
return 1`;

/**
 * Liveness shared by every process through Redis. Each process heartbeats;
 * connections are recorded per process, so when one dies (even by SIGKILL)
 * the survivors see its heartbeat expire, drop its connections, and expire
 * its sessions after the grace. Every expiry is claimed atomically, so one
 * process announces each leave.
 */
export function createClusterLiveness(
  clients: RedisClients,
  opts: ClusterLivenessOptions,
  log: Logger,
): Liveness & { node: string; start(): Promise<void>; resync(): void } {
  const redis = clients.command;
  const k = redisKeys(clients.prefix).live;
  const node = randomUUID();
  const connections = new RefCounts<string>();
  const pending = new Set<Promise<unknown>>();
  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  // Another process's old heartbeat proves it dead only if this process could
  // itself reach Redis all along: after any gap in its own contact (an outage,
  // a stall, a paused event loop) every heartbeat may be old for the same
  // reason, so judgements wait one expiry period of unbroken contact, in which
  // the processes that are alive beat again.
  let judgeFrom = 0;
  let lastBeat = 0;
  const distrust = () => {
    judgeFrom = Math.max(judgeFrom, Date.now() + opts.expiryMs);
  };
  const beaten = () => {
    const now = Date.now();
    if (lastBeat && now - lastBeat > 2 * opts.heartbeatMs + 250) distrust();
    lastBeat = now;
  };

  const since = () => Date.now() - opts.expiryMs;
  /** Redis calls from sync callers: failures are logged, and the next heartbeat or resync repairs state. */
  const run = (what: string, op: () => Promise<unknown>) => {
    const promise = op().catch((err) => log.debug({ err: (err as Error).message }, `liveness: ${what} failed`));
    pending.add(promise);
    void promise.finally(() => pending.delete(promise));
  };

  const register = (sessionId: string) =>
    redis.multi().hset(k.conn(sessionId), node, '1').sadd(k.node(node), sessionId).zrem(k.idle, sessionId).exec();

  const releaseHere = (sessionId: string) =>
    redis.eval(RELEASE, 4, k.conn(sessionId), k.node(node), k.nodes, k.idle, node, sessionId, since(), Date.now() + opts.graceMs);

  async function beat() {
    // 1: this node was not listed (reaped while unreachable, or Redis lost its data).
    if ((await redis.zadd(k.nodes, Date.now(), node)) === 1) {
      for (const sessionId of connections.keys()) await register(sessionId);
      opts.onRelisted?.();
    }
  }

  async function sweep() {
    const now = Date.now();
    if (now < judgeFrom) return;
    for (const dead of await redis.zrangebyscore(k.nodes, '-inf', `(${since()}`)) {
      if (dead === node) continue;
      const reaped = await redis.eval(REAP, 3, k.nodes, k.node(dead), k.idle, dead, since(), opts.graceMs, k.connPrefix);
      if (reaped) log.warn({ node: dead }, 'a server process stopped heartbeating; expiring its sessions');
    }
    for (const sessionId of await redis.zrangebyscore(k.idle, '-inf', now, 'LIMIT', 0, 500)) {
      if (connections.count(sessionId)) continue;
      if (await redis.eval(CLAIM, 3, k.idle, k.conn(sessionId), k.nodes, sessionId, now, since())) opts.onExpire(sessionId);
    }
  }

  const tick = () => {
    if (closed) return;
    beat()
      .then(beaten)
      .then(sweep)
      .catch((err) => {
        distrust();
        log.debug({ err: (err as Error).message }, 'liveness heartbeat failed');
      })
      .finally(() => {
        if (!closed) timer = setTimeout(tick, opts.heartbeatMs).unref();
      });
  };

  return {
    node,
    async start() {
      await beat();
      beaten();
      timer = setTimeout(tick, opts.heartbeatMs).unref();
    },
    /** After an outage: this process's connections may be gone from Redis; write them again. */
    resync() {
      distrust();
      run('resync', async () => {
        await beat();
        for (const sessionId of connections.keys()) await register(sessionId);
        // Connections that closed while Redis could not be told start their grace now.
        for (const sessionId of await redis.smembers(k.node(node))) {
          if (!connections.count(sessionId)) await releaseHere(sessionId);
        }
      });
    },
    open(sessionId) {
      if (!connections.count(sessionId)) run('open', () => register(sessionId));
      return connections.hold(sessionId, () => run('release', () => releaseHere(sessionId)));
    },
    touch(sessionId) {
      if (connections.count(sessionId)) return;
      run('touch', () => redis.eval(TOUCH, 3, k.conn(sessionId), k.nodes, k.idle, sessionId, since(), Date.now() + opts.graceMs));
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await Promise.all([...pending]);
      // Sessions still connected here start their grace now; the node leaves the cluster.
      for (const sessionId of connections.keys()) await releaseHere(sessionId).catch(() => {});
      connections.clear();
      await redis
        .multi()
        .zrem(k.nodes, node)
        .del(k.node(node))
        .exec()
        .catch(() => {});
    },
  };
}
