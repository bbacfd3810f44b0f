import type { TopicKind, TopicMap } from './topics.js';

export type Unsubscribe = () => Promise<void>;

/** Fan-out between server processes. One subscription per topic per process is enough; local fan-out happens above. */
export interface PubSub {
  publish<K extends TopicKind>(kind: K, id: string, payload: TopicMap[K]): Promise<void>;
  subscribe<K extends TopicKind>(kind: K, id: string, handler: (payload: TopicMap[K]) => void): Promise<Unsubscribe>;
  /** False while the transport is down (Redis outage); in-process is always up. */
  healthy(): boolean;
  close(): Promise<void>;
}
