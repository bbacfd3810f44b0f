// The three servers every delivery scenario measures, each in its own OS process.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { freePort, ROOT, spawnNode, until, type NodeChild } from './proc.js';

export type Kind = 'raw' | 'rawCorked' | 'sio' | 'floor' | 'floorYoga' | 'parley';

export const SUBJECTS: Record<Kind, string> = {
  raw: 'raw ws (prebuilt frame)',
  rawCorked: 'raw ws (prebuilt frame, corked per tick)',
  sio: 'Socket.IO 4.8',
  floor: 'graphql-ws floor (graphql-js, no auth)',
  floorYoga: 'graphql-ws floor (yoga envelop, no auth)',
  parley: 'Parley',
};

export interface Server extends NodeChild {
  kind: Kind;
  /** What the clients speak: plain frames, Engine.IO/Socket.IO, or graphql-transport-ws. */
  protocol: 'plain' | 'socket.io' | 'graphql';
  port: number;
  /** ws://… base the clients connect to (Parley: the GraphQL path). */
  wsUrl: string;
  httpUrl: string;
}

/**
 * Parley as `npm start` runs it, tuned only so the benchmark measures delivery:
 * no rate limits (every client signs in from 127.0.0.1), queues deep enough that
 * a saturated run never trips the slow-consumer limits, production mode as a
 * deployment would run (graphql-js and yoga skip development checks).
 */
export function parleyEnv(port: number): Record<string, string> {
  return {
    PORT: String(port),
    HOST: '127.0.0.1',
    NODE_ENV: 'production',
    JWT_SECRET: randomBytes(32).toString('base64url'),
    DATA_DIR: 'memory://',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_SEND: 'off',
    RATE_LIMIT_JOIN: 'off',
    RATE_LIMIT_AUTH: 'off',
    SUBSCRIPTION_QUEUE_LIMIT: '100000',
    WS_MAX_BACKLOG: '100000',
    MAX_CONNECTIONS_PER_USER: '0',
    MAX_CONNECTIONS_PER_ADDRESS: '0',
    SHUTDOWN_GRACE_MS: '2000',
  };
}

const FLOOR = 'bench/servers/graphql-ws-floor.ts';
const REFERENCE_SCRIPTS = {
  raw: 'bench/servers/raw-ws.ts',
  rawCorked: 'bench/servers/raw-ws.ts',
  sio: 'bench/servers/socketio.ts',
  floor: FLOOR,
  floorYoga: FLOOR,
};

let built: Promise<string> | null = null;

/**
 * Parley as a deployment runs it: built once per bench run (`npm run build`)
 * and started from dist/. Through tsx every closure carries a `name`
 * property (esbuild's keepNames), about 3 KB of heap per subscriber that
 * production never has. BENCH_TSX=1 runs the sources through tsx instead.
 */
function parleyScript(): Promise<string> {
  if (process.env.BENCH_TSX === '1') return Promise.resolve('src/main.ts');
  built ??= new Promise((resolve, reject) =>
    execFile(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT }, (err, stdout, stderr) =>
      err ? reject(new Error(`npm run build failed:\n${stdout}${stderr}`)) : resolve('dist/main.js'),
    ),
  );
  return built;
}

/** `extraEnv` is added to the server's environment (e.g. Parley's DATABASE_URL, for PostgreSQL instead of PGlite). */
export async function startServer(kind: Kind, nodeArgs: string[] = [], extraEnv: Record<string, string> = {}): Promise<Server> {
  const port = await freePort();
  const script = kind === 'parley' ? await parleyScript() : REFERENCE_SCRIPTS[kind];
  const env = {
    ...(kind === 'parley'
      ? parleyEnv(port)
      : { PORT: String(port), RAW_CORK: kind === 'rawCorked' ? '1' : '0', FLOOR_YOGA: kind === 'floorYoga' ? '1' : '0' }),
    ...extraEnv,
  };
  // BENCH_PARLEY_NODE_ARGS: V8 or Node flags for the Parley server alone (e.g. --max-semi-space-size=32).
  const args =
    kind === 'parley' && process.env.BENCH_PARLEY_NODE_ARGS ? [...nodeArgs, ...process.env.BENCH_PARLEY_NODE_ARGS.split(' ')] : nodeArgs;
  const child = spawnNode(script, env, args);
  let exited = false;
  void child.exited.then(() => (exited = true));
  const ready =
    kind === 'parley'
      ? () =>
          fetch(`http://127.0.0.1:${port}/health`).then(
            (r) => r.ok,
            () => false,
          )
      : () => child.output().includes('ready');
  try {
    // Generous: PGlite's initdb alone takes seconds, more on a busy machine.
    await until(
      `${kind} server to start`,
      async () => {
        if (exited) throw new Error(`${kind} server exited during start:\n${child.output()}`);
        return ready();
      },
      90_000,
    );
  } catch (e) {
    await child.stop(1000);
    throw e;
  }
  const protocol = kind === 'parley' || kind === 'floor' || kind === 'floorYoga' ? 'graphql' : kind === 'sio' ? 'socket.io' : 'plain';
  const path = protocol === 'graphql' ? '/graphql' : '/';
  return { ...child, kind, protocol, port, wsUrl: `ws://127.0.0.1:${port}${path}`, httpUrl: `http://127.0.0.1:${port}${path}` };
}

/** The live subscription count of Parley or a graphql-ws floor (their /health reports it). */
export async function liveSubscriptions(server: Server): Promise<number> {
  try {
    const r = await fetch(`http://127.0.0.1:${server.port}/health`);
    return ((await r.json()) as { subscriptions: number }).subscriptions;
  } catch {
    return -1; // asked again shortly
  }
}
