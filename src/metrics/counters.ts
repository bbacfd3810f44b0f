import { Histogram } from 'prom-client';

/** What the hot paths bump and /metrics reads; an interface so a host can count elsewhere. */
export interface Counters {
  messagesStored: number;
  messagesNotStored: number;
  deliveries: number;
  sseStreams: number;
  readonly rateLimited: Map<string, number>;
  readonly hookFailures: Map<string, number>;
  readonly sendToPublish: Histogram;
  bump(map: Map<string, number>, key: string): void;
}

/**
 * What the hot paths count: plain numbers to bump (a delivery costs one
 * increment), read by the Prometheus registry when /metrics is scraped.
 */
export class MetricCounters implements Counters {
  messagesStored = 0;
  messagesNotStored = 0;
  /** Events put in a subscriber's feed. */
  deliveries = 0;
  /** Subscriptions over Server-Sent Events now open. */
  sseStreams = 0;
  /** Refusals by limit: send, join, auth, connections. */
  readonly rateLimited = new Map<string, number>();
  /** Server hooks that threw, by operation and stage. */
  readonly hookFailures = new Map<string, number>();
  /** From sendMessage's start to its message being published (stored first when persistent). */
  readonly sendToPublish = new Histogram({
    name: 'parley_send_to_publish_seconds',
    help: 'Time from a sendMessage call to its message being published to subscribers (after it was stored, when stored).',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [],
  });

  bump(map: Map<string, number>, key: string) {
    map.set(key, (map.get(key) ?? 0) + 1);
  }
}
