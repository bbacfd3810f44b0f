import { describe, it, expect } from 'vitest';
import { migrationDrift } from '../scripts/migration-diff-lib.js';

describe('prisma/migrations', () => {
  it('produce exactly prisma/schema.prisma', { timeout: 60_000 }, async () => {
    const drift = await migrationDrift();
    expect(
      drift,
      'prisma/schema.prisma has changes no migration covers: run `npm run db:diff -- <name>` and commit the new migration',
    ).toBe('');
  });
});
