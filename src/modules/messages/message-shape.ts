import type { Message } from '../../generated/prisma/client.js';
import type { ChatMessage } from '../../domain/types.js';
import { channelFields, type ChannelRef } from '../../domain/channel-ref.js';

/** A stored row of the channel `ref` as the message clients see. */
export function fromRow(row: Message, ref: ChannelRef): ChatMessage {
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
    ...channelFields(ref),
  };
}

/** The acknowledgement a sender gets: the message less its content and sender. */
export type MessageAck = Omit<ChatMessage, 'content' | 'senderId' | 'seq' | 'id'> & { messageId: string };

export function toAck(m: ChatMessage): MessageAck {
  const { content: _c, senderId: _s, seq: _q, id, ...rest } = m;
  return { ...rest, messageId: id };
}
