import type { Database } from '../db/index.js';
import type { Logger } from '../lib/logger.js';
import type { PubSub, Unsubscribe } from '../pubsub/index.js';
import { RecentMap } from '../lib/recent-map.js';

/** How long a process trusts what it last read about a session when no ending reached it (Redis down). */
const CACHE_MS = 60_000;
const CACHE_LIMIT = 50_000;

/**
 * Which sessions may still act. A token names its session, and the session
 * must exist in the database: signing out deletes it. Every process caches
 * the answer and hears of endings through pub/sub at once, so a signed-out
 * session's connections close everywhere.
 */
export interface SessionGate {
  isOpen(sessionId: string): Promise<boolean>;
  /** Ends sessions for good: their rows go, and every process closes their connections and feeds. */
  end(sessionIds: string[]): Promise<void>;
  /** Runs in this process for each session ended anywhere. */
  onEnded(fn: (sessionId: string) => void): void;
  close(): Promise<void>;
}

export async function createSessionGate(db: Database, pubsub: PubSub, log: Logger): Promise<SessionGate> {
  const known = new RecentMap<boolean>(CACHE_LIMIT, CACHE_MS);
  const listeners: ((sessionId: string) => void)[] = [];
  const ended = (sessionIds: string[]) => {
    for (const id of sessionIds) {
      known.set(id, false);
      for (const fn of listeners) {
        try {
          fn(id);
        } catch (err) {
          log.error({ err, sessionId: id }, 'closing an ended session failed');
        }
      }
    }
  };
  const unsubscribe: Unsubscribe = await pubsub.subscribe('sessions', 'ended', (e) => ended(e.sessionIds));

  return {
    async isOpen(sessionId) {
      const hit = known.get(sessionId);
      if (hit !== undefined) return hit;
      const open = (await db.query<{ one: number }>('SELECT 1 AS one FROM "Session" WHERE id = $1', [sessionId])).length > 0;
      known.set(sessionId, open);
      return open;
    },
    async end(sessionIds) {
      if (!sessionIds.length) return;
      await db.query('DELETE FROM "Session" WHERE id = ANY($1::text[])', [sessionIds]);
      ended(sessionIds);
      await pubsub.publish('sessions', 'ended', { sessionIds });
    },
    onEnded: (fn) => void listeners.push(fn),
    async close() {
      await unsubscribe();
      known.clear();
    },
  };
}
