import { describe, it, expect } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import { migrationDrift, readMigrations } from '../../scripts/migration-diff-lib.js';

describe('prisma/migrations', () => {
  it('produce exactly prisma/schema.prisma', { timeout: 60_000 }, async () => {
    const drift = await migrationDrift();
    expect(
      drift,
      'prisma/schema.prisma has changes no migration covers: run `npm run db:diff -- <name>` and commit the new migration',
    ).toBe('');
  });

  it('keep existing users whose names differ only in case when usernames become case-insensitive', async () => {
    const db = new PGlite();
    const all = readMigrations();
    const at = all.findIndex((m) => m.name.endsWith('_username_key'));
    for (const m of all.slice(0, at)) await db.exec(m.sql);
    await db.exec(`INSERT INTO "User" (id, "deviceId", username, "createTime") VALUES
      ('u1', 'd1', 'Ada', '2026-01-01'), ('u2', 'd2', 'ada', '2026-01-02'), ('u3', 'd3', 'bob', '2026-01-03')`);
    for (const m of all.slice(at)) await db.exec(m.sql);
    const rows = (
      await db.query<{ id: string; username: string; usernameKey: string }>(`SELECT id, username, "usernameKey" FROM "User" ORDER BY id`)
    ).rows;
    expect(rows).toEqual([
      { id: 'u1', username: 'Ada', usernameKey: 'ada' },
      { id: 'u2', username: 'ada', usernameKey: 'ada#u2' },
      { id: 'u3', username: 'bob', usernameKey: 'bob' },
    ]);
    await expect(db.exec(`INSERT INTO "User" (id, "deviceId", username, "usernameKey") VALUES ('u4', 'd4', 'ADA', 'ada')`)).rejects.toThrow(
      /unique/i,
    );
    await db.close();
  });

  it('give existing conversations their chat ordinals and inboxes, all read, and keep group inboxes in step with membership', async () => {
    const db = new PGlite();
    const all = readMigrations();
    const at = all.findIndex((m) => m.name.endsWith('_inbox'));
    for (const m of all.slice(0, at)) await db.exec(m.sql);
    await db.exec(`INSERT INTO "User" (id, "deviceId", username, "usernameKey") VALUES ('a', 'da', 'ada', 'ada'), ('b', 'db', 'bob', 'bob'), ('c', 'dc', 'cy', 'cy');
      INSERT INTO "Group" (id, name, "creatorId") VALUES ('g', 'the group', 'a');
      INSERT INTO "GroupMember" ("groupId", "userId", role) VALUES ('g', 'a', 'SUPERADMIN'), ('g', 'b', 'JOIN_REQUEST');
      INSERT INTO "Channel" (id, type, "groupId", "lastSeq") VALUES ('group:g', 'GROUP', 'g', 3);
      INSERT INTO "Channel" (id, type, "userIdOne", "userIdTwo", "lastSeq") VALUES ('direct:a:b', 'DIRECT', 'a', 'b', 2);
      INSERT INTO "Message" (id, "channelId", seq, code, "senderId", username, content) VALUES
        ('m1', 'group:g', 1, 0, 'a', 'ada', '{}'), ('m2', 'group:g', 2, 3, 'a', 'ada', '{}'), ('m3', 'group:g', 3, 0, 'a', 'ada', '{}'),
        ('d1', 'direct:a:b', 1, 0, 'b', 'bob', '{}'), ('d2', 'direct:a:b', 2, 0, 'a', 'ada', '{}');`);
    for (const m of all.slice(at)) await db.exec(m.sql);
    const rows = async <T>(sql: string) => (await db.query<T>(sql)).rows;
    expect(await rows(`SELECT id, "chatSeq"::int AS n FROM "Message" ORDER BY id`)).toEqual([
      { id: 'd1', n: 1 },
      { id: 'd2', n: 2 },
      { id: 'm1', n: 1 },
      { id: 'm2', n: 1 },
      { id: 'm3', n: 2 },
    ]);
    expect(await rows(`SELECT id, "chatCount"::int AS n, "lastChatSeq"::int AS last FROM "Channel" ORDER BY id`)).toEqual([
      { id: 'direct:a:b', n: 2, last: 2 },
      { id: 'group:g', n: 2, last: 3 },
    ]);
    const entries = () =>
      rows(`SELECT "userId", "channelId", "readSeq"::int AS seq, "readChat"::int AS chat FROM "InboxEntry" ORDER BY 1, 2`);
    // The join request is not a member; every conversation starts read.
    expect(await entries()).toEqual([
      { userId: 'a', channelId: 'direct:a:b', seq: 2, chat: 2 },
      { userId: 'a', channelId: 'group:g', seq: 3, chat: 2 },
      { userId: 'b', channelId: 'direct:a:b', seq: 2, chat: 2 },
    ]);
    // Membership after the migration: accepted, added, kicked.
    await db.exec(
      `UPDATE "GroupMember" SET role = 'MEMBER' WHERE "userId" = 'b'; INSERT INTO "GroupMember" ("groupId", "userId", role) VALUES ('g', 'c', 'MEMBER');`,
    );
    expect((await entries()).filter((e: any) => e.channelId === 'group:g').map((e: any) => e.userId)).toEqual(['a', 'b', 'c']);
    await db.exec(`UPDATE "GroupMember" SET role = 'BANNED' WHERE "userId" = 'b'; DELETE FROM "GroupMember" WHERE "userId" = 'c';`);
    expect((await entries()).filter((e: any) => e.channelId === 'group:g').map((e: any) => e.userId)).toEqual(['a']);
    await db.close();
  });
});
