import { RedisPubSub } from 'graphql-redis-subscriptions';
import type { Logger } from '../lib/logger.js';
import type { PubSub } from './index.js';
import type { RedisClients } from './redis-clients.js';
import { redisKeys } from './redis-keys.js';
import { decodeTopic, topicName, type TopicKind, type TopicMap } from './topics.js';

/** How long a subscriber waits for SUBSCRIBE to be confirmed before going on degraded. */
const SUBSCRIBE_WAIT_MS = 2000;

/**
 * Fan-out between processes: one Redis channel per topic (no patterns).
 * graphql-redis-subscriptions counts local subscribers per channel, so a
 * process SUBSCRIBEs once per topic however many local feeds listen.
 */
export function createRedisPubSub(clients: RedisClients, log: Logger): PubSub {
  // Payloads are parsed with plain JSON.parse; decodeTopic restores each topic's Dates by their place in the payload.
  const rps = new RedisPubSub({ publisher: clients.command, subscriber: clients.subscriber });
  const topic = redisKeys(clients.prefix).topic;
  const name = (kind: TopicKind, id: string) => topic(topicName(kind, id));
  return {
    async publish<K extends TopicKind>(kind: K, id: string, payload: TopicMap[K]) {
      // A lost publish is recoverable for stored messages (subscribers fill
      // gaps from the database), so an outage must not fail the send, nor
      // slow it: while Redis is known to be down, nothing is tried.
      if (!clients.healthy()) return void log.debug({ topic: topicName(kind, id) }, 'not published; redis is down');
      try {
        await clients.request(() => rps.publish(name(kind, id), payload));
      } catch (err) {
        log.warn({ err: (err as Error).message, topic: topicName(kind, id) }, 'publish failed; redis is down');
      }
    },
    async subscribe<K extends TopicKind>(kind: K, id: string, handler: (payload: TopicMap[K]) => void) {
      const decode = decodeTopic[kind];
      const subId = rps.subscribe(name(kind, id), (parsed: TopicMap[K]) => handler(decode(parsed)));
      subId.catch((err) => log.warn({ err: (err as Error).message, topic: topicName(kind, id) }, 'subscribe failed'));
      // During an outage the SUBSCRIBE waits in the offline queue; do not hold the caller for it.
      await Promise.race([subId.catch(() => {}), delay(SUBSCRIBE_WAIT_MS)]);
      let done = false;
      return async () => {
        if (done) return;
        done = true;
        const sid = await subId.catch(() => null);
        if (sid !== null) rps.unsubscribe(sid);
      };
    },
    healthy: clients.healthy,
    async close() {
      // The connections belong to RedisClients, closed by its owner.
    },
  };
}

function delay(ms: number) {
  return new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
}
