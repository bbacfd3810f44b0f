import type { Database } from './index.js';

/**
 * The token secret every process on one PostgreSQL database shares: the first
 * process to ask stores its candidate, every later one (and every process that
 * raced it) reads that one back. Two statements on purpose: when the INSERT
 * waited for a racing process's row, only a new statement's snapshot sees it.
 */
export async function sharedSecret(db: Pick<Database, 'query'>, candidate: string): Promise<string> {
  await db.query('INSERT INTO "ServerSecret" (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', ['jwt', candidate]);
  const rows = await db.query<{ value: string }>('SELECT value FROM "ServerSecret" WHERE name = $1', ['jwt']);
  if (!rows[0]) throw new Error('the shared token secret could not be stored');
  return rows[0].value;
}
