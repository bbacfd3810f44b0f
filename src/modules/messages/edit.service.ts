import type { Deps } from '../../deps.js';
import type { Message } from '../../generated/prisma/client.js';
import { forbidden, notFound } from '../../lib/errors.js';
import type { ChannelRef } from '../../domain/channel-ref.js';
import { MessageCode, type ChatMessage, type ThreadChange } from '../../domain/types.js';
import { isAdmin } from '../groups/roles.js';
import type { Viewer } from '../../domain/viewer.js';
import { fromRow, toAck, type MessageAck } from './message-shape.js';
import { requireSender, stillJoined } from './messages.service.js';

/**
 * Finds a stored chat message of the channel for a session that joined it with
 * persistence (a session that stores nothing changes nothing stored), then
 * runs the change under the channel's lock and broadcasts what it returns.
 */
async function editStored(
  deps: Deps,
  viewer: Viewer,
  input: { ref: ChannelRef; messageId: string },
  change: (row: Message) => Promise<ChatMessage>,
  /** A reply count the change moved, broadcast after the message. */
  moved: () => ThreadChange | null = () => null,
): Promise<MessageAck> {
  const { ref } = input;
  const channelId = ref.id;
  const presence = await requireSender(deps, viewer, ref);
  if (!presence.persistence) throw forbidden('This session joined with persistence: false, so it cannot change stored messages.');
  const message = await deps.channelLock.run(channelId, async () => {
    await stillJoined(deps, viewer, channelId);
    const row = await deps.prisma.message.findFirst({ where: { id: input.messageId, channelId } });
    if (!row) throw notFound(`No message "${input.messageId}" in channel ${channelId}.`);
    if (row.code !== MessageCode.CHAT) throw forbidden('Server event messages cannot be changed.');
    const m = await change(row);
    await deps.pubsub.publish('channel', channelId, { type: 'message', message: m });
    const thread = moved();
    if (thread) await deps.pubsub.publish('channel', channelId, { type: 'thread', thread });
    return m;
  });
  return toAck(message);
}

/** A time after `previous`, so an edit always shows a later updateTime even within one millisecond. */
function laterThan(previous: Date): Date {
  const now = Date.now();
  return new Date(Math.max(now, previous.getTime() + 1));
}

/** Only the sender may update; the row is changed in place (createTime kept) and broadcast with code 1. */
export async function updateMessage(
  deps: Deps,
  viewer: Viewer,
  /** `content` has passed validateContent (at the GraphQL edge, again after a before hook). */
  input: { ref: ChannelRef; messageId: string; content: Record<string, unknown> },
): Promise<MessageAck> {
  const { content } = input;
  return editStored(deps, viewer, input, async (row) => {
    if (row.senderId !== viewer.userId) throw forbidden('Only the sender may update a message.');
    const updateTime = laterThan(row.updateTime);
    // Through the driver as JSON text: Prisma rebuilds Json objects and loses keys such as "__proto__".
    // Timestamps are stored as UTC wall-clock time, as Prisma stores them.
    await deps.db.query('UPDATE "Message" SET content = $1::jsonb, "updateTime" = $2::timestamp(3) WHERE id = $3', [
      JSON.stringify(content),
      updateTime.toISOString().slice(0, 23),
      row.id,
    ]);
    return fromRow(row, input.ref, { content, updateTime, code: MessageCode.UPDATE });
  });
}

/** The sender, or in a group channel its admins, may remove; the row leaves history and code 2 is broadcast. */
export async function removeMessage(deps: Deps, viewer: Viewer, input: { ref: ChannelRef; messageId: string }): Promise<MessageAck> {
  const { ref } = input;
  let thread: ThreadChange | null = null;
  return editStored(
    deps,
    viewer,
    input,
    async (row) => {
      if (row.senderId !== viewer.userId) {
        const me =
          ref.type === 'GROUP'
            ? await deps.prisma.groupMember.findUnique({ where: { groupId_userId: { groupId: ref.groupId!, userId: viewer.userId } } })
            : null;
        if (!isAdmin(me?.role)) throw forbidden('Only the sender, or in a group channel its admins, may remove a message.');
      }
      // A removed chat message stops counting as unread wherever it was (see UncountedChat), and as a reply.
      const [parent] = await deps.db.query<{ id: string; replyCount: number }>(
        `WITH d AS (DELETE FROM "Message" WHERE id = $1 RETURNING "channelId", "chatSeq", "replyTo"),
       u AS (INSERT INTO "UncountedChat" ("channelId", "chatSeq") SELECT "channelId", "chatSeq" FROM d ON CONFLICT DO NOTHING)
       UPDATE "Message" p SET "replyCount" = p."replyCount" - 1 FROM d WHERE p.id = d."replyTo" RETURNING p.id, p."replyCount"`,
        [row.id],
      );
      if (parent) thread = { channelId: ref.id, messageId: parent.id, replyCount: parent.replyCount };
      // The broadcast names the removed message but no longer carries its content.
      return fromRow(row, ref, { code: MessageCode.REMOVE, content: {}, updateTime: laterThan(row.updateTime) });
    },
    () => thread,
  );
}
