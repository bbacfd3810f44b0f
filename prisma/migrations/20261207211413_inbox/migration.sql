-- AlterTable
ALTER TABLE "Channel" ADD COLUMN     "chatCount" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "lastChatSenderId" TEXT,
ADD COLUMN     "lastChatSeq" BIGINT,
ADD COLUMN     "lastChatTime" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "chatSeq" BIGINT NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "InboxEntry" (
    "userId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "readSeq" BIGINT NOT NULL DEFAULT 0,
    "readChat" BIGINT NOT NULL DEFAULT 0,
    "lastReadMessageId" TEXT,
    "readTime" TIMESTAMP(3),
    "addTime" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "hiddenSeq" BIGINT,

    CONSTRAINT "InboxEntry_pkey" PRIMARY KEY ("userId","channelId")
);

-- CreateTable
CREATE TABLE "UncountedChat" (
    "channelId" TEXT NOT NULL,
    "chatSeq" BIGINT NOT NULL,

    CONSTRAINT "UncountedChat_pkey" PRIMARY KEY ("channelId","chatSeq")
);

-- CreateIndex
CREATE INDEX "InboxEntry_channelId_idx" ON "InboxEntry"("channelId");

-- CreateIndex
CREATE INDEX "Message_channelId_senderId_seq_idx" ON "Message"("channelId", "senderId", "seq");

-- Chat ordinals for the messages already stored (codes 0: chat), and each channel's newest chat message.
UPDATE "Message" m SET "chatSeq" = o.n
FROM (
  SELECT id, count(*) FILTER (WHERE code = 0) OVER (PARTITION BY "channelId" ORDER BY seq) AS n FROM "Message"
) o
WHERE m.id = o.id;

UPDATE "Channel" c SET "chatCount" = l."chatSeq", "lastChatSeq" = l.seq, "lastChatTime" = l."createTime", "lastChatSenderId" = l."senderId"
FROM (
  SELECT DISTINCT ON ("channelId") "channelId", seq, "chatSeq", "createTime", "senderId" FROM "Message" WHERE code = 0 ORDER BY "channelId", seq DESC
) l
WHERE c.id = l."channelId";

-- Inboxes as they stand: every group member's group channel and both users' direct chats, all read.
INSERT INTO "InboxEntry" ("userId", "channelId", "readSeq", "readChat", "addTime")
SELECT gm."userId", c.id, c."lastSeq", c."chatCount", coalesce(c."lastChatTime", c."createTime")
FROM "GroupMember" gm JOIN "Channel" c ON c.id = 'group:' || gm."groupId"
WHERE gm.role IN ('SUPERADMIN', 'ADMIN', 'MEMBER');

INSERT INTO "InboxEntry" ("userId", "channelId", "readSeq", "readChat", "addTime")
SELECT u."userId", c.id, c."lastSeq", c."chatCount", coalesce(c."lastChatTime", c."createTime")
FROM "Channel" c CROSS JOIN LATERAL (VALUES (c."userIdOne"), (c."userIdTwo")) AS u("userId")
WHERE c.type = 'DIRECT' AND u."userId" IS NOT NULL
ON CONFLICT DO NOTHING;

-- A group's channel is in the inbox of each of its members (MEMBER and above), from the moment they
-- become one, with nothing unread; it leaves when they stop being one (leave, kick, ban, group deleted).
-- A trigger, so that every path that changes membership keeps the inbox in the same transaction.
CREATE FUNCTION "parley_group_inbox"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.role IN ('SUPERADMIN', 'ADMIN', 'MEMBER')
     AND (TG_OP = 'DELETE' OR NEW.role NOT IN ('SUPERADMIN', 'ADMIN', 'MEMBER')) THEN
    DELETE FROM "InboxEntry" WHERE "userId" = OLD."userId" AND "channelId" = 'group:' || OLD."groupId";
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.role IN ('SUPERADMIN', 'ADMIN', 'MEMBER')
     AND (TG_OP = 'INSERT' OR OLD.role NOT IN ('SUPERADMIN', 'ADMIN', 'MEMBER')) THEN
    INSERT INTO "InboxEntry" ("userId", "channelId", "readSeq", "readChat", "addTime")
    SELECT NEW."userId", 'group:' || NEW."groupId", coalesce(c."lastSeq", 0), coalesce(c."chatCount", 0), now() AT TIME ZONE 'UTC'
    FROM (SELECT 1) AS one LEFT JOIN "Channel" c ON c.id = 'group:' || NEW."groupId"
    ON CONFLICT ("userId", "channelId") DO NOTHING;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "GroupMember_inbox" AFTER INSERT OR DELETE OR UPDATE OF role ON "GroupMember"
FOR EACH ROW EXECUTE FUNCTION "parley_group_inbox"();
