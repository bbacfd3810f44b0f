import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Config } from '../../src/config.js';

export interface Backend {
  name: 'pglite' | 'postgres' | 'postgres+redis';
  /** Configuration for a fresh, empty database; `drop` removes it. */
  create(): Promise<{ config: Partial<Config>; drop(): Promise<void> }>;
}

const pglite: Backend = {
  name: 'pglite',
  create: async () => ({ config: { DATA_DIR: 'memory://' }, drop: async () => {} }),
};

/** The embedded default, whatever TEST_BACKENDS says: for suites whose subject (HTTP, CORS, metrics, logs) does not depend on the backend. */
export const embedded: Backend = pglite;

/** A fresh, empty database on the server `url` names; `drop` removes it. */
export async function freshDatabase(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `parley_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  return {
    url: dbUrl.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A database of its own per app on the server TEST_DATABASE_URL names. */
function postgres(url: string): Backend {
  return {
    name: 'postgres',
    async create() {
      const db = await freshDatabase(url);
      return { config: { DATABASE_URL: db.url, DATA_DIR: 'memory://' }, drop: db.drop };
    },
  };
}

/** PostgreSQL plus pub/sub and presence on Redis under a key prefix of its own. */
function clustered(dbUrl: string, redisUrl: string): Backend {
  const pg = postgres(dbUrl);
  return {
    name: 'postgres+redis',
    async create() {
      const db = await pg.create();
      const prefix = `parley_test_${randomBytes(6).toString('hex')}:`;
      return {
        config: { ...db.config, REDIS_URL: redisUrl, REDIS_PREFIX: prefix },
        async drop() {
          await db.drop();
          await dropRedisPrefix(redisUrl, prefix);
        },
      };
    },
  };
}

/** Deletes every key under a test's prefix. */
export async function dropRedisPrefix(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/**
 * PGlite always; PostgreSQL too when TEST_DATABASE_URL is set, and PostgreSQL
 * with Redis when TEST_REDIS_URL is too (CI sets both). TEST_BACKENDS (names,
 * comma-separated) keeps only some: .ci/run's second pass on another Node
 * version runs the embedded default and the production path, not plain
 * PostgreSQL, whose code is the same as the latter's.
 */
export function backends(): Backend[] {
  const url = process.env.TEST_DATABASE_URL;
  const redisUrl = process.env.TEST_REDIS_URL;
  const all = !url ? [pglite] : redisUrl ? [pglite, postgres(url), clustered(url, redisUrl)] : [pglite, postgres(url)];
  const only = process.env.TEST_BACKENDS?.split(',').map((n) => n.trim());
  if (!only) return all;
  const kept = all.filter((b) => only.includes(b.name));
  if (kept.length !== only.length)
    throw new Error(
      `TEST_BACKENDS=${process.env.TEST_BACKENDS}: unknown or unavailable backends (have ${all.map((b) => b.name).join(', ')})`,
    );
  return kept;
}
