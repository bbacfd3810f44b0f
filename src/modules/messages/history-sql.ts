import type { Database } from '../../db/index.js';
import type { ChatMessage } from '../../domain/types.js';
import type { ChannelRef } from '../../domain/channel-ref.js';
import { chatMessage } from './message-shape.js';

/** A stored message as the statements below read it (COLUMNS). */
export interface MessageRow {
  id: string;
  seq: string;
  code: number;
  senderId: string;
  username: string;
  content: Record<string, unknown>;
  createMs: number;
  updateMs: number;
  clientMessageId: string | null;
  mentions: string[];
  replyTo: string | null;
  replyCount: number;
}

// Timestamps are stored as UTC wall-clock time (as Prisma writes them) and
// read as epoch milliseconds, which the driver need not parse as date
// strings. seq as text: the drivers disagree on BIGINT (so ORDER BY names the
// table's column, not that text alias). The (channelId, seq) unique index
// serves every variant.
export const COLUMNS = `id, seq::text AS seq, code, "senderId", username, content, "clientMessageId", mentions, "replyTo", "replyCount",
  extract(epoch FROM "createTime")::float8 * 1000 AS "createMs", extract(epoch FROM "updateTime")::float8 * 1000 AS "updateMs"`;
const NEWER = `SELECT ${COLUMNS} FROM "Message" WHERE "channelId" = $1 AND seq > $2 ORDER BY "Message".seq ASC LIMIT $3`;
const OLDER = `SELECT ${COLUMNS} FROM "Message" WHERE "channelId" = $1 AND seq < $2 ORDER BY "Message".seq DESC LIMIT $3`;
const BETWEEN = `SELECT ${COLUMNS} FROM "Message" WHERE "channelId" = $1 AND seq > $2 AND seq < $3 ORDER BY "Message".seq ASC LIMIT $4`;
const BY_CLIENT_ID = `SELECT ${COLUMNS} FROM "Message"
  WHERE "channelId" = $1 AND ("senderId", "clientMessageId") IN (SELECT * FROM unnest($2::text[], $3::text[]))`;
const HEAD = `SELECT "lastSeq"::text AS seq FROM "Channel" WHERE id = $1`;
// The ("replyTo", seq) index serves it; the channel is checked too, so a message id of another channel finds nothing.
const REPLIES = `SELECT ${COLUMNS} FROM "Message" WHERE "replyTo" = $2 AND "channelId" = $1 AND seq > $3 ORDER BY "Message".seq ASC LIMIT $4`;

/** The largest sequence PostgreSQL's BIGINT holds: "older than the newest" needs no second query shape. */
const END = (2n ** 63n - 1n).toString();

export interface Range {
  /** Exclusive bounds; null is open. */
  after: bigint | null;
  before: bigint | null;
  /** Oldest first when true, newest first otherwise. */
  forward: boolean;
  limit: number;
}

/** One keyset read of a channel's stored messages, straight through the driver. */
export async function readMessages(db: Pick<Database, 'query'>, ref: ChannelRef, r: Range): Promise<ChatMessage[]> {
  const channelId = ref.id;
  const after = (r.after ?? -1n).toString();
  const rows = !r.forward
    ? await db.query<MessageRow>(OLDER, [channelId, r.before?.toString() ?? END, r.limit])
    : r.before === null
      ? await db.query<MessageRow>(NEWER, [channelId, after, r.limit])
      : await db.query<MessageRow>(BETWEEN, [channelId, after, r.before.toString(), r.limit]);
  return toMessages(rows, ref);
}

/** The stored messages these senders sent with these client message ids, by `${senderId}\n${clientMessageId}`. */
export async function readByClientIds(
  db: Pick<Database, 'query'>,
  ref: ChannelRef,
  sent: { senderId: string; clientMessageId: string }[],
): Promise<Map<string, ChatMessage>> {
  const rows = await db.query<MessageRow>(BY_CLIENT_ID, [ref.id, sent.map((s) => s.senderId), sent.map((s) => s.clientMessageId)]);
  return new Map(toMessages(rows, ref).map((m) => [`${m.senderId}\n${m.clientMessageId}`, m]));
}

const toMessages = (rows: MessageRow[], ref: ChannelRef): ChatMessage[] => rows.map((r) => messageOf(r, ref));

/** A row read with COLUMNS, of the channel `ref`. */
export function messageOf(r: MessageRow, ref: ChannelRef): ChatMessage {
  return chatMessage(ref, {
    id: r.id,
    seq: r.seq,
    code: r.code,
    senderId: r.senderId,
    username: r.username,
    content: r.content,
    createTime: new Date(r.createMs),
    updateTime: new Date(r.updateMs),
    clientMessageId: r.clientMessageId,
    mentions: r.mentions,
    replyTo: r.replyTo,
    replyCount: r.replyCount,
  });
}

/** Replies to `messageId` after sequence `after`, oldest first. */
export async function readReplies(
  db: Pick<Database, 'query'>,
  ref: ChannelRef,
  messageId: string,
  after: bigint,
  limit: number,
): Promise<ChatMessage[]> {
  return toMessages(await db.query<MessageRow>(REPLIES, [ref.id, messageId, after.toString(), limit]), ref);
}

/** The sequence of a channel's newest stored message (0 when none or no channel). */
export async function readHead(db: Pick<Database, 'query'>, channelId: string): Promise<bigint> {
  const rows = await db.query<{ seq: string }>(HEAD, [channelId]);
  return rows[0] ? BigInt(rows[0].seq) : 0n;
}
