import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './nodes.js';
import { until } from './server.js';

const ROOT = new URL('../../', import.meta.url).pathname;

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  url: string;
  output(): string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
}

/** Runs `node --import tsx src/main.ts` as its own OS process, as `npm start` would. */
export async function spawnServer(env: Record<string, string>, opts: { waitHealthy?: boolean } = {}): Promise<ServerProcess> {
  const port = Number(env.PORT ?? (await freePort()));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      RATE_LIMIT_SEND: 'off',
      RATE_LIMIT_JOIN: 'off',
      RATE_LIMIT_AUTH: 'off',
      RATE_LIMIT_GROUP: 'off',
      ...env,
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const proc = { child, port, url: `http://127.0.0.1:${port}/graphql`, output: () => out, exited };
  if (opts.waitHealthy !== false) {
    let done = false;
    void exited.then(() => (done = true));
    await until(
      async () => {
        if (done) throw new Error(`server exited during start:\n${out}`);
        return fetch(`http://127.0.0.1:${port}/health`).then(
          (r) => r.ok,
          () => false,
        );
      },
      60_000,
      'the server to become healthy',
    );
  }
  return proc;
}
