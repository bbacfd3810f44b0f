-- A client's own id for a message, so that a retried send is stored once.
ALTER TABLE "Message" ADD COLUMN "clientMessageId" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Message_channelId_senderId_clientMessageId_key" ON "Message"("channelId", "senderId", "clientMessageId");
