import { uuidv7 } from 'uuidv7';
import type { Database } from '../../db/index.js';
import { MessageCode, type ChatMessage, type NotificationView } from '../../domain/types.js';
import type { ChannelRef } from '../../domain/channel-ref.js';
import { NotificationCode } from '../notifications/notifications.service.js';
import { chatMessage } from './message-shape.js';

export interface NewMessage {
  channelId: string;
  code: number;
  senderId: string;
  username: string;
  content: Record<string, unknown>;
  clientMessageId?: string | null;
  /** Users to mention (distinct): kept when the channel is in their inbox and they are not the sender; notified unless they block the sender. */
  mentions?: readonly string[];
  /** A message of the same channel, checked to be a chat message: its replyCount goes up with this row. */
  replyTo?: string | null;
}

/** What one statement stored: each item's message (null when skipped) and the MENTION notifications it wrote. */
export interface StoredBatch {
  messages: (ChatMessage | null)[];
  mentions: NotificationView[];
  /** Messages the batch replied to, with their new replyCount. */
  threads: { messageId: string; replyCount: number }[];
}

const CHAT = MessageCode.CHAT;

// One statement, so one round trip and its own transaction: the UPDATE takes
// the channel's row lock and reserves `n` sequence numbers and the batch's
// chat ordinals (unread counts are differences of ordinals), the INSERT stores
// the rows in the batch's order, and each sender's read mark moves to their
// newest message. Writers in other processes queue on that row lock, so
// per-channel commit order is sequence order. A channel that does not exist
// yields no row and inserts nothing. A row whose client message id the sender
// already used in this channel (a retry racing with the first send on
// another process) is skipped, leaving its sequence number unused and its
// chat ordinal uncounted; the caller acknowledges the stored one instead.
// Mentions ($8..$10: message id, user, notification id; ids made here so the
// statement needs no id function) are kept for users with the channel in
// their inbox, and listed on the message; each kept one of a stored row who
// does not block the sender gets a Mention row (for mentionCount) and a
// MENTION notification. Users who block the sender stay on the list, so the
// list reveals no block. They come as arrays, not inside the JSON, so the
// planner sees how many there are; with a guess of 100 per row it plans joins
// that hash every inbox entry of the channel. The two checks are scalar
// subqueries for the same reason: one primary-key lookup per mention.
// A reply raises its parent's replyCount in the same statement, so the count
// is the replies stored (removeMessage lowers it with the row it deletes).
// Batches without mentions or replies, nearly all of them, run the statement
// without those parts: planning them on every send doubled PostgreSQL's CPU
// per stored send.
const batchStatement = (extras: boolean) => `
WITH c AS (
  UPDATE "Channel" SET
    "lastSeq" = "lastSeq" + $2,
    "chatCount" = "chatCount" + $5,
    "lastChatSeq" = CASE WHEN $5 > 0 THEN "lastSeq" + $6 ELSE "lastChatSeq" END,
    "lastChatTime" = CASE WHEN $5 > 0 THEN $3::timestamp(3) ELSE "lastChatTime" END,
    "lastChatSenderId" = CASE WHEN $5 > 0 THEN $7 ELSE "lastChatSenderId" END
  WHERE id = $1
  RETURNING "lastSeq" - $2 AS base, "chatCount" - $5 AS chat_base
), batch AS (
  SELECT m.v, c.base + m.n AS seq, c.chat_base + (m.v->>'cs')::bigint AS chat_seq
  FROM c, jsonb_array_elements($4::jsonb) WITH ORDINALITY AS m(v, n)
)${
  extras
    ? `, kept AS (
  SELECT u.id, b.chat_seq, b.v->>'username' AS username, u."userId", u.nid, u.k,
    (SELECT true FROM "Block" bl WHERE bl."blockerId" = u."userId" AND bl."blockedId" = b.v->>'senderId') IS NOT NULL AS blocks
  FROM unnest($8::text[], $9::text[], $10::text[]) WITH ORDINALITY AS u(id, "userId", nid, k) JOIN batch b ON b.v->>'id' = u.id
  WHERE u."userId" <> b.v->>'senderId'
    AND (SELECT true FROM "InboxEntry" e WHERE e."userId" = u."userId" AND e."channelId" = $1) IS NOT NULL
), ins AS (
  INSERT INTO "Message" (id, "channelId", seq, code, "senderId", username, content, "clientMessageId", "createTime", "updateTime", "chatSeq", mentions, "replyTo")
  SELECT v->>'id', $1, seq, (v->>'code')::int, v->>'senderId', v->>'username', v->'content', v->>'clientMessageId', $3::timestamp(3), $3::timestamp(3), chat_seq,
    coalesce(km.users, '{}'), v->>'replyTo'
  FROM batch LEFT JOIN (SELECT id, array_agg("userId" ORDER BY k) AS users FROM kept GROUP BY id) km ON km.id = batch.v->>'id'`
    : `, ins AS (
  INSERT INTO "Message" (id, "channelId", seq, code, "senderId", username, content, "clientMessageId", "createTime", "updateTime", "chatSeq")
  SELECT v->>'id', $1, seq, (v->>'code')::int, v->>'senderId', v->>'username', v->'content', v->>'clientMessageId', $3::timestamp(3), $3::timestamp(3), chat_seq
  FROM batch`
}
  ON CONFLICT ("channelId", "senderId", "clientMessageId") DO NOTHING
  RETURNING id, "senderId", seq, "chatSeq", code${extras ? `, "replyTo"` : ''}
), uncounted AS (
  INSERT INTO "UncountedChat" ("channelId", "chatSeq")
  SELECT $1, chat_seq FROM batch WHERE (v->>'code')::int = ${CHAT} AND NOT EXISTS (SELECT 1 FROM ins WHERE ins.id = batch.v->>'id')
), marks AS (
  UPDATE "InboxEntry" e SET "readSeq" = s.seq, "readChat" = s."chatSeq", "lastReadMessageId" = s.id, "readTime" = $3::timestamp(3)
  FROM (SELECT DISTINCT ON ("senderId") "senderId", id, seq, "chatSeq" FROM ins WHERE code = ${CHAT} ORDER BY "senderId", seq DESC) s
  WHERE e."userId" = s."senderId" AND e."channelId" = $1 AND e."readSeq" < s.seq
)${
  extras
    ? `, mentioned AS (
  INSERT INTO "Mention" ("userId", "channelId", "chatSeq", "messageId", "senderId")
  SELECT k."userId", $1, k.chat_seq, k.id, ins."senderId" FROM kept k JOIN ins ON ins.id = k.id WHERE NOT k.blocks
), noted AS (
  INSERT INTO "Notification" (id, "userId", code, subject, content, "senderId", read, "createTime")
  SELECT k.nid, k."userId", ${NotificationCode.MENTION}, k.username || ' mentioned you', jsonb_build_object('channelId', $1::text, 'messageId', k.id),
    ins."senderId", false, $3::timestamp(3)
  FROM kept k JOIN ins ON ins.id = k.id WHERE NOT k.blocks
  RETURNING id
), parents AS (
  UPDATE "Message" p SET "replyCount" = p."replyCount" + r.n
  FROM (SELECT "replyTo", count(*) AS n FROM ins WHERE "replyTo" IS NOT NULL GROUP BY "replyTo") r
  WHERE p.id = r."replyTo" AND p."channelId" = $1
  RETURNING p.id, p."replyCount"
)
SELECT base::text AS base, (SELECT coalesce(array_agg(id), '{}') FROM ins) AS inserted,
  (SELECT coalesce(array_agg(nid), '{}') FROM kept) AS listed, (SELECT coalesce(array_agg(id), '{}') FROM noted) AS noted,
  (SELECT coalesce(array_agg(id || ':' || "replyCount"), '{}') FROM parents) AS threads FROM c`
    : `
SELECT base::text AS base, (SELECT coalesce(array_agg(id), '{}') FROM ins) AS inserted,
  '{}'::text[] AS listed, '{}'::text[] AS noted, '{}'::text[] AS threads FROM c`
}`;
const PLAIN_BATCH = batchStatement(false);
const FULL_BATCH = batchStatement(true);

const NO_MENTIONS: readonly [string, string][] = [];

/**
 * Appends messages to one channel's history in one statement, with
 * consecutive sequence numbers in the order given. A message is null where
 * its row was skipped because its client message id was taken.
 */
export async function insertMessages(db: Pick<Database, 'query'>, ref: ChannelRef, items: NewMessage[]): Promise<StoredBatch> {
  const channelId = ref.id;
  const now = new Date();
  // cs: chat messages in the batch up to this row; the row's chatSeq is the channel's count before the batch plus cs.
  let chats = 0;
  let lastChat = 0;
  let lastChatSender: string | null = null;
  const rows = items.map((m, i) => {
    if (m.code === CHAT) {
      chats++;
      lastChat = i + 1;
      lastChatSender = m.senderId;
    }
    return {
      id: uuidv7(),
      code: m.code,
      senderId: m.senderId,
      username: m.username,
      content: m.content,
      clientMessageId: m.clientMessageId ?? null,
      cs: chats,
      replyTo: m.replyTo ?? undefined,
    };
  });
  const named = items.map((m) => (m.mentions?.length ? m.mentions.map((userId): [string, string] => [userId, uuidv7()]) : NO_MENTIONS));
  const mentioning = rows.flatMap((r, i) => named[i]!.map(() => r.id));
  // Timestamps are stored as UTC wall-clock time, as Prisma stores them.
  const utc = now.toISOString().slice(0, 23);
  const params: unknown[] = [channelId, items.length, utc, JSON.stringify(rows), chats, lastChat, lastChatSender];
  const extras = mentioning.length > 0 || rows.some((r) => r.replyTo !== undefined);
  if (extras)
    params.push(
      mentioning,
      named.flat().map(([userId]) => userId),
      named.flat().map(([, nid]) => nid),
    );
  const result = await db.query<{ base: string; inserted: string[]; listed: string[]; noted: string[]; threads: string[] }>(
    extras ? FULL_BATCH : PLAIN_BATCH,
    params,
  );
  if (!result[0]) throw new Error(`channel ${channelId} has no row to store messages in`);
  const base = BigInt(result[0].base);
  const inserted = new Set(result[0].inserted);
  const listed = new Set(result[0].listed);
  const noted = new Set(result[0].noted);
  const mentions: NotificationView[] = [];
  const messages = rows.map((r, i) => {
    if (!inserted.has(r.id)) return null;
    const kept = named[i]!.filter(([, nid]) => listed.has(nid));
    for (const [userId, nid] of kept) {
      if (!noted.has(nid)) continue;
      mentions.push({
        id: nid,
        userId,
        code: NotificationCode.MENTION,
        subject: `${r.username} mentioned you`,
        content: { channelId, messageId: r.id },
        senderId: r.senderId,
        createTime: now,
        read: false,
      });
    }
    return chatMessage(ref, {
      id: r.id,
      seq: (base + BigInt(i) + 1n).toString(),
      code: r.code,
      senderId: r.senderId,
      username: r.username,
      content: r.content,
      createTime: now,
      updateTime: now,
      clientMessageId: r.clientMessageId,
      mentions: kept.map(([userId]) => userId),
      replyTo: r.replyTo ?? null,
      replyCount: 0,
    });
  });
  const threads = result[0].threads.map((t) => {
    const colon = t.lastIndexOf(':');
    return { messageId: t.slice(0, colon), replyCount: Number(t.slice(colon + 1)) };
  });
  return { messages, mentions, threads };
}
