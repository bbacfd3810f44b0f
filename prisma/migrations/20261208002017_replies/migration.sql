-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "replyCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "replyTo" TEXT;

-- CreateIndex
CREATE INDEX "Message_replyTo_seq_idx" ON "Message"("replyTo", "seq");
