import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga } from 'graphql-yoga';
import type { Config } from './config.js';
import { closeDeps, createDeps } from './compose.js';
import type { Deps } from './deps.js';
import { loadHooksModule } from './hooks/load.js';
import { HookRegistry } from './hooks/registry.js';
import type { ParleyHooks } from './hooks/types.js';
import { createLogger, type Logger } from './lib/logger.js';
import { withinBodyLimit } from './transport/body-limit.js';
import { corsOptions, varyByOrigin } from './plugins/cors.js';
import { limitConnections, serverOptions } from './transport/http-limits.js';
import { operationLogPlugin } from './plugins/operation-log.js';
import { clientAddress } from './transport/client-address.js';
import { requestLimitPlugins } from './plugins/request-limits.js';
import { sseConnectionsPlugin } from './plugins/sse-connections.js';
import { bearerToken } from './auth/tokens.js';
import { authenticate, revokeSessions } from './modules/users/users.service.js';
import type { Context, ServerContext } from './schema/context.js';
import { createMaskError, errorCodesPlugin } from './plugins/errors.js';
import { inputGuardPlugin } from './plugins/input-guard.js';
import { schema } from './schema/index.js';
import { compiledExecutionPlugin, type CompiledExecutionStats } from './plugins/compiled-execution.js';
import { sharedExecutionPlugin, type SharedExecutionStats } from './plugins/shared-execution.js';
import { attachWebSocket } from './transport/ws/index.js';
import { graphiqlPage } from './transport/graphiql-page.js';
import { MetricCounters } from './metrics/counters.js';
import { createMetrics } from './metrics/prometheus.js';
import { listenFailure } from './lib/startup-error.js';

export interface App {
  /** Listens on the port (0: any free one); resolves to the port. */
  start(port?: number, host?: string): Promise<number>;
  /** Stops accepting, finishes in-flight work, closes sockets, pub/sub and the database. */
  stop(): Promise<void>;
  deps: Deps;
  url: string;
  /** Ends every session of a user on every process (the host app bans or deletes an account); resolves to how many ended. */
  revokeSessions(userId: string): Promise<number>;
  /** Counters for tests and metrics. */
  stats(): { slowConsumersClosed: number; sharedExecution: SharedExecutionStats; compiledExecution: CompiledExecutionStats };
}

export interface AppOptions {
  log?: Logger;
  /** Hooks registered in code; they run before those of HOOKS_MODULE. */
  hooks?: ParleyHooks | ParleyHooks[];
}

export async function buildApp(config: Config, options: AppOptions = {}): Promise<App> {
  const log = options.log ?? createLogger(config.LOG_LEVEL);
  // Hooks are settled before anything is opened, so a bad module stops start-up cleanly.
  const hookSets = [options.hooks ?? []].flat();
  if (config.HOOKS_MODULE) hookSets.push(await loadHooksModule(config.HOOKS_MODULE, log));
  const counters = new MetricCounters();
  const hooks = new HookRegistry(hookSets, log, (operation, stage) => counters.bump(counters.hookFailures, `${operation} ${stage}`));
  const deps = await createDeps(config, log, counters);
  const metrics = config.METRICS
    ? createMetrics({
        counters,
        webSockets: () => ws.open,
        sseStreams: () => counters.sseStreams,
        subscriptions: () => deps.feeds.count(),
        slowConsumerCloses: () => ws.slowClosed,
        database: () => deps.db.ping(),
        pubsub: () => deps.pubsub.healthy(),
      })
    : null;

  const maskError = createMaskError(log);
  const compiled = compiledExecutionPlugin(log);
  const shared = sharedExecutionPlugin(maskError, compiled.run);
  const yoga = createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    // withinBodyLimit has enforced MAX_BODY_BYTES before yoga sees a request; yoga's own
    // limit would pipe every body through a TransformStream (see bench/README, history).
    maxRequestBodySize: false,
    cors: corsOptions(config.CORS_ORIGINS),
    graphiql: config.GRAPHIQL ? { title: 'Parley', defaultQuery: GRAPHIQL_QUERY } : false,
    renderGraphiQL,
    // isDev would add the cause of request errors (e.g. a JSON parser message) to responses.
    maskedErrors: { maskError, isDev: false },
    plugins: [
      operationLogPlugin(log, metrics),
      varyByOrigin(config.CORS_ORIGINS),
      ...requestLimitPlugins(config),
      errorCodesPlugin(),
      inputGuardPlugin(),
      sseConnectionsPlugin(),
      shared.plugin,
      compiled.plugin,
    ],
    logging: {
      debug: (...a) => log.debug(a.length > 1 ? { args: a.slice(1) } : {}, String(a[0])),
      info: (...a) => log.info(a.length > 1 ? { args: a.slice(1) } : {}, String(a[0])),
      warn: (...a) => log.warn(a.length > 1 ? { args: a.slice(1) } : {}, String(a[0])),
      // Yoga reports client errors here too; real failures are logged by maskError.
      error: (...a) => log.debug(a.length > 1 ? { args: a.slice(1) } : {}, String(a[0])),
    },
    context: async ({ request, req, wsViewer, wsOutbox, wsDirect, wsClientAddress }) => ({
      deps,
      hooks,
      outbox: wsOutbox ?? null,
      direct: wsDirect ?? null,
      clientAddress: wsClientAddress ?? clientAddress(req, config.TRUST_PROXY),
      // Over WebSocket the viewer was settled at connection init.
      viewer: wsViewer ?? (await authenticate(deps, bearerToken(request?.headers.get('authorization')))),
    }),
  });

  const graphiql = config.GRAPHIQL
    ? graphiqlPage(yoga.graphqlEndpoint, () => renderGraphiQL({ title: 'Parley', defaultQuery: GRAPHIQL_QUERY }))
    : null;
  let url = '';
  let metricsServer: Server | null = null;
  let stopping: Promise<void> | null = null;
  let inFlight = 0;
  let drained: (() => void) | null = null;
  const server = createServer(serverOptions(config), (req: IncomingMessage, res: ServerResponse) => {
    inFlight++;
    res.once('close', () => {
      inFlight--;
      if (inFlight === 0) drained?.();
    });
    if (stopping) {
      // Requests on kept-alive connections during shutdown: tell the client to go elsewhere.
      res.writeHead(503, { connection: 'close', 'retry-after': '1' }).end();
      return;
    }
    if (req.url === '/health' || req.url?.startsWith('/health?')) return void health(deps, res);
    if (metrics && !config.METRICS_PORT && isMetrics(req)) return void metrics.serve(res);
    if (graphiql?.wants(req)) {
      return void graphiql.serve(req, res).catch((err) => {
        log.error({ err }, 'serving GraphiQL failed');
        res.destroy();
      });
    }
    void withinBodyLimit(req, res, config.MAX_BODY_BYTES).then(
      (ok) => {
        if (ok) void yoga.handle(req, res);
      },
      (err) => {
        log.debug({ err }, 'request body failed');
        res.destroy();
      },
    );
  });
  limitConnections(server, config);
  const ws = attachWebSocket(server, yoga, deps);

  const app: App = {
    deps,
    get url() {
      return url;
    },
    revokeSessions: (userId) => revokeSessions(deps, userId),
    stats: () => ({ slowConsumersClosed: ws.slowClosed, sharedExecution: { ...shared.stats }, compiledExecution: { ...compiled.stats } }),
    async start(port = config.PORT, host = config.HOST) {
      if (metrics && config.METRICS_PORT) {
        metricsServer = createServer((req, res) => (isMetrics(req) ? void metrics.serve(res) : void res.writeHead(404).end()));
        await new Promise<void>((resolve, reject) => {
          metricsServer!.once('error', (err: Error) => reject(listenFailure(err, config.METRICS_PORT, host)));
          metricsServer!.listen(config.METRICS_PORT, host, resolve);
        });
      }
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const actual = (server.address() as AddressInfo).port;
          url = `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${actual}/graphql`;
          log.info(
            { url, port: actual, database: deps.db.kind, pubsub: deps.redis ? 'redis' : 'memory', graphiql: config.GRAPHIQL ? url : null },
            `Parley is listening at ${url}${config.GRAPHIQL ? ' (open it in a browser for GraphiQL)' : ''}`,
          );
          resolve(actual);
        });
      });
    },
    stop() {
      stopping ??= (async () => {
        server.close();
        metricsServer?.close();
        await ws.close();
        deps.feeds.endAll();
        if (inFlight > 0) {
          await new Promise<void>((resolve) => {
            drained = resolve;
            setTimeout(resolve, config.SHUTDOWN_GRACE_MS).unref();
          });
        }
        server.closeAllConnections();
        await yoga.dispose();
        await hooks.idle();
        await closeDeps(deps);
        log.info('parley stopped');
      })();
      return stopping;
    },
  };
  return app;
}

async function health(deps: Deps, res: ServerResponse) {
  const database = await deps.db.ping();
  const pubsub = deps.pubsub.healthy();
  const status = !database ? 'unavailable' : pubsub ? 'ok' : 'degraded';
  res.writeHead(database ? 200 : 503, { 'content-type': 'application/json' });
  // subscriptions: live subscription feeds in this process (multi-process tests wait on it).
  res.end(JSON.stringify({ status, database, pubsub, subscriptions: deps.feeds.count() }));
}

const GRAPHIQL_QUERY = `# Welcome to Parley. Sign in, then put the token in the Headers tab:
#   { "Authorization": "Bearer <token>" }
# GraphiQL runs one operation at a time per page: to send while Live runs,
# open this address in a private window and sign in as another user there.
mutation SignIn {
  authenticateDevice(deviceId: "graphiql-device-1", username: "ada") { token sessionId user { id username } }
}

mutation Join {
  joinChat(target: "lobby", type: ROOM) { id presences { username } }
}

mutation Send {
  sendMessage(channelId: "room:lobby", content: { text: "hello" }) { messageId createTime }
}

subscription Live {
  channelMessage(channelId: "room:lobby") { username content createTime }
}

query History {
  channelMessages(channelId: "room:lobby", first: 20) {
    edges { cursor node { username content createTime } }
    pageInfo { hasNextPage endCursor }
    cacheableCursor
  }
}
`;

const isMetrics = (req: IncomingMessage) => req.method === 'GET' && (req.url === '/metrics' || req.url?.startsWith('/metrics?') === true);
