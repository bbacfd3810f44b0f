import { get as httpGet, type IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { once } from 'node:events';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { backends, freshDatabase } from '../helpers/backends.js';
import { freePort } from '../helpers/port.js';
import { startNode, type NodeProcess, type StartOptions } from '../helpers/nodes.js';
import { startServer, uniqueName, errorCode } from '../helpers/server.js';

const started: NodeProcess[] = [];
afterAll(() => {
  for (const p of started) p.signal('SIGKILL');
});

/** `npm start` as its own process, logging at info as an operator sees it. */
const spawnServer = (env: Record<string, string>, opts?: StartOptions) => startNode('server', { LOG_LEVEL: 'info', ...env }, opts);

async function gql(url: string, query: string, variables: Record<string, unknown> = {}, token?: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as any;
}

describe('configuration', () => {
  it('names the bad variable', () => {
    expect(() => parseConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => parseConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => parseConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    expect(parseConfig({}).PRESENCE_GRACE_MS).toBe(15_000);
  });

  // One plain line an operator can act on, exit code 1, no stack trace and no noise from libraries.
  async function refusesToStart(env: Record<string, string>, says: RegExp) {
    const p = await spawnServer({ DATA_DIR: 'memory://', ...env }, { waitHealthy: false });
    started.push(p);
    expect(await p.exited).toBe(1);
    const refusals = p
      .output()
      .split('\n')
      .filter((l) => l.includes('cannot start'));
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatch(says);
    expect(p.output()).not.toMatch(/\n\s+at |Internal error|"level":[56]0/);
  }

  it('names a port already in use, an unreachable PostgreSQL and an unreachable Redis in one line', { timeout: 90_000 }, async () => {
    const holder = createNetServer().listen(0, '127.0.0.1');
    await once(holder, 'listening');
    const port = (holder.address() as AddressInfo).port;
    const nobody = await freePort();
    const db = process.env.TEST_DATABASE_URL ? await freshDatabase(process.env.TEST_DATABASE_URL) : null;
    try {
      // Side by side: each is a cold start of its own process.
      await Promise.all([
        refusesToStart({ PORT: String(port) }, new RegExp(`^cannot start: port ${port} on 127\\.0\\.0\\.1 is already in use`)),
        refusesToStart(
          { DATABASE_URL: `postgres://parley:secret@127.0.0.1:${nobody}/parley` },
          new RegExp(
            `^cannot start: cannot reach PostgreSQL at postgres://parley:\\*\\*\\*@127\\.0\\.0\\.1:${nobody}/parley: .*ECONNREFUSED`,
          ),
        ),
        db &&
          refusesToStart(
            { DATABASE_URL: db.url, REDIS_URL: `redis://127.0.0.1:${nobody}` },
            new RegExp(`^cannot start: cannot reach Redis at redis://127\\.0\\.0\\.1:${nobody}`),
          ),
      ]);
    } finally {
      holder.close();
      await db?.drop();
    }
  });

  it('stops start-up with the message when a value is bad', async () => {
    const p = await spawnServer({ PRESENCE_GRACE_MS: '-5', DATA_DIR: 'memory://' }, { waitHealthy: false });
    started.push(p);
    expect(await p.exited).toBe(1);
    expect(p.output()).toMatch(/PRESENCE_GRACE_MS/);
  });
});

describe('the embedded database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-'));

  it(
    'keeps data across restarts, refuses a second process on the same directory, and loses no acknowledged message on SIGTERM',
    { timeout: 90_000 },
    async () => {
      const first = await spawnServer({ DATA_DIR: dir });
      started.push(first);
      const health = await fetch(`http://127.0.0.1:${first.port}/health`).then((r) => r.json());
      expect(health).toEqual({ status: 'ok', database: true, pubsub: true, subscriptions: 0 });

      const second = await spawnServer({ DATA_DIR: dir }, { waitHealthy: false });
      started.push(second);
      expect(await second.exited).toBe(1);
      expect(second.output()).toMatch(/in use by process/);

      const auth = await gql(first.url, `mutation($d: String!) { authenticateDevice(deviceId: $d) { token user { id } } }`, {
        d: uniqueName('device'),
      });
      const { token } = auth.data.authenticateDevice;
      const room = (await gql(first.url, `mutation { joinChat(target: "durable", type: ROOM) { id } }`, {}, token)).data.joinChat.id;

      // Keep sending while the server is told to stop; every acknowledged message must survive.
      const acked: string[] = [];
      let stopped = false;
      const senders = Array.from({ length: 4 }, async () => {
        while (!stopped) {
          try {
            const r = await gql(
              first.url,
              `mutation($c: ID!) { sendMessage(channelId: $c, content: { n: 1 }) { messageId } }`,
              { c: room },
              token,
            );
            if (r.data?.sendMessage) acked.push(r.data.sendMessage.messageId);
          } catch {
            stopped = true;
          }
        }
      });
      while (acked.length < 20) await new Promise((r) => setImmediate(r));
      first.signal('SIGTERM');
      expect(await first.exited).toBe(0);
      stopped = true;
      await Promise.all(senders);
      expect(existsSync(join(dir, 'parley.lock'))).toBe(false);

      const again = await spawnServer({ DATA_DIR: dir });
      started.push(again);
      const ids = new Set<string>();
      let after: string | null = null;
      for (;;) {
        const page: any = (
          await gql(
            again.url,
            `query($c: ID!, $a: String) { channelMessages(channelId: $c, first: 100, after: $a) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
            { c: room, a: after },
            token,
          )
        ).data.channelMessages;
        for (const e of page.edges) ids.add(e.node.id);
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(acked.filter((id) => !ids.has(id))).toEqual([]);
      again.signal('SIGTERM');
      expect(await again.exited).toBe(0);
    },
  );
});

describe.each(backends())('errors ($name)', (backend) => {
  it('masks internal failures as INTERNAL_SERVER_ERROR without their details', async () => {
    const server = await startServer(backend);
    try {
      const ada = await server.signIn();
      const prisma = server.app.deps.prisma;
      const original = prisma.user.findUnique;
      (prisma.user as any).findUnique = () => Promise.reject(new Error('relation "User" secret detail at 10.0.0.1'));
      const r = await server.gql(`{ me { id } }`, {}, ada.token);
      (prisma.user as any).findUnique = original;
      expect(errorCode(r)).toBe('INTERNAL_SERVER_ERROR');
      expect(JSON.stringify(r)).not.toMatch(/secret|relation|stack/);
      const parse = await server.gql(`{ me { id `, {}, ada.token);
      expect(errorCode(parse)).toBe('GRAPHQL_PARSE_FAILED');
      const invalid = await server.gql(`{ me { nope } }`, {}, ada.token);
      expect(errorCode(invalid)).toBe('GRAPHQL_VALIDATION_FAILED');
      const variable = await server.gql(
        `query($f: Int) { channelMessages(channelId: "room:x", first: $f) { cacheableCursor } }`,
        { f: 'many' },
        ada.token,
      );
      expect(errorCode(variable)).toBe('BAD_USER_INPUT');
    } finally {
      await server.stop();
    }
  });
});

describe.each(backends())('HTTP surface ($name)', (backend) => {
  it('serves a self-contained GraphiQL page to browsers, health, and GraphQL over GET', async () => {
    const server = await startServer(backend);
    try {
      const page = await fetch(server.url, { headers: { accept: 'text/html' } });
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      const html = await page.text();
      expect(html).toMatch(/graphiql/i);
      // Nothing loaded from a CDN: offline and locked-down networks get a working page.
      expect(html).not.toMatch(/<script[^>]+src="https?:|<link[^>]+href="https?:/);
      const health = await fetch(server.url.replace('/graphql', '/health'));
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok', database: true, pubsub: true, subscriptions: 0 });
      const ada = await server.signIn();
      const get = await fetch(`${server.url}?query=${encodeURIComponent('{ me { username } }')}`, {
        headers: { authorization: `Bearer ${ada.token}`, accept: 'application/json' },
      });
      expect(await get.json()).toEqual({ data: { me: { username: ada.username } } });
    } finally {
      await server.stop();
    }
  });

  it('serves the GraphiQL page compressed, and only revalidates it while it is unchanged', async () => {
    const server = await startServer(backend);
    try {
      const raw = (headers: Record<string, string>) =>
        new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
          httpGet(server.url, { headers: { accept: 'text/html', ...headers } }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
          }).on('error', reject);
        });
      const plain = await raw({});
      expect(plain.headers['content-encoding']).toBeUndefined();
      for (const [encoding, decode] of [
        ['br', brotliDecompressSync],
        ['gzip', gunzipSync],
      ] as const) {
        const packed = await raw({ 'accept-encoding': `${encoding}, deflate` });
        expect(packed.headers['content-encoding']).toBe(encoding);
        expect(packed.body.length).toBeLessThan(plain.body.length / 3);
        expect(decode(packed.body).equals(plain.body)).toBe(true);
      }
      const again = await raw({ 'accept-encoding': 'br', 'if-none-match': plain.headers.etag! });
      expect(again.status).toBe(304);
      expect(again.body.length).toBe(0);
    } finally {
      await server.stop();
    }
  });

  it('can switch GraphiQL off', async () => {
    const server = await startServer(backend, { GRAPHIQL: false });
    try {
      const page = await fetch(server.url, { headers: { accept: 'text/html' } });
      expect(await page.text()).not.toMatch(/graphiql/i);
    } finally {
      await server.stop();
    }
  });
});
