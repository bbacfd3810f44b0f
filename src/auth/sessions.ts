import type { Database } from '../db/index.js';
import type { Logger } from '../lib/logger.js';
import type { PubSub, Unsubscribe } from '../pubsub/index.js';
import { RefCounts } from '../lib/ref-counts.js';

/** Sessions whose answer is remembered (held ones always are). */
const CACHE_LIMIT = 50_000;
/** Held sessions checked per query. */
const CHECK_CHUNK = 1000;

/**
 * Which sessions may still act. A token names its session, and the session
 * must exist in the database: signing out deletes it. Every process hears of
 * endings through pub/sub at once and closes the session's connections. A
 * process that missed an ending (pub/sub down, or this process cut off) still
 * finds out within `checkMs`: it trusts an answer of the database no longer
 * than that, re-reads the sessions with open connections on a timer, and
 * re-reads them all as soon as pub/sub is back.
 */
export interface SessionGate {
  isOpen(sessionId: string): Promise<boolean>;
  /** A realtime connection of this session opened here; call the returned function when it closes. */
  hold(sessionId: string): () => void;
  /** Ends sessions for good: their rows go, and every process closes their connections and feeds. */
  end(sessionIds: string[]): Promise<void>;
  /** Runs in this process for each session ended anywhere. */
  onEnded(fn: (sessionId: string) => void): void;
  /** Reads every held session from the database now, ending here those that are gone (after pub/sub was down). */
  recheck(): Promise<void>;
  close(): Promise<void>;
}

export interface SessionGateOptions {
  /** The longest this process trusts that a session exists without reading it again (SESSION_CHECK_MS). */
  checkMs: number;
}

export async function createSessionGate(db: Database, pubsub: PubSub, log: Logger, opts: SessionGateOptions): Promise<SessionGate> {
  /** What the database last said of a session, and when. An ended session never opens again, so `false` never goes stale. */
  const known = new Map<string, { open: boolean; at: number }>();
  const held = new RefCounts<string>();
  const listeners: ((sessionId: string) => void)[] = [];

  const remember = (sessionId: string, open: boolean, at: number) => {
    known.delete(sessionId);
    known.set(sessionId, { open, at });
    if (known.size <= CACHE_LIMIT) return;
    for (const id of known.keys()) {
      if (!held.count(id)) {
        known.delete(id);
        break;
      }
    }
  };
  const ended = (sessionIds: string[]) => {
    for (const id of sessionIds) {
      const before = known.get(id);
      remember(id, false, Date.now());
      if (before && !before.open) continue;
      for (const fn of listeners) {
        try {
          fn(id);
        } catch (err) {
          log.error({ err, sessionId: id }, 'closing an ended session failed');
        }
      }
    }
  };

  /** Reads the given sessions, ending here those whose rows are gone. */
  const check = async (ids: string[]) => {
    for (let i = 0; i < ids.length; i += CHECK_CHUNK) {
      const chunk = ids.slice(i, i + CHECK_CHUNK);
      const at = Date.now();
      const rows = await db.query<{ id: string }>('SELECT id FROM "Session" WHERE id = ANY($1::text[])', [chunk]);
      const present = new Set(rows.map((r) => r.id));
      const gone = chunk.filter((id) => !present.has(id));
      for (const id of present) remember(id, true, at);
      if (gone.length) {
        log.info({ sessions: gone.length }, 'sessions ended while this process could not hear of it; closing their connections');
        ended(gone);
      }
    }
  };
  let checking: Promise<void> | null = null;
  /** One check at a time; `all` ignores how recently a session was read. */
  const checkHeld = (all: boolean): Promise<void> => {
    if (checking) return all ? checking.then(() => checkHeld(true)) : checking;
    const stale = Date.now() - opts.checkMs / 2;
    const ids = [...held.keys()].filter((id) => all || (known.get(id)?.at ?? 0) <= stale);
    if (!ids.length) return Promise.resolve();
    checking = check(ids)
      .catch((err) => log.warn({ err: (err as Error).message }, 'could not check open sessions; trying again on the next round'))
      .finally(() => (checking = null));
    return checking;
  };
  // Every held session is read at least once per checkMs: a round every half of it, for those read over half of it ago.
  const timer = setInterval(() => void checkHeld(false), Math.max(50, opts.checkMs / 2));
  timer.unref();

  const unsubscribe: Unsubscribe = await pubsub.subscribe('sessions', 'ended', (e) => ended(e.sessionIds));

  return {
    async isOpen(sessionId) {
      const hit = known.get(sessionId);
      if (hit && (!hit.open || Date.now() - hit.at < opts.checkMs)) return hit.open;
      const at = Date.now();
      const open = (await db.query<{ one: number }>('SELECT 1 AS one FROM "Session" WHERE id = $1', [sessionId])).length > 0;
      // An ending heard while the row was read wins over the read.
      if (known.get(sessionId)?.open === false) return false;
      // A row found gone is an ending this process had not heard of: its connections here close too.
      if (open) remember(sessionId, true, at);
      else ended([sessionId]);
      return open;
    },
    hold: (sessionId) => held.hold(sessionId),
    async end(sessionIds) {
      if (!sessionIds.length) return;
      await db.query('DELETE FROM "Session" WHERE id = ANY($1::text[])', [sessionIds]);
      ended(sessionIds);
      // Never fails: while pub/sub is down, the other processes find out by checking (see checkMs).
      await pubsub.publish('sessions', 'ended', { sessionIds });
    },
    onEnded: (fn) => void listeners.push(fn),
    recheck: () => checkHeld(true),
    async close() {
      clearInterval(timer);
      await unsubscribe();
      await checking;
      known.clear();
      held.clear();
    },
  };
}
