import type { Deps } from '../../deps.js';
import type { ChannelRef } from '../../domain/channel-ref.js';
import type { ReadChange } from '../../domain/types.js';
import type { Viewer } from '../../domain/viewer.js';
import { forbidden } from '../../lib/errors.js';
import { assertMayAccess } from '../channels/access.js';

/** Read receipts exist in direct chats and in groups of at most this many members. */
export const RECEIPTS_MAX_MEMBERS = 100;
/** A user's marks in one channel go out at most once per this long: the last one of the window. */
export const READ_EVENT_MS = 1000;

export interface ReadState {
  userId: string;
  username: string;
  lastReadMessageId: string | null;
  readTime: Date | null;
}

const MARKS = `SELECT e."userId", u.username, e."lastReadMessageId", e."readTime"
FROM "InboxEntry" e JOIN "User" u ON u.id = e."userId"
WHERE e."channelId" = $1 AND e."lastReadMessageId" IS NOT NULL
ORDER BY e."readTime" DESC NULLS LAST, e."userId" LIMIT ${RECEIPTS_MAX_MEMBERS}`;

const MEMBERS = `SELECT count(*)::int AS n FROM "GroupMember" WHERE "groupId" = $1 AND role IN ('SUPERADMIN', 'ADMIN', 'MEMBER')`;

/** The members' read marks (those who have one), most recent first; at most RECEIPTS_MAX_MEMBERS. */
export async function channelReads(deps: Deps, viewer: Viewer, ref: ChannelRef): Promise<ReadState[]> {
  if (ref.type === 'ROOM') throw forbidden('Read receipts exist in direct chats and groups, not in rooms.');
  await assertMayAccess(deps, viewer, ref);
  return deps.db.query<ReadState>(MARKS, [ref.id]);
}

/**
 * After the viewer's mark moved: their mark goes to the channel's sessions
 * (channelActivity) at the end of a READ_EVENT_MS window opened by the first
 * move, across processes, so a burst of marks is one event carrying the last.
 */
export async function announceRead(deps: Deps, viewer: Viewer, ref: ChannelRef): Promise<void> {
  if (ref.type === 'ROOM') return;
  if (!(await deps.windows.open(`read:${viewer.userId}:${ref.id}`, READ_EVENT_MS))) return;
  setTimeout(() => {
    deliverRead(deps, viewer, ref).catch((err: unknown) => deps.log.warn({ err, channelId: ref.id }, 'could not send a read receipt'));
  }, READ_EVENT_MS).unref();
}

async function deliverRead(deps: Deps, viewer: Viewer, ref: ChannelRef): Promise<void> {
  if (ref.type === 'GROUP') {
    const [members] = await deps.db.query<{ n: number }>(MEMBERS, [ref.groupId]);
    if ((members?.n ?? 0) > RECEIPTS_MAX_MEMBERS) return;
  }
  const [mark] = await deps.db.query<{ lastReadMessageId: string | null; readMs: number | null }>(
    `SELECT "lastReadMessageId", extract(epoch FROM "readTime")::float8 * 1000 AS "readMs" FROM "InboxEntry" WHERE "userId" = $1 AND "channelId" = $2`,
    [viewer.userId, ref.id],
  );
  if (!mark?.lastReadMessageId || mark.readMs === null) return;
  const read: ReadChange = {
    channelId: ref.id,
    userId: viewer.userId,
    username: viewer.username,
    lastReadMessageId: mark.lastReadMessageId,
    readTime: new Date(mark.readMs),
  };
  await deps.pubsub.publish('channel', ref.id, { type: 'read', read });
}
