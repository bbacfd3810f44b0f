import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.js';
import type { Logger } from '../lib/logger.js';
import { redactUrl, StartupError } from '../lib/startup-error.js';
import { countQueries, type QueryCounter } from './count.js';
import { lockDataDir } from './lock.js';
import { applyMigrations, readMigrations, type MigrationTx } from './migrate.js';
import { ensureSearchIndex } from './search-index.js';

export { PrismaClient };
export type { Prisma } from '../generated/prisma/client.js';

export interface Database extends Readonly<QueryCounter> {
  prisma: PrismaClient;
  kind: 'pglite' | 'postgres';
  /**
   * One statement straight to the driver, bypassing Prisma: for hot paths
   * where Prisma's per-query work shows in the profile. Counted like Prisma's.
   */
  query<R>(sql: string, params: unknown[]): Promise<R[]>;
  /** True when a trivial query answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string;
  /** Where PGlite keeps its files; `memory://` keeps nothing. */
  dataDir: string;
  /** The text search configuration of the message search index (made after the migrations if missing). */
  searchLanguage?: string;
  log: Logger;
}

// Any constant works; it only has to be the same in every Parley process.
const MIGRATION_LOCK_KEY = 7_245_311;

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  const language = opts.searchLanguage ?? 'simple';
  return opts.databaseUrl ? openPostgres(opts.databaseUrl, opts.log, language) : openPglite(opts.dataDir, opts.log, language);
}

async function openPostgres(url: string, log: Logger, language: string): Promise<Database> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect().catch((e: unknown) => {
    throw new StartupError(`cannot reach PostgreSQL at ${redactUrl(url)}: ${e instanceof Error ? e.message : String(e)}`);
  });
  try {
    await client.query('BEGIN');
    // Several processes may start at once; one migrates, the others wait.
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    const tx: MigrationTx = {
      exec: async (sql) => void (await client.query(sql)),
      query: async (sql, params) => (await client.query(sql, params)).rows,
    };
    const ran = await applyMigrations(tx, readMigrations());
    await ensureSearchIndex(tx, language);
    await client.query('COMMIT');
    if (ran.length) log.info({ migrations: ran }, 'applied migrations');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    await client.end();
  }
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  pool.on('error', (err) => log.warn({ err }, 'postgres pool error'));
  const counter = { queries: 0 };
  const prepared = new Map<string, string>();
  const prisma = new PrismaClient({ adapter: countQueries(new PrismaPg(pool), counter) });
  return {
    prisma,
    get queries() {
      return counter.queries;
    },
    kind: 'postgres',
    query: async <R>(sql: string, params: unknown[]) => {
      counter.queries++;
      // Named, so each connection parses and plans a hot statement once, not on every call.
      let name = prepared.get(sql);
      if (!name) prepared.set(sql, (name = `parley_${prepared.size}`));
      return (await pool.query({ name, text: sql, values: params })).rows as R[];
    },
    ping: () =>
      pool.query('SELECT 1').then(
        () => true,
        () => false,
      ),
    close: async () => {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

async function openPglite(dataDir: string, log: Logger, language: string): Promise<Database> {
  const inMemory = dataDir.startsWith('memory://');
  let unlock = () => {};
  let dir = dataDir;
  if (!inMemory) {
    dir = resolve(dataDir);
    mkdirSync(dir, { recursive: true });
    unlock = lockDataDir(dir);
  }
  try {
    const db = await PGlite.create(inMemory ? dataDir : `${dir}/pg`);
    const ran = await db.transaction(async (t) => {
      const tx: MigrationTx = {
        exec: async (sql) => void (await t.exec(sql)),
        query: async (sql, params) => (await t.query(sql, params)).rows as never,
      };
      const applied = await applyMigrations(tx, readMigrations());
      await ensureSearchIndex(tx, language);
      return applied;
    });
    if (ran.length) log.info({ migrations: ran }, 'applied migrations');
    const counter = { queries: 0 };
    const prisma = new PrismaClient({ adapter: countQueries(new PrismaPGlite(db), counter) });
    return {
      prisma,
      get queries() {
        return counter.queries;
      },
      kind: 'pglite',
      query: async <R>(sql: string, params: unknown[]) => {
        counter.queries++;
        return (await db.query<R>(sql, params)).rows;
      },
      ping: () =>
        db.query('SELECT 1').then(
          () => true,
          () => false,
        ),
      close: async () => {
        await prisma.$disconnect();
        await db.close();
        unlock();
      },
    };
  } catch (e) {
    unlock();
    throw e;
  }
}
