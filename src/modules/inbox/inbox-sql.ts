import { MessageCode } from '../../domain/types.js';

const CHAT = MessageCode.CHAT;

// The viewer's blocked users, for every query below ($1 is the viewer's user id).
const BLOCKED = `b AS (SELECT coalesce(array_agg("blockedId"), '{}'::text[]) AS ids FROM "Block" WHERE "blockerId" = $1)`;

// An entry with its channel: its activity (the newest chat message's time, or
// when the entry was added if later) and whether it shows. For a user who
// blocked someone, a blocked user's messages neither count as activity nor
// bring a hidden entry back; only then are messages looked up.
const ENTRIES = `entries AS (
  SELECT e.*, c.type, c."roomName", c."groupId", c."userIdOne", c."userIdTwo", c."chatCount", c."lastChatSeq", c."lastSeq" AS "channelSeq",
    b.ids AS blocked,
    greatest(e."addTime",
      CASE WHEN c."lastChatSenderId" = ANY(b.ids)
        THEN (SELECT m."createTime" FROM "Message" m
              WHERE m."channelId" = c.id AND m.code = ${CHAT} AND m."senderId" <> ALL(b.ids) ORDER BY m.seq DESC LIMIT 1)
        ELSE c."lastChatTime" END) AS activity,
    (e."hiddenSeq" IS NOT NULL AND NOT coalesce(
      CASE WHEN cardinality(b.ids) = 0 THEN c."lastChatSeq" > e."hiddenSeq"
        ELSE EXISTS (SELECT 1 FROM "Message" m
                     WHERE m."channelId" = c.id AND m.seq > e."hiddenSeq" AND m.code = ${CHAT} AND m."senderId" <> ALL(b.ids)) END,
      false)) AS hidden
  FROM "InboxEntry" e JOIN "Channel" c ON c.id = e."channelId", b
  WHERE e."userId" = $1
)`;

// Chat messages past the mark, less those removed since (UncountedChat) and,
// for a user who blocked someone, those of blocked users still present: two
// ordinals and index lookups that grow with removals and blocked users'
// messages, never with the number of unread messages.
const UNREAD = `greatest(0, p."chatCount" - p."readChat"
  - (SELECT count(*) FROM "UncountedChat" u WHERE u."channelId" = p."channelId" AND u."chatSeq" > p."readChat")
  - CASE WHEN cardinality(p.blocked) = 0 THEN 0 ELSE (SELECT count(*) FROM "Message" m
      WHERE m."channelId" = p."channelId" AND m."senderId" = ANY(p.blocked) AND m.seq > p."readSeq" AND m.code = ${CHAT}) END)`;

// Unread mentions of the viewer: rows of one index range that markRead trims
// and a removed message takes along, so they grow with unread mentions only.
const MENTIONS = `(SELECT count(*) FROM "Mention" x WHERE x."userId" = $1 AND x."channelId" = p."channelId"
  AND x."chatSeq" > p."readChat" AND x."senderId" <> ALL(p.blocked))`;

// What an inbox entry shows: title, counts, mark and the last chat message still present (not a blocked user's).
// The last message is looked up by the channel's lastChatSeq (one row by its unique index); only when
// that one was removed or is a blocked user's does the second branch run (Append stops at the first row).
const SHOWN = `SELECT p."channelId", p.type, p."roomName", p."groupId", p."userIdOne", p."userIdTwo", p.hidden, p."channelSeq"::text AS "channelSeq",
  extract(epoch FROM p.activity)::float8 * 1000 AS "activityMs",
  ${UNREAD}::int AS "unreadCount", ${MENTIONS}::int AS "mentionCount",
  p."lastReadMessageId", extract(epoch FROM p."readTime")::float8 * 1000 AS "readMs",
  coalesce(p."roomName", g.name, u.username, '') AS title,
  lm.id AS "lmId", lm.seq::text AS "lmSeq", lm."senderId" AS "lmSenderId", lm.username AS "lmUsername", lm.content AS "lmContent",
  lm."clientMessageId" AS "lmClientMessageId", lm.mentions AS "lmMentions",
  lm."replyTo" AS "lmReplyTo", lm."replyCount" AS "lmReplyCount",
  extract(epoch FROM lm."createTime")::float8 * 1000 AS "lmCreateMs", extract(epoch FROM lm."updateTime")::float8 * 1000 AS "lmUpdateMs"
FROM page p
LEFT JOIN "Group" g ON g.id = p."groupId"
LEFT JOIN "User" u ON p.type = 'DIRECT' AND u.id = CASE WHEN p."userIdOne" = $1 THEN p."userIdTwo" ELSE p."userIdOne" END
LEFT JOIN LATERAL (SELECT * FROM (
  (SELECT m.* FROM "Message" m WHERE m."channelId" = p."channelId" AND m.seq = p."lastChatSeq" AND m."senderId" <> ALL(p.blocked))
  UNION ALL
  (SELECT m.* FROM "Message" m
   WHERE m."channelId" = p."channelId" AND m.code = ${CHAT} AND m."senderId" <> ALL(p.blocked) ORDER BY m.seq DESC LIMIT 1)
) AS newest LIMIT 1) lm ON true`;

/** $1 user, $2 page size, $3/$4 the cursor's activity (epoch ms) and channel id, or nulls for the first page. */
export const INBOX_PAGE = `WITH ${BLOCKED}, ${ENTRIES},
page AS (SELECT * FROM entries WHERE NOT hidden
  AND ($3::float8 IS NULL OR (activity, "channelId") < (to_timestamp($3::float8 / 1000) AT TIME ZONE 'UTC', $4::text))
  ORDER BY activity DESC, "channelId" DESC LIMIT $2)
${SHOWN}
ORDER BY p.activity DESC, p."channelId" DESC`;

/** $1 user, $2 channel id: one entry, hidden or not. */
export const ONE_ENTRY = `WITH ${BLOCKED}, ${ENTRIES}, page AS (SELECT * FROM entries WHERE "channelId" = $2)
${SHOWN}`;

/** $1 user: totals over the entries that show. */
export const UNREAD_COUNTS = `WITH ${BLOCKED}, ${ENTRIES}, page AS (SELECT * FROM entries WHERE NOT hidden),
counts AS (SELECT ${UNREAD} AS n, ${MENTIONS} AS m FROM page p)
SELECT coalesce(sum(n), 0)::int AS "unreadCount", coalesce(sum(m), 0)::int AS "mentionCount", (count(*) FILTER (WHERE n > 0))::int AS "unreadChannels" FROM counts`;

// After a mark moved ($1 user, $2 channel): the mentions it passed are read.
const TRIM_MENTIONS = `DELETE FROM "Mention" x USING moved
WHERE x."userId" = $1 AND x."channelId" = $2 AND x."chatSeq" <= moved."readChat"`;

/** $1 user, $2 channel, $3 message id, $4 now (UTC wall clock): moves the mark forward to that message. */
export const MARK_AT = `WITH moved AS (UPDATE "InboxEntry" e
SET "readSeq" = m.seq, "readChat" = m."chatSeq", "lastReadMessageId" = m.id, "readTime" = $4::timestamp(3)
FROM "Message" m
WHERE e."userId" = $1 AND e."channelId" = $2 AND m.id = $3 AND m."channelId" = $2 AND e."readSeq" < m.seq
RETURNING e."readChat")
${TRIM_MENTIONS}`;

/** $1 user, $2 channel, $3 now: moves the mark forward to the channel's newest message. */
export const MARK_ALL = `WITH moved AS (UPDATE "InboxEntry" e
SET "readSeq" = c."lastSeq", "readChat" = c."chatCount", "readTime" = $3::timestamp(3),
  "lastReadMessageId" = coalesce((SELECT m.id FROM "Message" m WHERE m."channelId" = c.id ORDER BY m.seq DESC LIMIT 1), e."lastReadMessageId")
FROM "Channel" c
WHERE e."userId" = $1 AND e."channelId" = $2 AND c.id = $2 AND e."readSeq" < c."lastSeq"
RETURNING e."readChat")
${TRIM_MENTIONS}`;

/** $1 user, $2 channel: hidden until a chat message newer than the channel's newest now. */
export const HIDE = `UPDATE "InboxEntry" e SET "hiddenSeq" = c."lastSeq" FROM "Channel" c
WHERE e."userId" = $1 AND e."channelId" = $2 AND c.id = $2 RETURNING e."userId"`;

/**
 * $1 users, $2 channel, $3 now: adds the channel to each
 * user's inbox with nothing unread. An entry that exists keeps its mark; the first user's (the one
 * joining) shows again if it was hidden.
 */
export const ADD = `INSERT INTO "InboxEntry" ("userId", "channelId", "readSeq", "readChat", "addTime")
SELECT u, c.id, c."lastSeq", c."chatCount", $3::timestamp(3) FROM unnest($1::text[]) AS u, "Channel" c WHERE c.id = $2
ON CONFLICT ("userId", "channelId") DO UPDATE SET "hiddenSeq" = NULL, "addTime" = excluded."addTime"
WHERE "InboxEntry"."hiddenSeq" IS NOT NULL AND "InboxEntry"."userId" = ($1::text[])[1]
RETURNING "userId"`;

/** $1 user: every channel of the inbox, hidden or not, with what a removed entry still shows. */
export const FOLLOWED = `SELECT e."channelId", e."channelId" AS id, c.type, c."roomName", c."groupId", c."userIdOne", c."userIdTwo",
  coalesce(c."roomName", g.name, u.username, '') AS title
FROM "InboxEntry" e JOIN "Channel" c ON c.id = e."channelId"
LEFT JOIN "Group" g ON g.id = c."groupId"
LEFT JOIN "User" u ON c.type = 'DIRECT' AND u.id = CASE WHEN c."userIdOne" = $1 THEN c."userIdTwo" ELSE c."userIdOne" END
WHERE e."userId" = $1`;
