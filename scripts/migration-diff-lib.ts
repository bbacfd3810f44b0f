// Diffs "all migrations applied" against prisma/schema.prisma with Prisma's WASM
// schema engine (the CLI's native engine cannot be downloaded here), on a
// throwaway in-memory PGlite.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import { PrismaPGlite } from 'pglite-prisma-adapter';

const root = fileURLToPath(new URL('..', import.meta.url));
export const SCHEMA_PATH = join(root, 'prisma', 'schema.prisma');
export const MIGRATIONS_DIR = join(root, 'prisma', 'migrations');

// Neither the ES2023 lib nor @types/node 20 declares WebAssembly; this is all we use.
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
};

let engineClass: Promise<typeof SchemaEngine> | undefined;

// The package's entry point imports the .wasm file as an ES module, which Node 20
// cannot do, so instantiate it by hand. Only once per process: wasm-bindgen keeps
// module-level state and breaks if it is initialised twice.
function loadEngineClass(): Promise<typeof SchemaEngine> {
  engineClass ??= (async () => {
    const runtime = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const pkgDir = dirname(createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm'));
    const module = new WebAssembly.Module(readFileSync(join(pkgDir, 'schema_engine_bg.wasm')));
    const imports: Record<string, unknown> = { ...runtime };
    // The engine arms a 10 s timer it never clears; unref it so callers exit promptly.
    for (const name of Object.keys(imports).filter((k) => k.startsWith('__wbg_setTimeout_'))) {
      imports[name] = (fn: () => void, ms: number) => setTimeout(fn, ms >>> 0).unref();
    }
    const instance = new WebAssembly.Instance(module, { './schema_engine_bg.js': imports });
    runtime.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return runtime.SchemaEngine;
  })();
  return engineClass;
}

// The engine reports a Rust panic's message through this global.
const panics = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: { set_message(message: string): void } };
panics.PRISMA_WASM_PANIC_REGISTRY ??= {
  set_message: (message) => console.error(`schema engine panic: ${message}`),
};

/** Migration folder names in apply order, with their SQL. */
export function readMigrations(dir = MIGRATIONS_DIR): { name: string; sql: string }[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => ({ name, sql: readFileSync(join(dir, name, 'migration.sql'), 'utf8') }));
}

/**
 * SQL that takes a database with every migration applied to the schema in
 * prisma/schema.prisma; '' when the migrations already match it.
 */
export async function migrationDrift(opts: { schemaPath?: string; migrationsDir?: string } = {}): Promise<string> {
  const { schemaPath = SCHEMA_PATH, migrationsDir = MIGRATIONS_DIR } = opts;
  const db = new PGlite(); // in memory
  const opened: SqlDriverAdapter[] = [];
  let engine: SchemaEngine | undefined;
  try {
    for (const m of readMigrations(migrationsDir)) {
      try {
        await db.exec(m.sql);
      } catch (err) {
        throw new Error(`migration ${m.name} failed: ${(err as Error).message}`, { cause: err });
      }
    }

    const pglite = new PrismaPGlite(db);
    const factory: SqlMigrationAwareDriverAdapterFactory = {
      provider: 'postgres',
      adapterName: pglite.adapterName,
      async connect() {
        // pglite-prisma-adapter 0.7 types against an older driver-adapter-utils.
        const adapter = (await pglite.connect()) as unknown as SqlDriverAdapter;
        // Its executeScript does not await the script, so errors would escape.
        adapter.executeScript = async (script) => void (await db.exec(script));
        opened.push(adapter);
        return adapter;
      },
      connectToShadowDb: () => Promise.reject(new Error('migration-diff needs no shadow database')),
    };

    const schema = readFileSync(schemaPath, 'utf8');
    const files = [{ path: schemaPath, content: schema }];
    const bound = bindMigrationAwareSqlAdapterFactory(factory);
    const Engine = await loadEngineClass();
    const { stdout } = await (async () => {
      engine = await Engine.new({ datamodels: [[schemaPath, schema]] }, () => {}, bound);
      return engine.diff({
        from: { tag: 'schemaDatasource', files, configDir: root }, // the database the engine is connected to
        to: { tag: 'schemaDatamodel', files },
        script: true,
        exitCode: null,
        filters: { externalTables: [], externalEnums: [] },
      });
    })().catch((err: unknown) => {
      // Adapter errors come back as "External error id#N"; surface the original.
      const id = /External error id#(\d+)/.exec(String((err as Error | undefined)?.message))?.[1];
      throw (id !== undefined && bound.errorRegistry.consumeError(Number(id))?.error) || err;
    });
    // An empty diff renders as a comment only.
    const sql = stdout ?? '';
    return /^\s*(--[^\n]*\s*)*$/.test(sql) ? '' : sql;
  } finally {
    engine?.free();
    // The engine never disposes the adapters it opened.
    await Promise.allSettled(opened.map((a) => a.dispose()));
    await db.close();
  }
}
