import type { Deps } from '../../deps.js';
import type { ChannelRef } from '../../domain/channel-ref.js';
import type { ChannelEvent, ReadChange, ThreadChange, TypingChange } from '../../domain/types.js';
import type { Viewer } from '../../domain/viewer.js';
import { forbidden } from '../../lib/errors.js';
import type { BoundedQueue, SharedBudget } from '../../lib/queue.js';
import { openFeed } from '../../realtime/feed.js';
import { followBlocks } from '../blocks/blocks.service.js';

/** A typing state shown to a subscriber ends by itself this long after its last start. */
export const TYPING_EXPIRY_MS = 6000;
/** Repeats of a typing start within this long are accepted and not broadcast again. */
export const TYPING_REPEAT_MS = 2000;

const typingWindow = (channelId: string, sessionId: string) => `typing:${sessionId}:${channelId}`;

/**
 * Tells the channel's other sessions that this one is typing (or stopped).
 * Nothing is stored. A start within TYPING_REPEAT_MS of the last broadcast
 * one is accepted and not broadcast again; a stop always is. A hidden
 * session's typing is never shown.
 */
export async function sendTyping(deps: Deps, viewer: Viewer, ref: ChannelRef, typing: boolean): Promise<boolean> {
  const presence = await deps.presence.get(ref.id, viewer.sessionId);
  if (!presence) throw forbidden(`Join channel ${ref.id} with joinChat before typing in it.`);
  if (presence.hidden) return true;
  if (typing) {
    if (!(await deps.windows.open(typingWindow(ref.id, viewer.sessionId), TYPING_REPEAT_MS))) return true;
  } else await deps.windows.close(typingWindow(ref.id, viewer.sessionId));
  const change: TypingChange = { channelId: ref.id, userId: viewer.userId, username: viewer.username, sessionId: viewer.sessionId, typing };
  await deps.pubsub.publish('channel', ref.id, { type: 'typing', change });
  return true;
}

export type Activity = TypingChange | ReadChange | ThreadChange;

/**
 * Typing and read receipts in one joined channel, or in every channel the
 * session joins. Typing comes as changes: a start, then a stop when the
 * typist says so, goes quiet for TYPING_EXPIRY_MS (also when its process
 * died), or leaves the channel. The session's own typing and whatever users
 * the viewer blocks do are left out.
 */
export async function activityFeed(
  deps: Deps,
  viewer: Viewer,
  ref: ChannelRef | null,
  budget: SharedBudget | null = null,
): Promise<BoundedQueue<Activity>> {
  const blocks = await followBlocks(deps, viewer.userId);
  const typing = new Map<string, { change: TypingChange; timer: NodeJS.Timeout }>();
  const key = (channelId: string, sessionId: string) => `${channelId}\n${sessionId}`;
  let feed: BoundedQueue<Activity> | null = null;

  /** Ends a typing state this subscriber was shown; the stop to send, or null if none was shown. */
  const stop = (k: string): TypingChange | null => {
    const state = typing.get(k);
    if (!state) return null;
    clearTimeout(state.timer);
    typing.delete(k);
    return { ...state.change, typing: false };
  };
  const expire = (k: string) => {
    const stopped = stop(k);
    if (stopped) feed?.push(stopped);
  };

  const select = (e: ChannelEvent, channelId: string): Activity | null => {
    if (e.type === 'read') return blocks.has(e.read.userId) ? null : e.read;
    if (e.type === 'thread') return e.thread;
    if (e.type === 'presence') {
      for (const p of e.change.leaves) {
        const stopped = stop(key(channelId, p.sessionId));
        if (stopped) feed?.push(stopped);
      }
      return null;
    }
    if (e.type !== 'typing') return null;
    const change = e.change;
    if (change.sessionId === viewer.sessionId || blocks.has(change.userId)) return null;
    const k = key(channelId, change.sessionId);
    if (!change.typing) {
      stop(k);
      return change;
    }
    const shown = typing.get(k);
    if (shown) clearTimeout(shown.timer);
    const timer = setTimeout(() => expire(k), TYPING_EXPIRY_MS);
    timer.unref();
    typing.set(k, { change, timer });
    // A renewal keeps the state going; only the start is news.
    return shown ? null : change;
  };

  try {
    feed = await openFeed(deps, viewer, ref?.id ?? null, select, budget);
  } catch (e) {
    blocks.close();
    throw e;
  }
  feed.onEnd(() => {
    blocks.close();
    for (const { timer } of typing.values()) clearTimeout(timer);
    typing.clear();
  });
  return feed;
}
