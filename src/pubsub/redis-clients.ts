import { redactUrl, StartupError } from '../lib/startup-error.js';
import { Redis } from 'ioredis';
import type { Logger } from '../lib/logger.js';
import { isRedisUnavailable, RedisUnavailableError } from '../lib/unavailable.js';

/**
 * The two Redis connections a process holds: `command` for publishing and for
 * presence/liveness data, `subscriber` for SUBSCRIBE (a subscribed connection
 * can run nothing else). Both reconnect by themselves after an outage.
 */
export interface RedisClients {
  command: Redis;
  subscriber: Redis;
  /** Key and channel prefix, so several deployments (or test runs) can share one Redis. */
  prefix: string;
  /** Both connections are up and Redis answered the last probe in time. */
  healthy(): boolean;
  /**
   * Runs a command a request waits for. While Redis is known to be down it
   * fails at once; if Redis is found down while it waits, it fails then; a
   * command that times out counts as an unanswered probe. So no request waits
   * on Redis longer than REDIS_COMMAND_TIMEOUT_MS plus the probe interval.
   * Failures are RedisUnavailableError or ioredis's own, both UNAVAILABLE.
   */
  request<T>(command: () => Promise<T>): Promise<T>;
  /** Runs after Redis came back from an outage or a stall (both connections ready, a probe answered). */
  onResume(fn: () => void): void;
  close(): Promise<void>;
}

export interface RedisOptions {
  /** The longest a command may wait for its answer. */
  commandTimeoutMs: number;
  /** How often Redis is pinged, so that a stall (connections open, nothing answered) is noticed. */
  probeMs: number;
  connectTimeoutMs?: number;
}

export async function connectRedis(url: string, prefix: string, log: Logger, opts: RedisOptions): Promise<RedisClients> {
  const connectTimeoutMs = opts.connectTimeoutMs ?? 10_000;
  // Commands fail at once while Redis is down, and after commandTimeout while
  // it hangs, instead of queueing without bound: callers degrade (sends still
  // store) or answer UNAVAILABLE rather than hang.
  const command = new Redis(url, {
    enableOfflineQueue: false,
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    commandTimeout: opts.commandTimeoutMs,
  });
  // SUBSCRIBEs issued during an outage wait for the reconnect; ioredis also
  // resubscribes every channel it held once the connection is back.
  const subscriber = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: null, autoResubscribe: true });
  const resumeHandlers: (() => void)[] = [];
  let down = false;
  let stalled = false;
  let missedProbes = 0;
  let closing = false;
  let probe: NodeJS.Timeout | null = null;

  const connected = () => command.status === 'ready' && subscriber.status === 'ready';
  const healthy = () => connected() && !stalled;
  /** Requests waiting on a command, failed as soon as Redis is found down. */
  const waiting = new Set<(err: Error) => void>();
  const lost = (why: string) => {
    for (const fail of [...waiting]) fail(new RedisUnavailableError(`Redis is unavailable: ${why}`));
    if (closing || down) return;
    down = true;
    log.warn({ why }, 'redis is unavailable; live delivery is degraded until it returns');
  };
  /** Two unanswered commands in a row (probes or requests' commands) mean Redis is stalled. */
  const unanswered = (why: string) => {
    if (closing || ++missedProbes < 2) return;
    stalled = true;
    lost(why);
  };
  const request = <T>(run: () => Promise<T>): Promise<T> => {
    if (!healthy()) return Promise.reject(new RedisUnavailableError());
    return new Promise<T>((resolve, reject) => {
      waiting.add(reject);
      run().then(
        (value) => {
          waiting.delete(reject);
          missedProbes = 0;
          resolve(value);
        },
        (err: Error) => {
          waiting.delete(reject);
          if (isRedisUnavailable(err)) unanswered(`a command failed: ${err.message}`);
          reject(err);
        },
      );
    });
  };
  const maybeResumed = () => {
    if (closing || !down || !healthy()) return;
    down = false;
    log.info('redis is back; resubscribed and resuming');
    for (const fn of resumeHandlers) fn();
  };
  for (const [name, client] of [
    ['command', command],
    ['subscriber', subscriber],
  ] as const) {
    client.on('error', (err) => {
      if (!closing) log.debug({ err: err.message, connection: name }, 'redis error');
    });
    client.on('close', () => lost(`${name} connection closed`));
    client.on('ready', maybeResumed);
  }

  // Two probes in a row must go unanswered: one late answer on a starved
  // event loop must not send every process into degraded mode.
  const ping = () => {
    if (closing || command.status !== 'ready') return;
    command.ping().then(
      () => {
        missedProbes = 0;
        stalled = false;
        maybeResumed();
      },
      (err: Error) => unanswered(`a probe went unanswered: ${err.message}`),
    );
  };

  const timeout = new Promise<never>((_, reject) => {
    const t = setTimeout(
      () => reject(new Error(`cannot reach Redis at ${redactUrl(url)} within ${connectTimeoutMs} ms`)),
      connectTimeoutMs,
    );
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
  probe = setInterval(ping, opts.probeMs).unref();

  return {
    command,
    subscriber,
    prefix,
    healthy,
    request,
    onResume: (fn) => void resumeHandlers.push(fn),
    async close() {
      closing = true;
      if (probe) clearInterval(probe);
      await Promise.all([command.quit().catch(() => command.disconnect()), subscriber.quit().catch(() => subscriber.disconnect())]);
    },
  };
}
