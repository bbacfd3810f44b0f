import type { Logger } from '../lib/logger.js';
import type { PubSub } from './index.js';
import { topicName, type TopicKind, type TopicMap } from './topics.js';

type Handler = (payload: never) => void;

/** The embedded default: one process, handlers called synchronously in publish order. */
export function createMemoryPubSub(log: Logger): PubSub {
  const handlers = new Map<string, Set<Handler>>();
  return {
    async publish<K extends TopicKind>(kind: K, id: string, payload: TopicMap[K]) {
      const set = handlers.get(topicName(kind, id));
      if (!set) return;
      for (const h of [...set]) {
        try {
          (h as (p: TopicMap[K]) => void)(payload);
        } catch (err) {
          log.error({ err, topic: topicName(kind, id) }, 'subscriber failed');
        }
      }
    },
    async subscribe<K extends TopicKind>(kind: K, id: string, handler: (payload: TopicMap[K]) => void) {
      const name = topicName(kind, id);
      let set = handlers.get(name);
      if (!set) handlers.set(name, (set = new Set()));
      const h = handler as Handler;
      set.add(h);
      return async () => {
        set.delete(h);
        if (set.size === 0 && handlers.get(name) === set) handlers.delete(name);
      };
    },
    healthy: () => true,
    async close() {
      handlers.clear();
    },
  };
}
