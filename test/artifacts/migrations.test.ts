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
});
