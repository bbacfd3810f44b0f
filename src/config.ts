import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const int = (min: number) => z.coerce.number().int().min(min);

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
  PRESENCE_GRACE_MS: int(0).default(15_000),
  MAX_MESSAGE_BYTES: int(2).default(4096),
  SUBSCRIPTION_QUEUE_LIMIT: int(1).default(1000),
  SHUTDOWN_GRACE_MS: int(0).default(10_000),
  REDIS_PREFIX: z.string().min(1).default('parley:'),
  NODE_HEARTBEAT_MS: int(100).default(2_000),
  NODE_EXPIRY_MS: int(200).default(10_000),
  WS_MAX_BACKLOG: int(1).default(1000),
  WORKERS: int(1).max(256).default(1),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  GRAPHIQL: bool.default(true),
});

export type Config = z.infer<typeof schema>;

export class ConfigError extends Error {}

export function parseConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable means "not set", as in most .env tooling.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${problems}`);
  }
  const config = result.data;
  if (config.NODE_ENV === 'production' && !config.JWT_SECRET) {
    throw new ConfigError('Invalid configuration: JWT_SECRET: required when NODE_ENV=production');
  }
  if (config.NODE_EXPIRY_MS <= config.NODE_HEARTBEAT_MS) {
    throw new ConfigError('Invalid configuration: NODE_EXPIRY_MS: must be greater than NODE_HEARTBEAT_MS');
  }
  return config;
}

/** Test and embedding helper: defaults overlaid with the given values. */
export function makeConfig(overrides: Partial<Config> = {}): Config {
  return { ...parseConfig({}), ...overrides };
}
