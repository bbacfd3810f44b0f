import { execFileSync, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropRedisPrefix, freshDatabase } from '../helpers/backends.js';
import { clusterEnv, startNode, type NodeProcess } from '../helpers/nodes.js';
import { joinRoom, Q, send, subscribe, uniqueName } from '../helpers/server.js';

const DATABASE = process.env.TEST_DATABASE_URL;
const REDIS = process.env.TEST_REDIS_URL;

describe('WORKERS', () => {
  it('refuses several processes on the embedded database, with a message saying why', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, WORKERS: '2', DATABASE_URL: '', REDIS_URL: '', PORT: '0', DATA_DIR: 'memory://' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(out).toMatch(/WORKERS=2 needs DATABASE_URL \(PostgreSQL\) and REDIS_URL/);
    expect(out).toMatch(/PGlite/);
  });

  describe.skipIf(!DATABASE || !REDIS)('on PostgreSQL and Redis', () => {
    let node: NodeProcess;
    let drop: () => Promise<void>;
    let prefix = '';
    beforeAll(async () => {
      const db = await freshDatabase(DATABASE!);
      drop = db.drop;
      const env = clusterEnv(db.url, REDIS!, { WORKERS: '2' });
      prefix = env.REDIS_PREFIX!;
      node = await startNode('workers', env);
    });
    afterAll(async () => {
      await node?.stop();
      await drop?.();
      if (prefix) await dropRedisPrefix(REDIS!, prefix);
    });

    it('serves one port from two processes as one chat service', async () => {
      const [ada, bob] = [await node.signIn(), await node.signIn()];
      const name = uniqueName('room');
      const room = await joinRoom(node, ada, name);
      await joinRoom(node, bob, name);
      // Several sockets: node:cluster spreads connections over the workers.
      const subs = [1, 2, 3, 4].map(() => subscribe(node.ws(bob), Q.onMessage, { c: room }));
      // Health answers per worker, so probe instead: send until every socket has seen a message.
      const firstSeen = new Map<number, number>();
      for (let probe = 0; firstSeen.size < subs.length; probe++) {
        if (probe > 200) throw new Error('subscriptions never went live');
        await send(node, ada, room, { probe });
        for (const [i, sub] of subs.entries()) {
          if (!firstSeen.has(i) && sub.pending > 0) firstSeen.set(i, (await sub.next()).content.probe);
        }
      }
      const last = await send(node, ada, room, { last: true });
      for (const sub of subs) {
        let m;
        do m = await sub.next();
        while (m.id !== last.messageId);
      }
      // The primary runs two workers.
      const children = execFileSync('pgrep', ['-P', String(node.pid)], { encoding: 'utf8' })
        .trim()
        .split('\n');
      expect(children).toHaveLength(2);
    });
  });
});
