-- Users the host app vouches for (authenticateToken) have no device.
ALTER TABLE "User" ALTER COLUMN "deviceId" DROP NOT NULL;

ALTER TABLE "User" ADD COLUMN "externalId" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "User_externalId_key" ON "User"("externalId");
