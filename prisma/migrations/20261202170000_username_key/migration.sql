-- Usernames are unique regardless of case. Existing names that differ only in
-- case keep working; the oldest keeps the plain key, the others get one that
-- no typed name can match ('#' is not allowed in usernames).
ALTER TABLE "User" ADD COLUMN "usernameKey" TEXT;

UPDATE "User" u SET "usernameKey" = CASE
  WHEN EXISTS (
    SELECT 1 FROM "User" o
    WHERE lower(o.username) = lower(u.username) AND (o."createTime", o.id) < (u."createTime", u.id)
  ) THEN lower(u.username) || '#' || u.id
  ELSE lower(u.username)
END;

ALTER TABLE "User" ALTER COLUMN "usernameKey" SET NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "User_usernameKey_key" ON "User"("usernameKey");
