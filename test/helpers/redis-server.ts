import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { until } from './server.js';

export interface OwnRedisOptions {
  /** Keep data across a kill (append-only file, fsync on every write), so a restart comes back with it. */
  persistent?: boolean;
}

/** A throwaway redis-server of the test's own on a spare port, so the machine's Redis is never touched. */
export class OwnRedis {
  private child: ChildProcess | null = null;
  private readonly dir: string | null;

  constructor(
    readonly port: number,
    options: OwnRedisOptions = {},
  ) {
    this.dir = options.persistent ? mkdtempSync(join(tmpdir(), 'parley-redis-')) : null;
  }

  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const storage = this.dir
      ? ['--dir', this.dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '']
      : ['--save', '', '--appendonly', 'no'];
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', ...storage], { stdio: 'ignore' });
    this.child = child;
    const probe = new Redis(this.url, { lazyConnect: true, retryStrategy: () => 50, maxRetriesPerRequest: 0 });
    probe.on('error', () => {});
    try {
      await until(async () => (await probe.ping().catch(() => null)) === 'PONG', 10_000, `redis-server on ${this.port}`);
    } finally {
      probe.disconnect();
    }
  }

  /** Stops it hard, as an outage would. Without `persistent` its data is gone; with it, `wipe` removes the data too. */
  async stop(options: { wipe?: boolean } = {}): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGCONT');
      child.kill('SIGKILL');
      await exited;
    }
    this.child = null;
    if (options.wipe && this.dir) {
      for (const f of readdirSync(this.dir)) rmSync(join(this.dir, f), { recursive: true, force: true });
    }
  }

  /** A stall: the process stops (SIGSTOP) with every connection left open, as a hung Redis or a frozen VM. */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  resume(): void {
    this.child?.kill('SIGCONT');
  }

  async dispose(): Promise<void> {
    await this.stop();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}
