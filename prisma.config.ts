import { defineConfig } from 'prisma/config';

// The server applies migrations itself (src/db/migrate.ts); this file exists
// for `prisma generate` and for tools on machines that have the schema engine.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres' },
});
