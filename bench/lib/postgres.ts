// PostgreSQL for the stored-message scenarios: databases made for a run, and a
// reference table shaped like Parley's "Message" (prisma/migrations). The
// server is BENCH_DATABASE_URL (default: local, trust auth); a scenario that
// finds no server there emits "skipped" rows instead of failing the run.
import pg from 'pg';

export const PG_BASE = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/** The base URL with another database name. */
export function databaseUrl(name: string): string {
  const url = new URL(PG_BASE);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The base URL without its password, for notes. */
export const pgWhere = () => {
  const url = new URL(PG_BASE);
  url.password = '';
  return url.toString();
};

async function onBase<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_BASE, connectionTimeoutMillis: 3000 });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** undefined when PostgreSQL answers at PG_BASE, else why not. */
export async function pgUnreachable(): Promise<string | undefined> {
  try {
    await onBase((c) => c.query('SELECT 1'));
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

const ident = (name: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
  return `"${name}"`;
};

/** Drops (closing its connections) and creates database `name`; returns its URL. */
export async function freshDatabase(name: string): Promise<string> {
  await onBase(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${ident(name)}`);
  });
  return databaseUrl(name);
}

/** Creates database `name` unless it exists; returns its URL and whether it was created. */
export async function ensureDatabase(name: string): Promise<{ url: string; created: boolean }> {
  const created = await onBase(async (c) => {
    const { rowCount } = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return false;
    await c.query(`CREATE DATABASE ${ident(name)}`);
    return true;
  });
  return { url: databaseUrl(name), created };
}

/**
 * A table with the columns, keys and foreign key of Parley's "Message", and
 * its parent with one row, `channelId`: what a plain application would insert
 * chat messages into. Dropped first, so every run starts empty.
 */
export async function referenceTable(pool: pg.Pool, channelId: string): Promise<void> {
  await pool.query(`
    DROP TABLE IF EXISTS bench_message, bench_channel;
    CREATE TABLE bench_channel (id text PRIMARY KEY);
    CREATE TABLE bench_message (
      id text PRIMARY KEY,
      "channelId" text NOT NULL REFERENCES bench_channel (id) ON DELETE CASCADE,
      seq bigint NOT NULL,
      code integer NOT NULL,
      "senderId" text NOT NULL,
      username text NOT NULL,
      content jsonb NOT NULL,
      "createTime" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
      "updateTime" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
      UNIQUE ("channelId", seq)
    );`);
  await pool.query('INSERT INTO bench_channel (id) VALUES ($1)', [channelId]);
}

/** INSERT of `rows` messages into bench_message, one statement; `next` gives each row's seq. */
export function insertMessages(pool: pg.Pool, channelId: string, rows: number, next: () => number, newId: () => string) {
  const values: unknown[] = [];
  const tuples: string[] = [];
  const now = new Date();
  for (let i = 0; i < rows; i++) {
    const b = values.length;
    tuples.push(`($${b + 1}, $${b + 2}, $${b + 3}, 0, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7}, $${b + 7})`);
    values.push(
      newId(),
      channelId,
      next(),
      'bench-user',
      'bench',
      JSON.stringify({ t: performance.now(), text: 'hello from the reference' }),
      now,
    );
  }
  const sql = `INSERT INTO bench_message (id, "channelId", seq, code, "senderId", username, content, "createTime", "updateTime") VALUES ${tuples.join(', ')}`;
  return pool.query(sql, values);
}
