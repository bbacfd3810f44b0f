import type { Server } from 'node:http';
import type { ExecutionArgs } from 'graphql';
import { GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { YogaServerInstance } from 'graphql-yoga';
import type { Deps } from '../deps.js';
import { bearerToken, type Viewer } from '../modules/users/tokens.js';
import type { Context, ServerContext } from '../schema/context.js';

type Extra = {
  viewer?: Viewer;
  release?: () => void;
};

type Enveloped = ReturnType<YogaServerInstance<ServerContext, Context>['getEnveloped']>;

/**
 * graphql-transport-ws on the GraphQL path. Operations go through yoga's
 * envelop pipeline, so context, plugins and error masking match HTTP. A
 * connection without a valid token is refused at init with 4403.
 */
export function attachWebSocket(server: Server, yoga: YogaServerInstance<ServerContext, Context>, deps: Deps) {
  const wss = new WebSocketServer({ server, path: yoga.graphqlEndpoint });
  const disposable = useServer<Record<string, unknown>, Extra>(
    {
      execute: (args) => (args.rootValue as Enveloped).execute(args as ExecutionArgs),
      subscribe: (args) => (args.rootValue as Enveloped).subscribe(args as ExecutionArgs),
      onConnect: async (ctx) => {
        const viewer = await deps.tokens.verify(bearerToken(ctx.connectionParams?.authorization) ?? '');
        if (!viewer) return false;
        ctx.extra.viewer = viewer;
        ctx.extra.release = deps.liveness.open(viewer.sessionId);
        return true;
      },
      onClose: (ctx) => ctx.extra.release?.(),
      onSubscribe: async (ctx, _id, params) => {
        const enveloped = yoga.getEnveloped({ ...ctx, req: ctx.extra.request, socket: ctx.extra.socket, params, wsViewer: ctx.extra.viewer });
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
    /** Closes every socket with 1001 (going away) and stops accepting new ones. */
    async close() {
      for (const socket of wss.clients as Set<WebSocket>) socket.close(1001, 'Server shutting down');
      await disposable.dispose();
    },
  };
}
