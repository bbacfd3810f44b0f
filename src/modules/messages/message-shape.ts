import type { Message } from '../../generated/prisma/client.js';
import type { ChatMessage } from '../../domain/types.js';
import type { ChannelRef } from '../../domain/channel-ref.js';

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
    roomName: ref.roomName,
    groupId: ref.groupId,
    userIdOne: ref.userIdOne,
    userIdTwo: ref.userIdTwo,
  };
}

/** The acknowledgement a sender gets: the message less its content and sender. */
export type MessageAck = Omit<ChatMessage, 'content' | 'senderId' | 'seq' | 'id'> & { messageId: string };

// Field by field: rest destructuring and spreading took V8 about 1.4 µs an ack.
export function toAck(m: ChatMessage): MessageAck {
  return {
    messageId: m.id,
    channelId: m.channelId,
    code: m.code,
    username: m.username,
    createTime: m.createTime,
    updateTime: m.updateTime,
    persistent: m.persistent,
    clientMessageId: m.clientMessageId,
    roomName: m.roomName,
    groupId: m.groupId,
    userIdOne: m.userIdOne,
    userIdTwo: m.userIdTwo,
  };
}
