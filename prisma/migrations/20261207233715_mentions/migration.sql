-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "mentions" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "Mention" (
    "userId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "chatSeq" BIGINT NOT NULL,
    "messageId" TEXT NOT NULL,
    "senderId" TEXT NOT NULL,

    CONSTRAINT "Mention_pkey" PRIMARY KEY ("userId","channelId","chatSeq")
);

-- CreateIndex
CREATE INDEX "Mention_messageId_idx" ON "Mention"("messageId");

-- AddForeignKey
ALTER TABLE "Mention" ADD CONSTRAINT "Mention_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message"("id") ON DELETE CASCADE ON UPDATE CASCADE;
