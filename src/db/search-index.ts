import { StartupError } from '../lib/startup-error.js';
import type { MigrationTx } from './migrate.js';

/**
 * The expression searchMessages filters on: the string values of a chat
 * message's content as a tsvector. The query must use this exact text for the
 * index to serve it, so the language is a literal (checked to be a plain
 * name, and to exist, before it gets here).
 */
export const searchVector = (language: string) => `jsonb_to_tsvector('${language}'::regconfig, content, '["string"]'::jsonb)`;

/** The index name carries the language, so another SEARCH_LANGUAGE gets an index of its own. */
const indexName = (language: string) => `Message_search_${language}`;

/**
 * Makes the message search index for the configured language if it is not
 * there. Not a migration: the language is a setting, and Prisma's schema
 * cannot describe an expression index. Only chat messages are indexed.
 */
export async function ensureSearchIndex(tx: MigrationTx, language: string): Promise<void> {
  if (!/^[a-z_]{1,63}$/.test(language)) throw new StartupError(`SEARCH_LANGUAGE "${language}" is not a configuration name`);
  const [known] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_ts_config WHERE cfgname = $1', [language]);
  if (!known?.n)
    throw new StartupError(`SEARCH_LANGUAGE "${language}": the database has no such text search configuration (try simple or english)`);
  await tx.exec(`CREATE INDEX IF NOT EXISTS "${indexName(language)}" ON "Message" USING gin (${searchVector(language)}) WHERE code = 0`);
}
