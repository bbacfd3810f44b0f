import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const int = (min: number) => z.coerce.number().int().min(min);

export interface RateLimit {
  points: number;
  seconds: number;
}
/** "points/seconds", e.g. 30/10 for 30 per 10 seconds; "off" (or 0) disables the limit. */
const rate = z
  .string()
  .regex(/^(off|0|[1-9]\d*\/[1-9]\d*)$/, 'expected "points/seconds" such as 30/10, or "off"')
  .transform((v): RateLimit | null => {
    if (v === 'off' || v === '0') return null;
    const [points, seconds] = v.split('/').map(Number) as [number, number];
    return { points, seconds };
  });

/**
 * "*" (any origin, never with credentials), "off" (no CORS headers: same
 * origin only), or a comma-separated list of origins such as
 * https://app.example.com, which alone get credentials.
 */
const origins = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
  )
  .refine((list) => (list.length === 1 && (list[0] === '*' || list[0] === 'off')) || (list.length > 0 && list.every(isOrigin)), {
    message: 'expected "*", "off", or origins such as https://app.example.com separated by commas (scheme, host and port only)',
  });

function isOrigin(o: string): boolean {
  try {
    return new URL(o).origin === o;
  } catch {
    return false;
  }
}

/** Every option, its default and meaning; the README's configuration table mirrors this. */
const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: int(0).max(65535).default(4000),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  TOKEN_TTL_SECONDS: int(60).default(7 * 24 * 3600),
  // The host app's own tokens (authenticateToken): a shared secret or a JWKS URL.
  AUTH_DEVICE: bool.default(true),
  AUTH_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  AUTH_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
  AUTH_JWT_ISSUER: z.string().min(1).optional(),
  AUTH_JWT_AUDIENCE: z.string().min(1).optional(),
  AUTH_JWT_MAX_AGE_SECONDS: int(60).default(3600),
  AUTH_USER_ID_CLAIM: z.string().min(1).default('sub'),
  AUTH_USERNAME_CLAIM: z.string().min(1).default('name'),
  PRESENCE_GRACE_MS: int(0).default(15_000),
  MAX_MESSAGE_BYTES: int(2).default(4096),
  SEARCH_LANGUAGE: z
    .string()
    .regex(/^[a-z_]{1,63}$/, 'must be the name of a PostgreSQL text search configuration, such as simple or english')
    .default('simple'),
  SUBSCRIPTION_QUEUE_LIMIT: int(1).default(1000),
  SHUTDOWN_GRACE_MS: int(0).default(10_000),
  REDIS_PREFIX: z.string().min(1).default('parley:'),
  NODE_HEARTBEAT_MS: int(100).default(2_000),
  NODE_EXPIRY_MS: int(200).default(10_000),
  REDIS_COMMAND_TIMEOUT_MS: int(50).default(5_000),
  SESSION_CHECK_MS: int(100).default(30_000),
  WS_MAX_BACKLOG: int(1).default(1000),
  WS_KEEPALIVE_MS: int(0).default(12_000),
  WORKERS: int(1).max(256).default(1),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Unset: on, except when NODE_ENV=production. */
  GRAPHIQL: bool.optional(),

  // Server hooks and abuse limits. For the numeric limits, 0 turns the limit off.
  HOOKS_MODULE: z.string().min(1).optional(),
  TRUST_PROXY: int(0).default(0),
  CORS_ORIGINS: origins.default(['*']),
  HTTP_HEADERS_TIMEOUT_MS: int(0).default(10_000),
  HTTP_REQUEST_TIMEOUT_MS: int(0).default(30_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: int(0).default(5_000),
  MAX_CONNECTIONS_PER_ADDRESS: int(0).default(1024),
  METRICS: bool.default(true),
  METRICS_PORT: int(0).max(65535).default(0),
  RATE_LIMIT_SEND: rate.default({ points: 30, seconds: 10 }),
  RATE_LIMIT_JOIN: rate.default({ points: 30, seconds: 10 }),
  RATE_LIMIT_AUTH: rate.default({ points: 30, seconds: 60 }),
  RATE_LIMIT_GROUP: rate.default({ points: 10, seconds: 60 }),
  RATE_LIMIT_PREFIX: z.string().min(1).default('parley:rl:'),
  MAX_QUERY_DEPTH: int(0).default(8),
  MAX_QUERY_ALIASES: int(0).default(15),
  MAX_QUERY_TOKENS: int(0).default(1000),
  MAX_BODY_BYTES: int(0).default(64 * 1024),
  MAX_SUBSCRIPTIONS_PER_CONNECTION: int(0).default(50),
  MAX_CONNECTIONS_PER_USER: int(0).default(20),
  /** Unset: on, except when NODE_ENV=production. */
  INTROSPECTION: bool.optional(),
});

type Parsed = z.infer<typeof schema>;

/** Every option's name; the README's table and .env.example are checked against it. */
export const CONFIG_KEYS = Object.keys(schema.shape);
/** Switches whose default depends on NODE_ENV are settled after parsing. */
export type Config = Omit<Parsed, 'GRAPHIQL' | 'INTROSPECTION'> & { GRAPHIQL: boolean; INTROSPECTION: boolean };

export class ConfigError extends Error {}

export function parseConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable means "not set", as in most .env tooling.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${problems}`);
  }
  const production = result.data.NODE_ENV === 'production';
  const config: Config = {
    ...result.data,
    GRAPHIQL: result.data.GRAPHIQL ?? !production,
    INTROSPECTION: result.data.INTROSPECTION ?? !production,
  };
  // On PostgreSQL the generated secret lives in the database, shared and kept; a
  // production data directory may be thrown away with its container.
  if (production && !config.JWT_SECRET && !config.DATABASE_URL) {
    throw new ConfigError('Invalid configuration: JWT_SECRET: required when NODE_ENV=production without DATABASE_URL');
  }
  if (
    config.HTTP_REQUEST_TIMEOUT_MS > 0 &&
    (config.HTTP_HEADERS_TIMEOUT_MS === 0 || config.HTTP_HEADERS_TIMEOUT_MS > config.HTTP_REQUEST_TIMEOUT_MS)
  ) {
    throw new ConfigError('Invalid configuration: HTTP_HEADERS_TIMEOUT_MS: must be set and at most HTTP_REQUEST_TIMEOUT_MS');
  }
  if (config.NODE_EXPIRY_MS <= config.NODE_HEARTBEAT_MS) {
    throw new ConfigError('Invalid configuration: NODE_EXPIRY_MS: must be greater than NODE_HEARTBEAT_MS');
  }
  // A body limit below the content limit would make the content limit unreachable.
  if (config.MAX_BODY_BYTES > 0 && config.MAX_BODY_BYTES <= config.MAX_MESSAGE_BYTES) {
    throw new ConfigError('Invalid configuration: MAX_BODY_BYTES: must be larger than MAX_MESSAGE_BYTES (or 0 for no limit)');
  }
  return config;
}

/** Test and embedding helper: defaults overlaid with the given values. */
export function makeConfig(overrides: Partial<Config> = {}): Config {
  return { ...parseConfig({}), ...overrides };
}
