import { uuidv7 } from 'uuidv7';
import type { Database } from '../../db/index.js';
import type { ChatMessage } from '../../domain/types.js';
import type { ChannelRef } from '../../domain/channel-ref.js';
import { chatMessage } from './message-shape.js';

export interface NewMessage {
  channelId: string;
  code: number;
  senderId: string;
  username: string;
  content: Record<string, unknown>;
  clientMessageId?: string | null;
}

// One statement, so one round trip and its own transaction: the UPDATE takes
// the channel's row lock and reserves `n` sequence numbers, the INSERT stores
// the rows in the batch's order. Writers in other processes queue on that row
// lock, so per-channel commit order is sequence order. A channel that does not
// exist yields no row and inserts nothing. A row whose client message id the
// sender already used in this channel (a retry racing with the first send on
// another process) is skipped, leaving its sequence number unused; the caller
// acknowledges the stored one instead.
const INSERT_BATCH = `
WITH c AS (
  UPDATE "Channel" SET "lastSeq" = "lastSeq" + $2 WHERE id = $1 RETURNING "lastSeq" - $2 AS base
), ins AS (
  INSERT INTO "Message" (id, "channelId", seq, code, "senderId", username, content, "clientMessageId", "createTime", "updateTime")
  SELECT m.v->>'id', $1, c.base + m.n, (m.v->>'code')::int, m.v->>'senderId', m.v->>'username', m.v->'content', m.v->>'clientMessageId', $3::timestamp(3), $3::timestamp(3)
  FROM c, jsonb_array_elements($4::jsonb) WITH ORDINALITY AS m(v, n)
  ON CONFLICT ("channelId", "senderId", "clientMessageId") DO NOTHING
  RETURNING id
)
SELECT base::text AS base, (SELECT coalesce(array_agg(id), '{}') FROM ins) AS inserted FROM c`;

/**
 * Appends messages to one channel's history in one statement, with
 * consecutive sequence numbers in the order given.
 */
/** Null for a row skipped because its client message id was taken. */
export async function insertMessages(db: Pick<Database, 'query'>, ref: ChannelRef, items: NewMessage[]): Promise<(ChatMessage | null)[]> {
  const channelId = ref.id;
  const now = new Date();
  const rows = items.map((m) => ({
    id: uuidv7(),
    code: m.code,
    senderId: m.senderId,
    username: m.username,
    content: m.content,
    clientMessageId: m.clientMessageId ?? null,
  }));
  // Timestamps are stored as UTC wall-clock time, as Prisma stores them.
  const utc = now.toISOString().slice(0, 23);
  const result = await db.query<{ base: string; inserted: string[] }>(INSERT_BATCH, [channelId, items.length, utc, JSON.stringify(rows)]);
  if (!result[0]) throw new Error(`channel ${channelId} has no row to store messages in`);
  const base = BigInt(result[0].base);
  const inserted = new Set(result[0].inserted);
  return rows.map((r, i) =>
    inserted.has(r.id)
      ? chatMessage(ref, {
          id: r.id,
          seq: (base + BigInt(i) + 1n).toString(),
          code: r.code,
          senderId: r.senderId,
          username: r.username,
          content: r.content,
          createTime: now,
          updateTime: now,
          clientMessageId: r.clientMessageId,
        })
      : null,
  );
}
