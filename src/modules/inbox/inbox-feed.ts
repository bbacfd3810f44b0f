import type { Deps } from '../../deps.js';
import type { ChannelRef } from '../../domain/channel-ref.js';
import { MessageCode, type ChannelEvent, type ChatMessage } from '../../domain/types.js';
import type { Viewer } from '../../domain/viewer.js';
import type { BoundedQueue, SharedBudget } from '../../lib/queue.js';
import type { Unsubscribe } from '../../pubsub/index.js';
import { feedQueue } from '../../realtime/feed.js';
import { FOLLOWED } from './inbox-sql.js';
import { followBlocks, type BlockSet } from '../blocks/blocks.service.js';
import { loadEntryAt, type InboxEntry } from './inbox.service.js';

type Followed = ChannelRef & { channelId: string; title: string };

/** Why an entry is read again: a message of its channel, or a change the user made (mark, hide, membership). */
type Reason = 'channel' | 'user';

/**
 * The viewer's inbox entries as they change, on every session of the user.
 * It follows the channel of every entry and the user's own topic. A new chat
 * message right after what the last read of the entry covered (the next
 * sequence number) is applied to that entry in memory, as the database would
 * count it; anything else (an edit, a removal, a group event, a gap, a
 * change the user made, a block) reads that one entry again (for this
 * viewer: their mark, their blocks). An entry that left the inbox is passed
 * once with `removed: true`. Reads of one entry do not overlap: changes that
 * arrive while one runs are covered by one more read after it.
 */
export async function inboxFeed(deps: Deps, viewer: Viewer, budget: SharedBudget | null = null): Promise<BoundedQueue<InboxEntry>> {
  const queue = feedQueue<InboxEntry>(deps, viewer, budget);
  const following = new Map<string, { entry: Followed; unsubscribe: Promise<Unsubscribe> }>();
  const reading = new Map<string, { again: Reason | null }>();
  /** What was last passed on per channel, so a read that finds nothing new passes nothing. */
  const shown = new Map<string, string>();
  /** Per channel, the entry as last read or derived and the channel sequence number it covers. */
  const known = new Map<string, { entry: InboxEntry; seq: bigint }>();
  let blocks: BlockSet | null = null;

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
    const k = known.get(channelId);
    // Group events may change membership: read, as for edits and removals.
    if (m.code !== MessageCode.CHAT || m.seq === null || !k || reading.has(channelId) || !blocks) return read(channelId, 'channel');
    const seq = BigInt(m.seq);
    if (seq <= k.seq) return; // the last read took it into account
    if (seq !== k.seq + 1n) return read(channelId, 'channel');
    k.seq = seq;
    const next = withMessage(k.entry, m, viewer.userId, blocks);
    if (next === k.entry) return;
    k.entry = next;
    show(channelId, next, 'channel');
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
          const loaded = await loadEntryAt(deps, viewer.userId, channelId);
          if (loaded) known.set(channelId, { ...loaded });
          else known.delete(channelId);
          show(channelId, loaded?.entry ?? null, why);
          why = state.again;
        }
      } catch (err) {
        deps.log.warn({ err, channelId }, 'reading an inbox entry failed');
      }
      // In the same turn as the last look at state.again, so no change is left unread.
      reading.delete(channelId);
    })();
  }

  /**
   * Counts and last messages change with blocks: every entry this feed has
   * read is read again (a read in flight runs once more), and passed on only
   * if it changed from what the user was last shown or the feed last read.
   * Entries never read here are read at their next change.
   */
  function blocksChanged() {
    for (const [channelId, k] of known) if (!shown.has(channelId)) shown.set(channelId, signature(k.entry));
    for (const channelId of following.keys()) if (known.has(channelId) || reading.has(channelId)) read(channelId, 'channel');
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
      if (e.type === 'blocked' || e.type === 'unblocked') blocksChanged();
    });
    queue.onEnd(() => void unsubscribeUser().catch(() => {}));
    const followed = await followBlocks(deps, viewer.userId);
    blocks = followed;
    queue.onEnd(() => followed.close());
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

/**
 * The entry after a new chat message of its channel, counted as the inbox
 * queries count it; the same object when the viewer does not see it (a
 * blocked user's). The viewer's own message moves their mark to it.
 */
function withMessage(entry: InboxEntry, m: ChatMessage, me: string, blocks: BlockSet): InboxEntry {
  if (blocks.has(m.senderId)) return entry;
  const lastActivityTime = m.createTime > entry.lastActivityTime ? m.createTime : entry.lastActivityTime;
  const shown = { ...entry, lastMessage: m, lastActivityTime, hidden: false };
  if (m.senderId === me) return { ...shown, unreadCount: 0, mentionCount: 0, lastReadMessageId: m.id };
  return { ...shown, unreadCount: entry.unreadCount + 1, mentionCount: entry.mentionCount + (m.mentions.includes(me) ? 1 : 0) };
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
