import type { Deps } from '../../deps.js';
import type { ChannelRef } from '../../domain/channel-ref.js';
import { MessageCode, type ChannelEvent } from '../../domain/types.js';
import type { Viewer } from '../../domain/viewer.js';
import type { BoundedQueue, SharedBudget } from '../../lib/queue.js';
import type { Unsubscribe } from '../../pubsub/index.js';
import { feedQueue } from '../../realtime/feed.js';
import { FOLLOWED } from './inbox-sql.js';
import { loadEntry, type InboxEntry } from './inbox.service.js';

type Followed = ChannelRef & { channelId: string; title: string };

/** Why an entry is read again: a message of its channel, or a change the user made (mark, hide, membership). */
type Reason = 'channel' | 'user';

/**
 * The viewer's inbox entries as they change, on every session of the user.
 * It follows the channel of every entry and the user's own topic; on a
 * change it reads that one entry again (for this viewer: their mark, their
 * blocks) and passes it on. An entry that left the inbox is passed once with
 * `removed: true`. Reads of one entry do not overlap: changes that arrive
 * while one runs are covered by one more read after it.
 */
export async function inboxFeed(deps: Deps, viewer: Viewer, budget: SharedBudget | null = null): Promise<BoundedQueue<InboxEntry>> {
  const queue = feedQueue<InboxEntry>(deps, viewer, budget);
  const following = new Map<string, { entry: Followed; unsubscribe: Promise<Unsubscribe> }>();
  const reading = new Map<string, { again: Reason | null }>();
  /** What was last passed on per channel, so a read that finds nothing new passes nothing. */
  const shown = new Map<string, string>();

  /** Listens to the entry's channel; `catchUp` reads the entry again once listening, for what came meanwhile. */
  const follow = (entry: Followed, catchUp: boolean) => {
    if (following.has(entry.channelId) || queue.isDone) return;
    const unsubscribe = deps.pubsub.subscribe('channel', entry.channelId, (e) => onChannel(entry.channelId, e));
    following.set(entry.channelId, { entry, unsubscribe });
    unsubscribe.then(
      () => catchUp && read(entry.channelId, 'channel'),
      (err: unknown) => queue.fail(err),
    );
  };
  const unfollow = (channelId: string) => {
    const f = following.get(channelId);
    following.delete(channelId);
    void f?.unsubscribe.then((u) => u()).catch(() => {});
  };

  function onChannel(channelId: string, e: ChannelEvent) {
    if (e.type !== 'message') return;
    const m = e.message;
    // New stored messages, edits (the last message may change) and removals; not transient messages.
    if (m.seq === null && m.code !== MessageCode.UPDATE && m.code !== MessageCode.REMOVE) return;
    read(channelId, 'channel');
  }

  function read(channelId: string, reason: Reason) {
    const running = reading.get(channelId);
    if (running) {
      if (running.again !== 'user') running.again = reason;
      return;
    }
    const state = { again: null as Reason | null };
    reading.set(channelId, state);
    void (async () => {
      let why: Reason | null = reason;
      try {
        while (why && !queue.isDone) {
          state.again = null;
          show(channelId, await loadEntry(deps, viewer.userId, channelId), why);
          why = state.again;
        }
      } catch (err) {
        deps.log.warn({ err, channelId }, 'reading an inbox entry failed');
      }
      // In the same turn as the last look at state.again, so no change is left unread.
      reading.delete(channelId);
    })();
  }

  function show(channelId: string, entry: InboxEntry | null, why: Reason) {
    if (!entry) {
      const gone = following.get(channelId)?.entry;
      unfollow(channelId);
      shown.delete(channelId);
      if (gone) queue.push(removedEntry(gone));
      return;
    }
    follow(entry, true);
    // A message that leaves an entry hidden (a blocked user's) changes nothing the user sees.
    if (entry.hidden && why === 'channel') return;
    const seen = signature(entry);
    if (shown.get(channelId) === seen) return;
    shown.set(channelId, seen);
    queue.push(entry);
  }

  try {
    const unsubscribeUser = await deps.pubsub.subscribe('user', viewer.userId, (e) => {
      if (e.type === 'inbox') read(e.channelId, 'user');
    });
    queue.onEnd(() => void unsubscribeUser().catch(() => {}));
    for (const entry of await deps.db.query<Followed>(FOLLOWED, [viewer.userId])) follow(entry, false);
  } catch (err) {
    queue.end();
    throw err;
  }
  queue.onEnd(() => {
    for (const channelId of [...following.keys()]) unfollow(channelId);
  });
  deps.feeds.add(viewer.sessionId, queue);
  return queue;
}

/** The fields of an entry that change. */
function signature(e: InboxEntry): string {
  const m = e.lastMessage;
  return [
    e.unreadCount,
    e.mentionCount,
    e.lastReadMessageId,
    e.hidden,
    e.lastActivityTime.getTime(),
    m?.id,
    m?.updateTime.getTime(),
    e.title,
  ].join('|');
}

function removedEntry(f: Followed): InboxEntry {
  const { channelId, title, id, type, roomName, groupId, userIdOne, userIdTwo } = f;
  return {
    id,
    type,
    roomName,
    groupId,
    userIdOne,
    userIdTwo,
    channelId,
    title,
    lastMessage: null,
    lastActivityTime: new Date(),
    unreadCount: 0,
    mentionCount: 0,
    lastReadMessageId: null,
    hidden: false,
    removed: true,
  };
}
