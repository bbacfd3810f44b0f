// How ioredis reports a Redis it cannot reach or that does not answer in time.
const REDIS_MESSAGES = ['Command timed out', "Stream isn't writeable and enableOfflineQueue options is false", 'Connection is closed.'];
// Prisma's codes for a database it cannot reach, that timed out, or whose pool ran dry.
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
// Node's and PostgreSQL's codes for a connection that failed or was cut.
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08006',
]);

/** Thrown instead of waiting for Redis while it is known to be down or stalled. */
export class RedisUnavailableError extends Error {
  override name = 'RedisUnavailableError';
  constructor(why = 'Redis is unavailable') {
    super(why);
  }
}

/**
 * The dependency whose outage caused this error, or null when it is some
 * other failure. Such errors reach clients as UNAVAILABLE (retry later), not
 * as an internal error.
 */
export function unavailableDependency(err: unknown): 'Redis' | 'the database' | null {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { name, message, code } = e as { name?: unknown; message?: unknown; code?: unknown };
    if (
      name === 'MaxRetriesPerRequestError' ||
      name === 'RedisUnavailableError' ||
      (typeof message === 'string' && REDIS_MESSAGES.includes(message))
    )
      return 'Redis';
    if (typeof code === 'string' && (PRISMA_CODES.has(code) || CONNECTION_CODES.has(code))) return 'the database';
    if (typeof message === 'string' && /Connection terminated|timeout exceeded when trying to connect/.test(message)) return 'the database';
  }
  return null;
}

export const isRedisUnavailable = (err: unknown) => unavailableDependency(err) === 'Redis';
