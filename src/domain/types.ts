import type { ChannelRef } from './channel-ref.js';

/** One session's presence in one channel. `hidden` ones are never shown to others. */
export interface Presence {
  userId: string;
  sessionId: string;
  username: string;
  persistence: boolean;
  hidden: boolean;
}

export type ChannelFields = Omit<ChannelRef, 'id' | 'type'>;

export interface ChatMessage extends ChannelFields {
  id: string;
  channelId: string;
  /** Position in the channel's history; null for messages that were never stored. */
  seq: string | null;
  code: number;
  senderId: string;
  username: string;
  content: Record<string, unknown>;
  createTime: Date;
  updateTime: Date;
  persistent: boolean;
  /** The sender's own id for the message (sendMessage's clientMessageId), or null. */
  clientMessageId: string | null;
  /** The users a chat message mentions (only those kept when it was sent). */
  mentions: string[];
  /** The message of the same channel this one replies to, or null. */
  replyTo: string | null;
  /** Replies to this message still present, when it was read or sent. */
  replyCount: number;
}

/** The acknowledgement a sender gets: the message less its content, sender and mentions. */
export type MessageAck = Omit<ChatMessage, 'content' | 'senderId' | 'seq' | 'id' | 'mentions' | 'replyCount'> & { messageId: string };

export const MessageCode = {
  CHAT: 0,
  UPDATE: 1,
  REMOVE: 2,
  GROUP_JOIN: 3,
  GROUP_ADD: 4,
  GROUP_LEAVE: 5,
  GROUP_KICK: 6,
  GROUP_PROMOTE: 7,
  GROUP_BAN: 8,
  GROUP_DEMOTE: 9,
} as const;

/**
 * A message that took a new place in its channel's history: stored, and not
 * an edit or removal of an earlier one. Only these have a cursor and move a
 * subscriber's resume point.
 */
export function isNewStored(m: Pick<ChatMessage, 'seq' | 'code'>): m is ChatMessage & { seq: string } {
  return m.seq !== null && m.code !== MessageCode.UPDATE && m.code !== MessageCode.REMOVE;
}

export interface PresenceChange {
  channelId: string;
  /** Hidden presences are included so each session can follow its own membership; filtered before clients see them. */
  joins: Presence[];
  leaves: Presence[];
}

/** A session started or stopped typing in a channel; never stored. */
export interface TypingChange {
  channelId: string;
  userId: string;
  username: string;
  sessionId: string;
  typing: boolean;
}

/** A member's read mark in a direct chat or small group, as read receipts show it. */
export interface ReadChange {
  channelId: string;
  userId: string;
  username: string;
  lastReadMessageId: string;
  readTime: Date;
}

export type ChannelEvent =
  | { type: 'message'; message: ChatMessage }
  | { type: 'presence'; change: PresenceChange }
  | { type: 'typing'; change: TypingChange }
  | { type: 'read'; read: ReadChange }
  | { type: 'thread'; thread: ThreadChange };

/** A message's count of replies changed: a reply was stored or removed. */
export interface ThreadChange {
  channelId: string;
  messageId: string;
  replyCount: number;
}

export type SessionEvent =
  /** `after`: the channel's newest sequence number just before the presence began (what a feed joining late replays after). */
  { type: 'joined'; channelId: string; after?: string } | { type: 'left'; channelId: string };

export interface NotificationView {
  id: string;
  userId: string;
  code: number;
  subject: string;
  content: Record<string, unknown>;
  senderId: string | null;
  createTime: Date;
  read: boolean;
}

export type UserEvent =
  | { type: 'notification'; notification: NotificationView }
  | { type: 'blocked' | 'unblocked'; userIds: string[] }
  /** The user's inbox entry for the channel changed other than through the channel's messages: marked read, hidden, added or removed. */
  | { type: 'inbox'; channelId: string };
