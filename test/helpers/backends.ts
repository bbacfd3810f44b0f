import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Config } from '../../src/config.js';

export interface Backend {
  name: 'pglite' | 'postgres';
  /** Configuration for a fresh, empty database; `drop` removes it. */
  create(): Promise<{ config: Partial<Config>; drop(): Promise<void> }>;
}

const pglite: Backend = {
  name: 'pglite',
  create: async () => ({ config: { DATA_DIR: 'memory://' }, drop: async () => {} }),
};

/** A database of its own per app on the server TEST_DATABASE_URL names. */
function postgres(url: string): Backend {
  return {
    name: 'postgres',
    async create() {
      const name = `parley_test_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const dbUrl = new URL(url);
      dbUrl.pathname = `/${name}`;
      return {
        config: { DATABASE_URL: dbUrl.toString(), DATA_DIR: 'memory://' },
        async drop() {
          const c = new pg.Client({ connectionString: url });
          await c.connect();
          await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          await c.end();
        },
      };
    },
  };
}

/** PGlite always; PostgreSQL too when TEST_DATABASE_URL is set (CI sets it). */
export function backends(): Backend[] {
  const url = process.env.TEST_DATABASE_URL;
  return url ? [pglite, postgres(url)] : [pglite];
}
