import type { ServerResponse } from 'node:http';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Counters } from './counters.js';

const MAX_OPERATION_NAMES = 200;

/** Current values read at scrape time. */
export interface Sources {
  counters: Counters;
  webSockets(): number;
  sseStreams(): number;
  subscriptions(): number;
  slowConsumerCloses(): number;
  database(): Promise<boolean>;
  pubsub(): boolean;
}

export interface Metrics {
  registry: Registry;
  /** One finished operation (the operation log plugin calls it). */
  operation(name: string | null, type: string | null, code: string, seconds: number): void;
  serve(res: ServerResponse): Promise<void>;
}

/** A counter that follows a number kept elsewhere: at each scrape it adds what that number grew by. */
function follow(
  registry: Registry,
  name: string,
  help: string,
  labelNames: string[],
  read: () => Iterable<[Record<string, string>, number]>,
) {
  const seen = new Map<string, number>();
  new Counter({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      for (const [labels, value] of read()) {
        const key = JSON.stringify(labels);
        const delta = value - (seen.get(key) ?? 0);
        if (delta > 0) this.inc(labels, delta);
        seen.set(key, value);
      }
    },
  });
}

function gauge(registry: Registry, name: string, help: string, read: () => number | Promise<number>) {
  new Gauge({
    name,
    help,
    registers: [registry],
    async collect() {
      this.set(await read());
    },
  });
}

/** This process's metrics in Prometheus' text format; several processes are scraped one by one. */
export function createMetrics(s: Sources): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'parley_' });
  const operations = new Histogram({
    name: 'parley_operation_duration_seconds',
    help: 'GraphQL operations by name, type and outcome code (OK or the error code the client saw); subscriptions when set up.',
    labelNames: ['operation', 'type', 'code'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  registry.registerMetric(s.counters.sendToPublish);
  const c = s.counters;
  follow(registry, 'parley_messages_total', 'Messages sent, by whether they were stored.', ['stored'], () => [
    [{ stored: 'true' }, c.messagesStored],
    [{ stored: 'false' }, c.messagesNotStored],
  ]);
  follow(registry, 'parley_deliveries_total', 'Events put in subscribers’ feeds (one per subscriber per event).', [], () => [
    [{}, c.deliveries],
  ]);
  follow(registry, 'parley_slow_consumer_closes_total', 'WebSocket connections closed for falling behind (4413).', [], () => [
    [{}, s.slowConsumerCloses()],
  ]);
  follow(registry, 'parley_rate_limited_total', 'Requests refused by a rate or connection limit, by limit.', ['limit'], () =>
    [...c.rateLimited].map(([limit, n]) => [{ limit }, n] as [Record<string, string>, number]),
  );
  follow(registry, 'parley_hook_failures_total', 'Server hooks that threw, by operation and stage.', ['operation', 'stage'], () =>
    [...c.hookFailures].map(([key, n]) => {
      const [operation = '', stage = ''] = key.split(' ');
      return [{ operation, stage }, n] as [Record<string, string>, number];
    }),
  );
  gauge(registry, 'parley_websocket_connections', 'Open WebSocket connections.', s.webSockets);
  gauge(registry, 'parley_sse_streams', 'Open Server-Sent Events subscriptions.', s.sseStreams);
  gauge(registry, 'parley_subscriptions', 'Running subscription feeds.', s.subscriptions);
  gauge(registry, 'parley_database_up', '1 when the database answers a trivial query.', async () => Number(await s.database()));
  gauge(registry, 'parley_pubsub_up', '1 when pub/sub (Redis when clustered) is connected.', () => Number(s.pubsub()));

  // Operation names come from clients: past this many, new ones are counted as "other".
  const names = new Set<string>();
  return {
    registry,
    operation(name, type, code, seconds) {
      let operation = name ?? 'anonymous';
      if (!names.has(operation)) {
        if (names.size < MAX_OPERATION_NAMES) names.add(operation);
        else operation = 'other';
      }
      operations.observe({ operation, type: type ?? 'unknown', code }, seconds);
    },
    async serve(res) {
      const body = await registry.metrics();
      res.writeHead(200, { 'content-type': registry.contentType }).end(body);
    },
  };
}
