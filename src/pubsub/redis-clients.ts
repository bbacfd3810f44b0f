import { redactUrl, StartupError } from '../lib/startup-error.js';
import { Redis } from 'ioredis';
import type { Logger } from '../lib/logger.js';

/**
 * The two Redis connections a process holds: `command` for publishing and for
 * presence/liveness data, `subscriber` for SUBSCRIBE (a subscribed connection
 * can run nothing else). Both reconnect by themselves after an outage.
 */
export interface RedisClients {
  command: Redis;
  subscriber: Redis;
  /** Key and channel prefix, so several deployments (or test files) can share one Redis. */
  prefix: string;
  healthy(): boolean;
  /** Runs after Redis came back from an outage (both connections ready again). */
  onResume(fn: () => void): void;
  close(): Promise<void>;
}

export async function connectRedis(url: string, prefix: string, log: Logger, connectTimeoutMs = 10_000): Promise<RedisClients> {
  // Commands fail at once while Redis is down instead of queueing without bound:
  // callers degrade (sends still store) rather than hang.
  const command = new Redis(url, { enableOfflineQueue: false, lazyConnect: true, maxRetriesPerRequest: 1 });
  // SUBSCRIBEs issued during an outage wait for the reconnect; ioredis also
  // resubscribes every channel it held once the connection is back.
  const subscriber = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: null, autoResubscribe: true });
  const resumeHandlers: (() => void)[] = [];
  let wasDown = false;
  let closing = false;

  const healthy = () => command.status === 'ready' && subscriber.status === 'ready';
  for (const [name, client] of [['command', command], ['subscriber', subscriber]] as const) {
    client.on('error', (err) => {
      if (!closing) log.debug({ err: err.message, connection: name }, 'redis error');
    });
    client.on('close', () => {
      if (closing || wasDown) return;
      wasDown = true;
      log.warn({ connection: name }, 'redis connection lost; live delivery is degraded until it returns');
    });
    client.on('ready', () => {
      if (!wasDown || !healthy()) return;
      wasDown = false;
      log.info('redis is back; resubscribed and resuming');
      for (const fn of resumeHandlers) fn();
    });
  }

  const timeout = new Promise<never>((_, reject) => {
    const t = setTimeout(() => reject(new Error(`cannot reach Redis at ${redactUrl(url)} within ${connectTimeoutMs} ms`)), connectTimeoutMs);
    t.unref();
  });
  try {
    await Promise.race([Promise.all([command.connect(), subscriber.connect()]), timeout]);
  } catch (e) {
    closing = true;
    command.disconnect();
    subscriber.disconnect();
    const why = e instanceof Error ? e.message : String(e);
    throw new StartupError(why.startsWith('cannot reach Redis') ? why : `cannot reach Redis at ${redactUrl(url)}: ${why}`);
  }

  return {
    command,
    subscriber,
    prefix,
    healthy,
    onResume: (fn) => void resumeHandlers.push(fn),
    async close() {
      closing = true;
      await Promise.all([command.quit().catch(() => command.disconnect()), subscriber.quit().catch(() => subscriber.disconnect())]);
    },
  };
}
