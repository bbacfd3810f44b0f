import type { Deps } from '../../deps.js';
import type { ChannelRef } from '../../domain/channel-ref.js';
import { MessageCode, type ChatMessage } from '../../domain/types.js';
import type { Viewer } from '../../domain/viewer.js';
import { badInput, notFound } from '../../lib/errors.js';
import { checkFirst, decodeTimeKey, timeKey, toPage, type Page } from '../../lib/page.js';
import { assertMayAccess } from '../channels/access.js';
import { chatMessage } from '../messages/message-shape.js';
import { announceRead } from './receipts.service.js';
import { ADD, HIDE, INBOX_PAGE, MARK_ALL, MARK_AT, ONE_ENTRY, UNREAD_COUNTS } from './inbox-sql.js';

/** One channel in a user's inbox, as that user sees it. */
export interface InboxEntry extends ChannelRef {
  channelId: string;
  /** The room's name, the group's name, or the other user's username. */
  title: string;
  lastMessage: ChatMessage | null;
  lastActivityTime: Date;
  unreadCount: number;
  mentionCount: number;
  lastReadMessageId: string | null;
  hidden: boolean;
  removed: boolean;
}

export interface UnreadCounts {
  unreadCount: number;
  mentionCount: number;
  unreadChannels: number;
}

interface EntryRow {
  channelId: string;
  type: ChannelRef['type'];
  roomName: string | null;
  groupId: string | null;
  userIdOne: string | null;
  userIdTwo: string | null;
  hidden: boolean;
  /** The channel's newest sequence number when the entry was read: what the entry covers. */
  channelSeq: string;
  activityMs: number;
  unreadCount: number;
  mentionCount: number;
  lastReadMessageId: string | null;
  title: string;
  lmId: string | null;
  lmSeq: string | null;
  lmSenderId: string | null;
  lmUsername: string | null;
  lmContent: Record<string, unknown> | null;
  lmClientMessageId: string | null;
  lmMentions: string[] | null;
  lmReplyTo: string | null;
  lmReplyCount: number | null;
  lmCreateMs: number | null;
  lmUpdateMs: number | null;
}

/** Timestamps are stored as UTC wall-clock time, as Prisma stores them. */
const utcNow = () => new Date().toISOString().slice(0, 23);

function toEntry(r: EntryRow): InboxEntry {
  const ref: ChannelRef = {
    id: r.channelId,
    type: r.type,
    roomName: r.roomName,
    groupId: r.groupId,
    userIdOne: r.userIdOne,
    userIdTwo: r.userIdTwo,
  };
  return {
    ...ref,
    channelId: r.channelId,
    title: r.title,
    lastMessage:
      r.lmId === null
        ? null
        : chatMessage(ref, {
            id: r.lmId,
            seq: r.lmSeq,
            code: MessageCode.CHAT,
            senderId: r.lmSenderId!,
            username: r.lmUsername!,
            content: r.lmContent!,
            createTime: new Date(r.lmCreateMs!),
            updateTime: new Date(r.lmUpdateMs!),
            clientMessageId: r.lmClientMessageId,
            mentions: r.lmMentions!,
            replyTo: r.lmReplyTo,
            replyCount: r.lmReplyCount!,
          }),
    lastActivityTime: new Date(r.activityMs),
    unreadCount: r.unreadCount,
    mentionCount: r.mentionCount,
    lastReadMessageId: r.lastReadMessageId,
    hidden: r.hidden,
    removed: false,
  };
}

const KIND = 'inbox';
const cursorKey = (r: EntryRow) => timeKey(r.activityMs, r.channelId);

/** The user's conversations that show, most recent activity first. */
export async function inboxPage(deps: Deps, viewer: Viewer, input: { first: number; after: string | null }): Promise<Page<InboxEntry>> {
  const first = checkFirst(input.first);
  const [ms, channelId] = input.after === null ? [null, null] : decodeTimeKey(KIND, input.after);
  const rows = await deps.db.query<EntryRow>(INBOX_PAGE, [viewer.userId, first + 1, ms, channelId]);
  return toPage(KIND, rows, first, input.after, cursorKey, toEntry);
}

export async function unreadCounts(deps: Deps, viewer: Viewer): Promise<UnreadCounts> {
  const [row] = await deps.db.query<UnreadCounts>(UNREAD_COUNTS, [viewer.userId]);
  return row ?? { unreadCount: 0, mentionCount: 0, unreadChannels: 0 };
}

const notInInbox = (ref: ChannelRef) => notFound(`Channel ${ref.id} is not in your inbox: join it first.`);

/** A user's entry for a channel as they see it, hidden or not; null when the channel is not in their inbox. */
export async function loadEntry(deps: Pick<Deps, 'db'>, userId: string, channelId: string): Promise<InboxEntry | null> {
  return (await loadEntryAt(deps, userId, channelId))?.entry ?? null;
}

/** The entry with the sequence number of the channel's newest message it takes into account. */
export async function loadEntryAt(
  deps: Pick<Deps, 'db'>,
  userId: string,
  channelId: string,
): Promise<{ entry: InboxEntry; seq: bigint } | null> {
  const [row] = await deps.db.query<EntryRow>(ONE_ENTRY, [userId, channelId]);
  return row ? { entry: toEntry(row), seq: BigInt(row.channelSeq) } : null;
}

/** The viewer's entry for a channel they may read; NOT_FOUND when it is not in their inbox. */
async function entryOf(deps: Deps, viewer: Viewer, ref: ChannelRef): Promise<InboxEntry> {
  const entry = await loadEntry(deps, viewer.userId, ref.id);
  if (!entry) throw notInInbox(ref);
  return entry;
}

/** Tells the user's sessions (inboxUpdate) that their entry for the channel changed; after the change committed. */
export async function inboxChanged(deps: Pick<Deps, 'pubsub'>, userIds: string[], channelId: string): Promise<void> {
  for (const userId of userIds) await deps.pubsub.publish('user', userId, { type: 'inbox', channelId });
}

/**
 * Moves the viewer's read mark in the channel to `messageId` (a message of
 * that channel), or to its newest message; a mark never moves back, so an
 * older message leaves it where it is.
 */
export async function markRead(deps: Deps, viewer: Viewer, ref: ChannelRef, messageId: string | null): Promise<InboxEntry> {
  await assertMayAccess(deps, viewer, ref);
  const [held] = await deps.db.query(`SELECT 1 FROM "InboxEntry" WHERE "userId" = $1 AND "channelId" = $2`, [viewer.userId, ref.id]);
  if (!held) throw notInInbox(ref);
  if (messageId === null) await deps.db.query(MARK_ALL, [viewer.userId, ref.id, utcNow()]);
  else {
    const [message] = await deps.db.query<{ id: string }>(`SELECT id FROM "Message" WHERE id = $1 AND "channelId" = $2`, [
      messageId,
      ref.id,
    ]);
    if (!message) throw badInput(`No message "${messageId}" in channel ${ref.id}.`, { argument: 'messageId' });
    await deps.db.query(MARK_AT, [viewer.userId, ref.id, messageId, utcNow()]);
  }
  await inboxChanged(deps, [viewer.userId], ref.id);
  await announceRead(deps, viewer, ref);
  return entryOf(deps, viewer, ref);
}

/** Takes the channel out of the viewer's inbox until a new chat message arrives in it, or they join it again. */
export async function hideChannel(deps: Deps, viewer: Viewer, ref: ChannelRef): Promise<boolean> {
  await assertMayAccess(deps, viewer, ref);
  const hidden = await deps.db.query(HIDE, [viewer.userId, ref.id]);
  if (!hidden.length) throw notInInbox(ref);
  await inboxChanged(deps, [viewer.userId], ref.id);
  return true;
}

/**
 * Puts a channel in these users' inboxes, with nothing unread; the first
 * user's entry shows again if they had hidden it. The channel's row exists.
 */
export async function addToInbox(deps: Pick<Deps, 'db' | 'pubsub'>, userIds: string[], ref: ChannelRef): Promise<void> {
  const changed = await deps.db.query<{ userId: string }>(ADD, [userIds, ref.id, utcNow()]);
  await inboxChanged(
    deps,
    changed.map((r) => r.userId),
    ref.id,
  );
}
