import type { Deps } from '../../deps.js';
import { channelFromId, type ChannelRef } from '../../domain/channel-ref.js';
import type { ChatMessage } from '../../domain/types.js';
import type { Viewer } from '../../domain/viewer.js';
import { searchVector } from '../../db/search-index.js';
import { badInput } from '../../lib/errors.js';
import { checkFirst, decodeTimeKey, timeKey, toPage, type Page } from '../../lib/page.js';
import { assertMayAccess } from '../channels/access.js';
import { COLUMNS, messageOf, type MessageRow } from './history-sql.js';

/** Longest search text, in characters. */
export const MAX_QUERY = 200;

type Row = MessageRow & { channelId: string };

// websearch_to_tsquery reads any text (unbalanced quotes, stray operators) as
// words, never as a syntax error. Only chat messages are indexed and found; a
// removed message has no row. Newest first by (createTime, id), keyset pages.
// $1 user or channel, $2 text, $3 limit, $4/$5 the cursor's time (epoch ms) and id.
const statement = (language: string, scope: string) => `SELECT "channelId", ${COLUMNS}
FROM "Message" m
WHERE m.code = 0 AND ${searchVector(language)} @@ websearch_to_tsquery('${language}'::regconfig, $2)
  AND ${scope}
  AND ($4::float8 IS NULL OR (m."createTime", m.id) < (to_timestamp($4::float8 / 1000) AT TIME ZONE 'UTC', $5::text))
ORDER BY m."createTime" DESC, m.id DESC LIMIT $3`;

/** The statements for a language: over the user's inbox ($1 a user id), or one channel ($1 its id). */
export function searchStatements(language: string) {
  return {
    inbox: statement(language, `m."channelId" IN (SELECT e."channelId" FROM "InboxEntry" e WHERE e."userId" = $1)`),
    channel: statement(language, `m."channelId" = $1`),
  };
}

const KIND = 'search';
const cursorKey = (r: Row) => timeKey(r.createMs, r.id);
const toMessage = (r: Row) => messageOf(r, channelFromId(r.channelId));

/**
 * Chat messages whose string values match `query`, newest first: in the
 * viewer's inbox channels, or in one channel they may read (as
 * channelMessages). Nothing the viewer could not page in channelMessages.
 */
export async function searchMessages(
  deps: Deps,
  viewer: Viewer,
  input: { query: string; ref: ChannelRef | null; first: number; after: string | null },
): Promise<Page<ChatMessage>> {
  const text = input.query.trim();
  if (text.length < 1 || text.length > MAX_QUERY) {
    throw badInput(`query must be 1 to ${MAX_QUERY} characters (not counting spaces around it).`, { argument: 'query' });
  }
  const first = checkFirst(input.first);
  const [ms, id] = input.after === null ? [null, null] : decodeTimeKey(KIND, input.after);
  if (input.ref) await assertMayAccess(deps, viewer, input.ref);
  const sql = searchStatements(deps.config.SEARCH_LANGUAGE);
  const rows = input.ref
    ? await deps.db.query<Row>(sql.channel, [input.ref.id, text, first + 1, ms, id])
    : await deps.db.query<Row>(sql.inbox, [viewer.userId, text, first + 1, ms, id]);
  return toPage(KIND, rows, first, input.after, cursorKey, toMessage);
}
