import type { Presence } from '../domain/types.js';

/** Where presences live: in process memory for one server, in Redis for several. */
export interface Tracker {
  /** Adds or replaces a session's presence in a channel; returns the one it replaced. */
  track(channelId: string, presence: Presence): Promise<Presence | null>;
  untrack(channelId: string, sessionId: string): Promise<Presence | null>;
  /** Removes a session from every channel it is in. */
  untrackSession(sessionId: string): Promise<{ channelId: string; presence: Presence }[]>;
  /** Removes every session of one user from a channel (kicks, bans, blocks). */
  untrackUser(channelId: string, userId: string): Promise<Presence[]>;
  get(channelId: string, sessionId: string): Promise<Presence | null>;
  list(channelId: string): Promise<Presence[]>;
  channelsOf(sessionId: string): Promise<string[]>;
  /** Notes that the session's presences in these channels expired (no realtime connection for the grace), so a refused send can say why. A join clears it. */
  markExpired(sessionId: string, channelIds: string[], at: number): Promise<void>;
  /** When the session's presence in the channel expired, if that is how it ended. */
  expiredAt(channelId: string, sessionId: string): Promise<number | null>;
  close(): Promise<void>;
}

/** How many expiries a process remembers without Redis (with Redis they are kept for a day). */
const EXPIRED_LIMIT = 10_000;

export function createMemoryTracker(): Tracker {
  const byChannel = new Map<string, Map<string, Presence>>();
  const bySession = new Map<string, Set<string>>();
  const expired = new Map<string, number>();
  const expiredKey = (channelId: string, sessionId: string) => `${channelId}\n${sessionId}`;

  function remove(channelId: string, sessionId: string): Presence | null {
    const members = byChannel.get(channelId);
    const presence = members?.get(sessionId) ?? null;
    if (!members || !presence) return null;
    members.delete(sessionId);
    if (members.size === 0) byChannel.delete(channelId);
    const channels = bySession.get(sessionId);
    channels?.delete(channelId);
    if (channels?.size === 0) bySession.delete(sessionId);
    return presence;
  }

  return {
    async track(channelId, presence) {
      expired.delete(expiredKey(channelId, presence.sessionId));
      let members = byChannel.get(channelId);
      if (!members) byChannel.set(channelId, (members = new Map()));
      const previous = members.get(presence.sessionId) ?? null;
      members.set(presence.sessionId, presence);
      let channels = bySession.get(presence.sessionId);
      if (!channels) bySession.set(presence.sessionId, (channels = new Set()));
      channels.add(channelId);
      return previous;
    },
    async untrack(channelId, sessionId) {
      return remove(channelId, sessionId);
    },
    async untrackSession(sessionId) {
      const removed: { channelId: string; presence: Presence }[] = [];
      for (const channelId of [...(bySession.get(sessionId) ?? [])]) {
        const presence = remove(channelId, sessionId);
        if (presence) removed.push({ channelId, presence });
      }
      return removed;
    },
    async untrackUser(channelId, userId) {
      const members = [...(byChannel.get(channelId)?.values() ?? [])].filter((p) => p.userId === userId);
      return members.map((p) => remove(channelId, p.sessionId)).filter((p): p is Presence => p !== null);
    },
    async get(channelId, sessionId) {
      return byChannel.get(channelId)?.get(sessionId) ?? null;
    },
    async list(channelId) {
      return [...(byChannel.get(channelId)?.values() ?? [])];
    },
    async channelsOf(sessionId) {
      return [...(bySession.get(sessionId) ?? [])];
    },
    async markExpired(sessionId, channelIds, at) {
      for (const c of channelIds) expired.set(expiredKey(c, sessionId), at);
      while (expired.size > EXPIRED_LIMIT) expired.delete(expired.keys().next().value!);
    },
    async expiredAt(channelId, sessionId) {
      return expired.get(expiredKey(channelId, sessionId)) ?? null;
    },
    async close() {
      byChannel.clear();
      bySession.clear();
      expired.clear();
    },
  };
}
