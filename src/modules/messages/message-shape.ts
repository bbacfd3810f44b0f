import type { Message } from '../../generated/prisma/client.js';
import type { ChatMessage, MessageAck } from '../../domain/types.js';
import type { ChannelRef } from '../../domain/channel-ref.js';

/** What a message holds of its own; the rest comes from its channel. `seq` is null for a message never stored. */
export type MessageFields = Pick<
  ChatMessage,
  | 'id'
  | 'seq'
  | 'code'
  | 'senderId'
  | 'username'
  | 'content'
  | 'createTime'
  | 'updateTime'
  | 'clientMessageId'
  | 'mentions'
  | 'replyTo'
  | 'replyCount'
>;

/**
 * Every ChatMessage is built here. Field by field, always in this order, so
 * that stored, transient and history messages share one object shape: V8
 * makes an object built by spreading a row into a dictionary-mode object,
 * several times larger and slower to build and to read on the delivery path.
 */
export function chatMessage(ref: ChannelRef, m: MessageFields): ChatMessage {
  return {
    id: m.id,
    channelId: ref.id,
    seq: m.seq,
    code: m.code,
    senderId: m.senderId,
    username: m.username,
    content: m.content,
    createTime: m.createTime,
    updateTime: m.updateTime,
    persistent: m.seq !== null,
    clientMessageId: m.clientMessageId,
    mentions: m.mentions,
    replyTo: m.replyTo,
    replyCount: m.replyCount,
    roomName: ref.roomName,
    groupId: ref.groupId,
    userIdOne: ref.userIdOne,
    userIdTwo: ref.userIdTwo,
  };
}

/** A stored row of the channel `ref`, with some fields replaced (an edit's content and time). */
export function fromRow(row: Message, ref: ChannelRef, changed: Partial<MessageFields> = {}): ChatMessage {
  return chatMessage(ref, {
    id: row.id,
    seq: row.seq.toString(),
    code: changed.code ?? row.code,
    senderId: row.senderId,
    username: row.username,
    content: changed.content ?? (row.content as Record<string, unknown>),
    createTime: row.createTime,
    updateTime: changed.updateTime ?? row.updateTime,
    clientMessageId: row.clientMessageId,
    mentions: row.mentions,
    replyTo: row.replyTo,
    replyCount: row.replyCount,
  });
}

export type { MessageAck };

// Field by field for the reason chatMessage gives.
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
    replyTo: m.replyTo,
    roomName: m.roomName,
    groupId: m.groupId,
    userIdOne: m.userIdOne,
    userIdTwo: m.userIdTwo,
  };
}
