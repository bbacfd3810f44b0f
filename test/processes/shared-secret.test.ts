import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { createTokens } from '../../src/auth/tokens.js';
import { freshDatabase } from '../helpers/backends.js';
import { startNode, type NodeProcess } from '../helpers/nodes.js';

const DATABASE = process.env.TEST_DATABASE_URL;
const ME = 'query { me { id username } }';

// .ci/run always sets TEST_DATABASE_URL and fails when PostgreSQL is missing.
describe.skipIf(!DATABASE)('one token secret for every process on one PostgreSQL database', () => {
  const nodes: NodeProcess[] = [];
  const dirs: string[] = [];
  const drops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await Promise.all(drops.map((d) => d()));
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  async function database() {
    const db = await freshDatabase(DATABASE!);
    drops.push(db.drop);
    return db.url;
  }
  function dataDir() {
    const dir = mkdtempSync(join(tmpdir(), 'parley-secret-'));
    dirs.push(dir);
    return dir;
  }
  async function node(name: string, env: Record<string, string>) {
    const n = await startNode(name, { LOG_LEVEL: 'warn', ...env });
    nodes.push(n);
    return n;
  }
  const me = async (n: NodeProcess, token: string) => (await n.gql(ME, {}, token)).data?.me ?? null;

  // Each case starts server processes; a busy 2-core machine can take 20 s for one cold start.
  it(
    'without JWT_SECRET, processes started together with their own data directories accept each other’s tokens; a set JWT_SECRET wins',
    { timeout: 150_000 },
    async () => {
      const url = await database();
      const [a, b] = await Promise.all([
        node('A', { DATABASE_URL: url, DATA_DIR: dataDir() }),
        node('B', { DATABASE_URL: url, DATA_DIR: dataDir() }),
      ]);
      const ada = await a.signIn();
      const bob = await b.signIn();
      expect(await me(b, ada.token)).toMatchObject({ id: ada.userId });
      expect(await me(a, bob.token)).toMatchObject({ id: bob.userId });

      const own = await node('C', { DATABASE_URL: url, DATA_DIR: dataDir(), JWT_SECRET: randomBytes(32).toString('base64url') });
      expect(await me(own, ada.token)).toBeNull();
    },
  );

  it(
    'keeps the secret an earlier start generated in the data directory, so tokens issued before still work',
    { timeout: 90_000 },
    async () => {
      const dir = dataDir();
      const earlier = randomBytes(32).toString('base64url');
      writeFileSync(join(dir, 'jwt-secret'), earlier);
      const a = await node('D', { DATABASE_URL: await database(), DATA_DIR: dir });
      const ada = await a.signIn();
      expect(await createTokens(earlier, 60).verify(ada.token)).toMatchObject({ userId: ada.userId });
    },
  );

  it('lets production run without JWT_SECRET only on PostgreSQL', () => {
    expect(() => parseConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    expect(parseConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/parley' }).JWT_SECRET).toBeUndefined();
  });
});
