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
  /** Key and channel prefix, so several deployments (or test runs) can share one Redis. */
  prefix: string;
  /** Both connections are up and Redis answered the last probe in time. */
  healthy(): boolean;
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
  const lost = (why: string) => {
    if (closing || down) return;
    down = true;
    log.warn({ why }, 'redis is unavailable; live delivery is degraded until it returns');
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
      (err: Error) => {
        if (closing || ++missedProbes < 2) return;
        stalled = true;
        lost(`no answer to two probes: ${err.message}`);
      },
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
    onResume: (fn) => void resumeHandlers.push(fn),
    async close() {
      closing = true;
      if (probe) clearInterval(probe);
      await Promise.all([command.quit().catch(() => command.disconnect()), subscriber.quit().catch(() => subscriber.disconnect())]);
    },
  };
}
