import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
export { freePort } from './port.js';
import { freePort } from './port.js';
import { endpoint, until, type Endpoint } from './server.js';
import { ROOT } from './root.js';

export interface Health {
  status: 'ok' | 'degraded' | 'unavailable';
  database: boolean;
  pubsub: boolean;
  subscriptions: number;
}

/** One server as its own OS process (`node --import tsx src/main.ts`, as `npm start` runs it). */
export interface NodeProcess extends Endpoint {
  name: string;
  pid: number;
  port: number;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  /** Sends a signal (SIGTERM: the shutdown an orchestrator asks for). */
  signal(signal: NodeJS.Signals): void;
  health(): Promise<Health | null>;
  /** Waits until this process has exactly `n` live subscriptions. */
  subscriptions(n: number, timeoutMs?: number): Promise<void>;
  /** SIGKILL: no shutdown at all, as in a crash. */
  crash(): Promise<void>;
  stop(): Promise<void>;
  /** What the process printed, for failure messages. */
  output(): string;
}

/** Settings every node of one test cluster shares (the token secret must match across processes). */
export function clusterEnv(databaseUrl: string, redisUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: `parley_test_${randomBytes(6).toString('hex')}:`,
    JWT_SECRET: randomBytes(32).toString('base64url'),
    DATA_DIR: 'memory://',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    ...extra,
  };
}

export interface StartOptions {
  timeoutMs?: number;
  /** false: return at once, for a process expected to refuse to start (see `exited`). */
  waitHealthy?: boolean;
}

/** Starts a server process on a free port (or env.PORT) and, unless told not to, waits until /health says ok. */
export async function startNode(name: string, env: Record<string, string>, opts: StartOptions = {}): Promise<NodeProcess> {
  const { timeoutMs = 60_000, waitHealthy = true } = opts;
  const port = Number(env.PORT ?? (await freePort()));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    // Rate limits off unless a test sets them, as in startServer: tests send far faster than people.
    env: {
      ...process.env,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      RATE_LIMIT_SEND: 'off',
      RATE_LIMIT_JOIN: 'off',
      RATE_LIMIT_AUTH: 'off',
      RATE_LIMIT_GROUP: 'off',
      ...env,
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  // TEST_NODE_OUTPUT=1 shows what the processes log, to debug a failing test.
  const echo = (d: Buffer) => process.env.TEST_NODE_OUTPUT && process.stderr.write(`[${name}] ${d}`);
  child.stdout!.on('data', (d) => ((output += d), echo(d)));
  child.stderr!.on('data', (d) => ((output += d), echo(d)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let gone = false;
  void exited.then(() => (gone = true));

  const base = `http://127.0.0.1:${port}`;
  const health = async (): Promise<Health | null> => {
    try {
      const res = await fetch(`${base}/health`, { signal: AbortSignal.timeout(2000) });
      return (await res.json()) as Health;
    } catch {
      return null;
    }
  };
  const ep = endpoint(`${base}/graphql`);
  const node: NodeProcess = {
    ...ep,
    name,
    pid: child.pid!,
    port,
    exited,
    signal: (signal) => void child.kill(signal),
    health,
    async subscriptions(n, ms = 5000) {
      await until(async () => (await health())?.subscriptions === n, ms, `${n} live subscriptions on ${name}`);
    },
    async crash() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      await ep.closeClients();
      if (gone) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
    output: () => output,
  };
  if (!waitHealthy) return node;
  try {
    await until(
      async () => {
        if (gone) throw new Error(`${name} exited during startup:\n${output}`);
        return (await health())?.status === 'ok';
      },
      timeoutMs,
      `${name} to be healthy`,
    );
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${(e as Error).message}\n${output}`, { cause: e });
  }
  return node;
}
