// npm run db:diff -- <name>     write prisma/migrations/<UTC stamp>_<name>/migration.sql
//                               with the SQL that brings the migrations up to prisma/schema.prisma
// npm run db:diff -- --check    exit 1 and print that SQL if it is not empty, else exit 0
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { MIGRATIONS_DIR, migrationDrift, readMigrations } from './migration-diff-lib.js';

const args = process.argv.slice(2);
const check = args.includes('--check');
const rawName = args.find((a) => !a.startsWith('--'));

if (!check && !rawName) {
  console.error('usage: npm run db:diff -- <name>   |   npm run db:diff -- --check');
  process.exit(2);
}

const sql = await migrationDrift();

if (check) {
  if (sql) {
    process.stdout.write(sql);
    console.error('\nprisma/migrations does not match prisma/schema.prisma; run `npm run db:diff -- <name>`.');
    process.exitCode = 1;
  } else {
    console.log('prisma/migrations matches prisma/schema.prisma.');
  }
} else if (!sql) {
  console.log('No changes: prisma/migrations already matches prisma/schema.prisma.');
} else {
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14); // UTC YYYYMMDDHHMMSS
  const folder = `${stamp}_${rawName!.replace(/[^A-Za-z0-9_]+/g, '_')}`;
  const last = readMigrations().at(-1)?.name;
  // Migrations apply in name order, so a new one must sort after the last.
  if (last !== undefined && folder <= last) {
    console.error(`${folder} would not sort after the latest migration ${last}; check the clock.`);
    process.exit(1);
  }
  const dir = join(MIGRATIONS_DIR, folder);
  mkdirSync(dir);
  writeFileSync(join(dir, 'migration.sql'), sql);
  console.log(`Wrote ${relative(process.cwd(), join(dir, 'migration.sql'))}:\n\n${sql}`);
}
