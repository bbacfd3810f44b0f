import { isRedisUnavailable } from '../lib/unavailable.js';
import type { PubSub } from '../pubsub/index.js';
import type { Tracker } from './tracker.js';
import type { Presence, PresenceChange } from '../domain/types.js';

/** Presences as services use them; Deps names this, not the class below. */
export interface Presences {
  get(channelId: string, sessionId: string): ReturnType<Tracker['get']>;
  list(channelId: string): ReturnType<Tracker['list']>;
  channelsOf(sessionId: string): ReturnType<Tracker['channelsOf']>;
  join(channelId: string, presence: Presence, after?: bigint): Promise<void>;
  /** True when the session was present. */
  leave(channelId: string, sessionId: string): Promise<boolean>;
  leaveSession(sessionId: string, why?: 'expired' | 'ended'): Promise<void>;
  expiredAt(channelId: string, sessionId: string): ReturnType<Tracker['expiredAt']>;
  leaveUser(channelId: string, userId: string): Promise<void>;
  /**
   * Ends presences after a change that is already committed (a kick, a ban, a
   * block, a sign-out). If Redis cannot take it now, the leave is owed: the
   * call still succeeds, because the change stands, and settleOwed() does it
   * when Redis is back.
   */
  leaveCommitted(leave: CommittedLeave): Promise<void>;
  /** Does the owed leaves (after Redis came back). */
  settleOwed(): Promise<void>;
}

/** Every presence of a session, or a user's presences in one channel. */
export type CommittedLeave = { sessionId: string } | { channelId: string; userId: string };

/** Tracks presences and announces each change once, on the channel's topic and the session's. */
export class PresenceService implements Presences {
  /** Leaves that Redis could not take after their change committed, by who leaves. */
  private readonly owed = new Map<string, CommittedLeave>();

  constructor(
    private readonly tracker: Tracker,
    private readonly pubsub: PubSub,
  ) {}

  async leaveCommitted(leave: CommittedLeave): Promise<void> {
    const key = 'sessionId' in leave ? `session\n${leave.sessionId}` : `user\n${leave.channelId}\n${leave.userId}`;
    try {
      await ('sessionId' in leave ? this.leaveSession(leave.sessionId) : this.leaveUser(leave.channelId, leave.userId));
      this.owed.delete(key);
    } catch (err) {
      if (!isRedisUnavailable(err)) throw err;
      this.owed.set(key, leave);
    }
  }

  async settleOwed(): Promise<void> {
    for (const leave of [...this.owed.values()]) await this.leaveCommitted(leave);
  }

  get(channelId: string, sessionId: string) {
    return this.tracker.get(channelId, sessionId);
  }

  list(channelId: string) {
    return this.tracker.list(channelId);
  }

  channelsOf(sessionId: string) {
    return this.tracker.channelsOf(sessionId);
  }

  /** `after`: the channel's newest sequence number before this join, passed on to the session's feeds (SessionEvent). */
  async join(channelId: string, presence: Presence, after?: bigint): Promise<void> {
    const previous = await this.tracker.track(channelId, presence);
    if (previous && previous.hidden === presence.hidden && previous.persistence === presence.persistence) return;
    await this.announce({ channelId, joins: [presence], leaves: previous ? [previous] : [] });
    if (!previous) {
      const event =
        after === undefined ? { type: 'joined' as const, channelId } : { type: 'joined' as const, channelId, after: after.toString() };
      await this.pubsub.publish('session', presence.sessionId, event);
    }
  }

  async leave(channelId: string, sessionId: string): Promise<boolean> {
    const presence = await this.tracker.untrack(channelId, sessionId);
    if (presence) await this.announceLeaves(channelId, [presence]);
    return presence !== null;
  }

  /** Ends every presence of the session; `expired` when it had no realtime connection for the grace. */
  async leaveSession(sessionId: string, why: 'expired' | 'ended' = 'ended'): Promise<void> {
    const removed = await this.tracker.untrackSession(sessionId);
    if (why === 'expired')
      await this.tracker.markExpired(
        sessionId,
        removed.map((r) => r.channelId),
        Date.now(),
      );
    for (const { channelId, presence } of removed) await this.announceLeaves(channelId, [presence]);
  }

  expiredAt(channelId: string, sessionId: string) {
    return this.tracker.expiredAt(channelId, sessionId);
  }

  async leaveUser(channelId: string, userId: string): Promise<void> {
    const removed = await this.tracker.untrackUser(channelId, userId);
    if (removed.length) await this.announceLeaves(channelId, removed);
  }

  private async announceLeaves(channelId: string, leaves: Presence[]): Promise<void> {
    await this.announce({ channelId, joins: [], leaves });
    for (const p of leaves) await this.pubsub.publish('session', p.sessionId, { type: 'left', channelId });
  }

  private announce(change: PresenceChange): Promise<void> {
    return this.pubsub.publish('channel', change.channelId, { type: 'presence', change });
  }
}

/**
 * What a session may see of a change: other sessions' presences unless hidden,
 * and its own presence ending (kicked, banned, blocked, expired, signed out,
 * or left), so that it knows to join again.
 */
export function visibleChange(change: PresenceChange, viewerSessionId: string): PresenceChange | null {
  const other = (p: Presence) => !p.hidden && p.sessionId !== viewerSessionId;
  const joins = change.joins.filter(other);
  // A re-join with other options replaces the presence: that is no ending.
  const rejoined = change.joins.some((p) => p.sessionId === viewerSessionId);
  const leaves = change.leaves.filter((p) => other(p) || (p.sessionId === viewerSessionId && !rejoined));
  return joins.length || leaves.length ? { channelId: change.channelId, joins, leaves } : null;
}
