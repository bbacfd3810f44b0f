import type { ChannelEvent, SessionEvent, UserEvent } from '../domain/types.js';

/**
 * Every topic and the payload it carries. A topic name is `${kind}:${id}`;
 * publishers publish after the database commit, and subscribers check access
 * on their own side instead of trusting the payload.
 */
export interface TopicMap {
  /** Messages and presence changes of one chat channel, in the order the server accepted them. */
  channel: ChannelEvent;
  /** One session joined or left a channel (its feeds without a channelId follow it). */
  session: SessionEvent;
  /** Per-user news: a stored notification, or a change of whom the user blocks (their feeds filter on it). */
  user: UserEvent;
  /** Sessions that ended (signed out or revoked): every process closes their connections. One topic, id `ended`. */
  sessions: { sessionIds: string[] };
}

export type TopicKind = keyof TopicMap;

export function topicName(kind: TopicKind, id: string): string {
  return `${kind}:${id}`;
}

/** A JSON-encoded Date, made a Date again; a Date (already decoded) is kept. */
function date(value: unknown): Date {
  return value instanceof Date ? value : new Date(value as string);
}

/**
 * Payloads as JSON.parse gives them back, made the types above again. Only
 * the payload type's own Date fields are touched: message and notification
 * content is the sender's JSON and reaches subscribers exactly as sent,
 * whatever its keys. Decoding twice is harmless (a process may hand one
 * parsed payload to several handlers).
 */
export const decodeTopic: { [K in TopicKind]: (parsed: TopicMap[K]) => TopicMap[K] } = {
  channel(event) {
    if (event.type === 'message') {
      event.message.createTime = date(event.message.createTime);
      event.message.updateTime = date(event.message.updateTime);
    }
    if (event.type === 'read') event.read.readTime = date(event.read.readTime);
    return event;
  },
  session: (event) => event,
  user(event) {
    if (event.type === 'notification') event.notification.createTime = date(event.notification.createTime);
    return event;
  },
  sessions: (event) => event,
};
