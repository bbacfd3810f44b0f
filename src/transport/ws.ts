import type { Server } from 'node:http';
import type { ExecutionArgs } from 'graphql';
import { GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { YogaServerInstance } from 'graphql-yoga';
import type { Deps } from '../deps.js';
import { bearerToken, type Viewer } from '../modules/users/tokens.js';
import type { Context, ServerContext } from '../schema/context.js';
import { Outbox, SLOW_CONSUMER_CLOSE_CODE } from '../realtime/outbox.js';

type Extra = {
  viewer?: Viewer;
  release?: () => void;
  outbox?: Outbox;
};

/** After closing a slow consumer, how long its close handshake may take before the socket is dropped. */
const SLOW_CLOSE_TIMEOUT_MS = 5000;

type Enveloped = ReturnType<YogaServerInstance<ServerContext, Context>['getEnveloped']>;

/**
 * graphql-transport-ws on the GraphQL path. Operations go through yoga's
 * envelop pipeline, so context, plugins and error masking match HTTP. A
 * connection without a valid token is refused at init with 4403.
 */
export function attachWebSocket(server: Server, yoga: YogaServerInstance<ServerContext, Context>, deps: Deps) {
  const wss = new WebSocketServer({ server, path: yoga.graphqlEndpoint });
  let slowClosed = 0;
  const disposable = useServer<Record<string, unknown>, Extra>(
    {
      execute: (args) => (args.rootValue as Enveloped).execute(args as ExecutionArgs),
      subscribe: (args) => (args.rootValue as Enveloped).subscribe(args as ExecutionArgs),
      onConnect: async (ctx) => {
        const viewer = await deps.tokens.verify(bearerToken(ctx.connectionParams?.authorization) ?? '');
        if (!viewer) return false;
        ctx.extra.viewer = viewer;
        ctx.extra.release = deps.liveness.open(viewer.sessionId);
        const socket = ctx.extra.socket;
        ctx.extra.outbox = new Outbox(deps.config.WS_MAX_BACKLOG, () => {
          slowClosed++;
          deps.log.warn({ sessionId: viewer.sessionId, backlog: deps.config.WS_MAX_BACKLOG }, 'closing a slow consumer');
          socket.close(SLOW_CONSUMER_CLOSE_CODE, 'Slow consumer: too many undelivered events');
          // A client that reads nothing never answers the close; free the socket anyway.
          setTimeout(() => socket.terminate(), SLOW_CLOSE_TIMEOUT_MS).unref();
        });
        return true;
      },
      onClose: (ctx) => ctx.extra.release?.(),
      onSubscribe: async (ctx, _id, params) => {
        const enveloped = yoga.getEnveloped({ ...ctx, req: ctx.extra.request, socket: ctx.extra.socket, params, wsViewer: ctx.extra.viewer, wsOutbox: ctx.extra.outbox });
        let document;
        try {
          document = enveloped.parse(params.query);
        } catch (e) {
          return [e instanceof GraphQLError ? e : new GraphQLError(String(e))];
        }
        const errors = enveloped.validate(enveloped.schema, document);
        if (errors.length) return errors;
        return {
          schema: enveloped.schema,
          document,
          operationName: params.operationName,
          variableValues: params.variables,
          contextValue: await enveloped.contextFactory(),
          rootValue: enveloped,
        };
      },
    },
    wss,
  );
  return {
    /** Connections closed for not reading (a counter for tests and metrics). */
    get slowClosed() {
      return slowClosed;
    },
    /** Closes every socket with 1001 (going away) and stops accepting new ones. */
    async close() {
      for (const socket of wss.clients as Set<WebSocket>) socket.close(1001, 'Server shutting down');
      await disposable.dispose();
    },
  };
}
