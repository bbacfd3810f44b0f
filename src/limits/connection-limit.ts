import { AppError } from '../lib/errors.js';
import { RefCounts } from '../lib/ref-counts.js';

/**
 * MAX_CONNECTIONS_PER_USER: open realtime connections of one user, over all
 * of their sessions. A WebSocket is one connection; so is each subscription
 * over Server-Sent Events, since each holds an HTTP response of its own.
 */
export interface ConnectionLimit {
  /** Counts one connection of the user and returns its release; RATE_LIMITED (details: limit, open) when the user is at the limit. */
  acquire(userId: string): Promise<() => void>;
  /** Releases whatever is still counted here (graceful shutdown). */
  close(): Promise<void>;
}

export function tooManyConnections(open: number, limit: number): AppError {
  return new AppError('RATE_LIMITED', `Too many connections: this user has ${open} open; the limit is ${limit}.`, { limit, open });
}

/** Counts in this process: the limit without REDIS_URL, and 0 (off) anywhere. */
export function createMemoryConnectionLimit(limit: number): ConnectionLimit {
  const open = new RefCounts<string>();
  return {
    async acquire(userId) {
      if (limit === 0) return () => {};
      const n = open.count(userId);
      if (n >= limit) throw tooManyConnections(n, limit);
      return open.hold(userId);
    },
    async close() {
      open.clear();
    },
  };
}
