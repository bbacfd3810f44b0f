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
