import { uuidv7 } from 'uuidv7';
import type { Prisma } from '../../db/index.js';
import type { Deps } from '../../deps.js';
import { forbidden } from '../../lib/errors.js';
import { MessageCode, type ChatMessage } from '../../realtime/types.js';
import { assertMayAccess, channelFromId } from '../channels/access.js';
import type { Viewer } from '../users/tokens.js';
import { validateContent } from './content.js';
import { channelFields, fromRow, toAck, type MessageAck } from './message-shape.js';

export async function requireJoined(deps: Deps, viewer: Viewer, channelId: string) {
  channelFromId(channelId);
  const presence = await deps.presence.get(channelId, viewer.sessionId);
  if (!presence) throw forbidden(`Join channel ${channelId} with joinChat before sending to it.`);
  return presence;
}

/**
 * The session's presence in a channel it may write to. In a direct chat the
 * other user's block is checked first and refused like an unknown user.
 */
export async function requireSender(deps: Deps, viewer: Viewer, channelId: string) {
  const ref = channelFromId(channelId);
  if (ref.type === 'DIRECT') await assertMayAccess(deps, viewer, ref);
  return requireJoined(deps, viewer, channelId);
}

/** Checked again under the channel's lock: a kick, ban or block may have ended the presence while this request waited. */
export async function stillJoined(deps: Deps, viewer: Viewer, channelId: string) {
  if (!(await deps.presence.get(channelId, viewer.sessionId))) throw forbidden(`You are no longer joined to channel ${channelId}.`);
}

/**
 * Stores (when the session joined with persistence) and broadcasts a message.
 * Storing and publishing happen under the channel's lock so that live
 * delivery follows history order.
 */
export async function sendMessage(
  deps: Deps,
  viewer: Viewer,
  input: { channelId: string; content: unknown },
): Promise<MessageAck> {
  const content = validateContent(input.content, deps.config.MAX_MESSAGE_BYTES);
  const presence = await requireSender(deps, viewer, input.channelId);
  const message = await deps.channelLock.run(input.channelId, async () => {
    await stillJoined(deps, viewer, input.channelId);
    const m = presence.persistence
      ? await storeMessage(deps, { channelId: input.channelId, code: MessageCode.CHAT, senderId: viewer.userId, username: viewer.username, content })
      : transientMessage(input.channelId, viewer, content);
    await deps.pubsub.publish('channel', input.channelId, { type: 'message', message: m });
    return m;
  });
  return toAck(message);
}

export interface NewMessage {
  channelId: string;
  code: number;
  senderId: string;
  username: string;
  content: Record<string, unknown>;
}

/** Appends to a channel's history with the next sequence number; the row lock on the channel orders concurrent writers. */
export async function storeMessage(deps: Deps, m: NewMessage): Promise<ChatMessage> {
  return deps.prisma.$transaction((tx) => appendMessage(tx, m));
}

/** storeMessage inside a caller's transaction (group events are stored with the membership change they describe). */
export async function appendMessage(tx: Prisma.TransactionClient, m: NewMessage): Promise<ChatMessage> {
  const channel = await tx.channel.update({ where: { id: m.channelId }, data: { lastSeq: { increment: 1 } }, select: { lastSeq: true } });
  const now = new Date();
  const row = await tx.message.create({
    data: { id: uuidv7(), seq: channel.lastSeq, createTime: now, updateTime: now, ...m, content: m.content as object },
  });
  return fromRow(row);
}

function transientMessage(channelId: string, viewer: Viewer, content: Record<string, unknown>): ChatMessage {
  const now = new Date();
  return {
    id: uuidv7(),
    channelId,
    seq: null,
    code: MessageCode.CHAT,
    senderId: viewer.userId,
    username: viewer.username,
    content,
    createTime: now,
    updateTime: now,
    persistent: false,
    ...channelFields(channelId),
  };
}
