import { RefCounts } from '../lib/ref-counts.js';

/**
 * Knows which sessions have an open realtime connection (WebSocket or SSE).
 * A session without one for `graceMs` expires: its presences end. The grace
 * keeps a brief reconnect from producing leave/join flapping.
 */
export interface Liveness {
  /** A connection of this session opened; call the returned function when it closes. */
  open(sessionId: string): () => void;
  /** The session holds presences; start its grace clock if it has no connection. */
  touch(sessionId: string): void;
  close(): Promise<void>;
}

export function createLocalLiveness(graceMs: number, onExpire: (sessionId: string) => void): Liveness {
  const connections = new RefCounts<string>();
  const timers = new Map<string, NodeJS.Timeout>();

  function arm(sessionId: string) {
    if (timers.has(sessionId)) return;
    const timer = setTimeout(() => {
      timers.delete(sessionId);
      if (!connections.count(sessionId)) onExpire(sessionId);
    }, graceMs);
    timer.unref();
    timers.set(sessionId, timer);
  }

  function disarm(sessionId: string) {
    clearTimeout(timers.get(sessionId));
    timers.delete(sessionId);
  }

  return {
    open(sessionId) {
      disarm(sessionId);
      return connections.hold(sessionId, () => arm(sessionId));
    },
    touch(sessionId) {
      if (!connections.count(sessionId)) arm(sessionId);
    },
    async close() {
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
      connections.clear();
    },
  };
}
