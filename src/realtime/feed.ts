import { AppError, forbidden } from '../lib/errors.js';
import type { Counters } from '../metrics/counters.js';
import { BoundedQueue, type SharedBudget } from '../lib/queue.js';
import type { Logger } from '../lib/logger.js';
import type { PubSub, Unsubscribe } from '../pubsub/index.js';
import type { Liveness } from './liveness.js';
import type { Presences } from './presence.js';
import { isNewStored, type ChannelEvent, type Presence } from '../domain/types.js';
import type { SessionGate } from '../auth/sessions.js';
import type { Config } from '../config.js';

/** The open feeds of this process, as services and transports use them; Deps names this, not the class below. */
export interface Feeds {
  add(sessionId: string, feed: { end(): void; onEnd(fn: () => void): void }, recheck?: () => Promise<void>): void;
  recheck(): Promise<void>;
  endAll(): void;
  endSession(sessionId: string): void;
  count(sessionId?: string): number;
}

/** Every open feed of this process, so shutdown can end them (SSE responses then finish). */
export class FeedRegistry implements Feeds {
  private open = new Map<{ end(): void }, { sessionId: string; recheck?: () => Promise<void> }>();
  add(sessionId: string, feed: { end(): void; onEnd(fn: () => void): void }, recheck?: () => Promise<void>) {
    this.open.set(feed, { sessionId, recheck });
    feed.onEnd(() => this.open.delete(feed));
  }
  /**
   * After this process lost Redis (an outage, or being cut off while the
   * others took it for dead): presences may have ended meanwhile with their
   * leave events missed. Each feed checks its channels and tells its session.
   */
  async recheck(): Promise<void> {
    for (const { recheck } of [...this.open.values()]) await recheck?.();
  }
  endAll() {
    for (const f of [...this.open.keys()]) f.end();
  }
  /** Ends every feed of a session (it signed out or was revoked). */
  endSession(sessionId: string) {
    for (const [f, s] of [...this.open]) if (s.sessionId === sessionId) f.end();
  }
  /** Live feeds, of one session or of all. */
  count(sessionId?: string): number {
    if (sessionId === undefined) return this.open.size;
    let n = 0;
    for (const s of this.open.values()) if (s.sessionId === sessionId) n++;
    return n;
  }
}

export interface FeedDeps {
  feeds: Feeds;
  pubsub: PubSub;
  presence: Presences;
  liveness: Liveness;
  /** Held by SSE feeds, so a session that ends while this process cannot hear of it is still found out. */
  sessions: Pick<SessionGate, 'hold'>;
  log: Logger;
  config: Pick<Config, 'SUBSCRIPTION_QUEUE_LIMIT'>;
  counters: Counters;
}

export interface FeedViewer {
  sessionId: string;
  userId: string;
  username: string;
  /** When the viewer's token expires: the feed ends then (ms since the epoch). */
  expiresAt?: number;
}

/**
 * The queue every feed (channel messages, presences, notifications) delivers
 * through: bounded, so a client more than SUBSCRIPTION_QUEUE_LIMIT events behind is ended
 * with RATE_LIMITED; counted against the connection's outgoing budget
 * (WebSocket), so a client that stops reading is closed whichever feed floods
 * it. Over SSE, also open as a realtime connection of the session for
 * presence, and ended when the viewer's token expires (a WebSocket does both
 * for all its feeds).
 */
export function feedQueue<T>(
  deps: Pick<FeedDeps, 'liveness' | 'sessions' | 'config'>,
  viewer: FeedViewer,
  budget: SharedBudget | null,
): BoundedQueue<T> {
  const limit = deps.config.SUBSCRIPTION_QUEUE_LIMIT;
  const queue = new BoundedQueue<T>(
    limit,
    () => new AppError('RATE_LIMITED', `Subscription ended: the client fell more than ${limit} events behind.`),
    budget,
  );
  // A WebSocket (the feed with a budget) is itself the session's realtime connection and closes
  // when the token expires, ending its feeds; a liveness entry and a timer each would be memory per subscription.
  if (budget !== null) return queue;
  queue.onEnd(deps.liveness.open(viewer.sessionId));
  queue.onEnd(deps.sessions.hold(viewer.sessionId));
  if (viewer.expiresAt !== undefined) {
    // setTimeout waits at most 2^31-1 ms (24.8 days); a feed open that long ends and the client opens it again.
    const expiry = setTimeout(() => queue.end(), Math.min(Math.max(0, viewer.expiresAt - Date.now()), 2 ** 31 - 1));
    expiry.unref();
    queue.onEnd(() => clearTimeout(expiry));
  }
  return queue;
}

/** Picks what a subscriber receives from a channel event; null skips it. */
export type Select<T> = (event: ChannelEvent, channelId: string) => T | null;

/** The stored events of a channel after a sequence number, oldest first: what a feed missed while it started listening. */
export type CatchUp = (channelId: string, after: bigint) => AsyncIterable<ChannelEvent>;

/**
 * A session's live view of one channel, or of every channel it has joined
 * (including ones joined later). Events pass only while the session is joined:
 * its own leave, however caused, is the last one delivered.
 */
export async function openFeed<T>(
  deps: FeedDeps,
  viewer: FeedViewer,
  channelId: string | null,
  select: Select<T>,
  /** The connection's outgoing budget, shared by its subscriptions (WebSocket). */
  budget: SharedBudget | null = null,
  /**
   * For a feed of every joined channel: a channel joined later, on another
   * process, is listened to only once its session event arrives, and what was
   * stored in between is replayed from here, before the events that came live.
   */
  catchUp?: CatchUp,
): Promise<BoundedQueue<T>> {
  const { sessionId } = viewer;
  /** This session's own presence per channel, as last seen, to announce its end if that event was missed. */
  const own = new Map<string, Presence>();
  const queue = feedQueue<T>(deps, viewer, budget);
  const joined = new Set<string>();
  const listeners = new Map<string, Promise<Unsubscribe>>();
  const cleanups: Promise<Unsubscribe>[] = [];
  queue.onEnd(() => {
    for (const u of [...listeners.values(), ...cleanups]) void u.then((f) => f()).catch(() => {});
    listeners.clear();
  });

  /** Channels being caught up, with the live events held until the replay is done. */
  const catching = new Map<string, ChannelEvent[]>();
  /**
   * The last sequence a replay delivered, per channel: a stored message's live
   * event can arrive after the replay read it from the database, and is dropped.
   */
  const replayed = new Map<string, bigint>();

  const onEvent = (cid: string, event: ChannelEvent) => {
    const held = catching.get(cid);
    if (held) return void held.push(event);
    const upTo = replayed.get(cid);
    if (upTo !== undefined && event.type === 'message' && isNewStored(event.message)) {
      if (BigInt(event.message.seq) <= upTo) return;
      // Live events come in sequence order: past the replay, nothing more can repeat it.
      replayed.delete(cid);
    }
    deliver(cid, event);
  };

  const deliver = (cid: string, event: ChannelEvent) => {
    // The session's own leave is the last event of that channel it is shown, so it knows to re-join.
    const wasJoined = joined.has(cid);
    if (event.type === 'presence') {
      if (event.change.leaves.some((p) => p.sessionId === sessionId)) joined.delete(cid);
      const mine = event.change.joins.find((p) => p.sessionId === sessionId);
      if (mine) {
        joined.add(cid);
        own.set(cid, mine);
      }
    }
    if (!wasJoined && !joined.has(cid)) return;
    const out = select(event, cid);
    if (out !== null) {
      deps.counters.deliveries++;
      queue.push(out);
    }
  };

  const listen = (cid: string) => {
    if (!listeners.has(cid))
      listeners.set(
        cid,
        deps.pubsub.subscribe('channel', cid, (e) => onEvent(cid, e)),
      );
    return listeners.get(cid)!;
  };
  const unlisten = (cid: string) => {
    const u = listeners.get(cid);
    listeners.delete(cid);
    void u?.then((f) => f());
  };

  try {
    if (channelId !== null) {
      // Listen first, then check: a leave racing with the check still arrives as an event.
      await listen(channelId);
      const mine = await deps.presence.get(channelId, sessionId);
      if (!mine) throw forbidden(`Join channel ${channelId} with joinChat before subscribing to it.`);
      joined.add(channelId);
      own.set(channelId, mine);
    } else {
      const sessionTopic = deps.pubsub.subscribe('session', sessionId, (e) => {
        if (e.type === 'joined') {
          joined.add(e.channelId);
          if (catchUp && e.after !== undefined && !listeners.has(e.channelId) && !catching.has(e.channelId)) {
            void replayJoined(e.channelId, BigInt(e.after));
          } else void listen(e.channelId);
        } else {
          joined.delete(e.channelId);
          replayed.delete(e.channelId);
          unlisten(e.channelId);
        }
      });
      cleanups.push(sessionTopic);
      await sessionTopic;
      for (const cid of await deps.presence.channelsOf(sessionId)) {
        joined.add(cid);
        await listen(cid);
      }
    }
  } catch (e) {
    queue.end();
    throw e;
  }
  /** Listens to a channel joined later, replays what was stored since the join, then passes on what came live meanwhile. */
  async function replayJoined(cid: string, after: bigint) {
    catching.set(cid, []);
    let last = after;
    try {
      await listen(cid);
      for await (const e of catchUp!(cid, after)) {
        if (queue.isDone) return;
        deliver(cid, e);
        if (e.type === 'message' && isNewStored(e.message)) last = BigInt(e.message.seq);
      }
    } catch (err) {
      deps.log.warn({ err, channelId: cid }, 'replaying a channel joined elsewhere failed; going on live');
    } finally {
      const held = catching.get(cid) ?? [];
      catching.delete(cid);
      if (last > after) replayed.set(cid, last);
      for (const e of held) onEvent(cid, e);
    }
  }

  const recheck = async () => {
    for (const cid of [...joined]) {
      const present = await deps.presence.get(cid, sessionId).catch(() => true);
      if (present || !joined.has(cid)) continue;
      const presence = own.get(cid) ?? { userId: viewer.userId, sessionId, username: viewer.username, persistence: true, hidden: false };
      onEvent(cid, { type: 'presence', change: { channelId: cid, joins: [], leaves: [presence] } });
    }
  };
  // Registered once listening, so the registry's size counts feeds that are live.
  deps.feeds.add(sessionId, queue, recheck);
  return queue;
}
