import type { Message } from '../../generated/prisma/client.js';
import type { ChatMessage } from '../../domain/types.js';
import { parseChannelId } from '../../domain/channel-ref.js';

/** The channel fields every message and ack repeats, read off the deterministic channel id. */
export function channelFields(channelId: string) {
  const ref = parseChannelId(channelId);
  return {
    roomName: ref?.roomName ?? null,
    groupId: ref?.groupId ?? null,
    userIdOne: ref?.userIdOne ?? null,
    userIdTwo: ref?.userIdTwo ?? null,
  };
}

export function fromRow(row: Message): ChatMessage {
  return {
    id: row.id,
    channelId: row.channelId,
    seq: row.seq.toString(),
    code: row.code,
    senderId: row.senderId,
    username: row.username,
    content: row.content as Record<string, unknown>,
    createTime: row.createTime,
    updateTime: row.updateTime,
    persistent: true,
    clientMessageId: row.clientMessageId,
    ...channelFields(row.channelId),
  };
}

/** The acknowledgement a sender gets: the message less its content and sender. */
export type MessageAck = Omit<ChatMessage, 'content' | 'senderId' | 'seq' | 'id'> & { messageId: string };

export function toAck(m: ChatMessage): MessageAck {
  const { content: _c, senderId: _s, seq: _q, id, ...rest } = m;
  return { ...rest, messageId: id };
}
