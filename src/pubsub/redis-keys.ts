/**
 * Every Redis key and pub/sub channel name Parley uses, all under the
 * deployment's REDIS_PREFIX so that several deployments (or test runs) can
 * share one Redis. (Rate limits are rate-limiter-flexible's keys, under
 * RATE_LIMIT_PREFIX.)
 */
export function redisKeys(prefix: string) {
  const presenceChannel = `${prefix}presence:channel:`;
  const presenceSession = `${prefix}presence:session:`;
  const liveConn = `${prefix}live:conn:`;
  return {
    /** A pub/sub channel: one per topic (pubsub/topics.ts). */
    topic: (name: string) => prefix + name,
    /** Marker that changes when Redis loses its data. */
    epoch: `${prefix}epoch`,
    presence: {
      /** Hash per chat channel: session -> presence JSON. */
      channel: (channelId: string) => presenceChannel + channelId,
      channelPrefix: presenceChannel,
      /** Set per session: the chat channels it is present in. */
      session: (sessionId: string) => presenceSession + sessionId,
      sessionPrefix: presenceSession,
      /** Hash per session: chat channel -> when its presence expired. */
      expired: (sessionId: string) => `${prefix}presence:expired:${sessionId}`,
    },
    live: {
      /** Zset of live processes: node -> last heartbeat. */
      nodes: `${prefix}live:nodes`,
      /** Zset of sessions without a connection: session -> when their grace ends. */
      idle: `${prefix}live:idle`,
      /** Hash per session: node -> 1 for each process holding a connection of it. */
      conn: (sessionId: string) => liveConn + sessionId,
      connPrefix: liveConn,
      /** Set per process: the sessions connected there. */
      node: (node: string) => `${prefix}live:node:${node}`,
    },
    /** Hash per user: one field per open connection (MAX_CONNECTIONS_PER_USER). */
    conns: (userId: string) => `${prefix}conns:${userId}`,
    /** A time window (realtime/windows.ts): exists while it is open. */
    window: (key: string) => `${prefix}window:${key}`,
  };
}
