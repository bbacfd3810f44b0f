import type { ExecutionArgs } from 'graphql';
import { getOperationAST, GraphQLError } from 'graphql';
import { makeServer, type ServerOptions } from 'graphql-ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { bearerToken } from '../../auth/tokens.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../../lib/errors.js';
import { authenticate } from '../../modules/users/users.service.js';
import { toGraphQLError } from '../../plugins/errors.js';
import type { Context, ServerContext } from '../../schema/context.js';
import type { Connection } from './connection.js';
import { Operation } from './operation.js';
import { queryTexts } from './query-texts.js';

/** Close code for a user at MAX_CONNECTIONS_PER_USER (counted cluster-wide with Redis): HTTP's 429 in graphql-ws's 44xx range, which its client does not retry. */
export const TOO_MANY_CONNECTIONS = 4429;
/** Close code when the connection's token expires: as at init with a bad token, so a client reconnects with a fresh one. */
export const TOKEN_EXPIRED = 4403;

/** What connection init takes for a connection that passed it; the server gives it back on close. */
export type Admit = (connection: Connection) => () => void;

function operationOf(args: ExecutionArgs): Operation {
  const direct = (args.contextValue as Context).direct;
  if (!(direct instanceof Operation)) throw new Error('A WebSocket operation runs with its Operation as the direct sink');
  return direct;
}

/**
 * graphql-transport-ws (graphql-ws's makeServer) with operations run through
 * yoga's envelop pipeline, so context, plugins and error masking match HTTP.
 * A connection without a valid token is refused at init with 4403.
 */
export function graphqlWsServer(yoga: YogaServerInstance<ServerContext, Context>, deps: Deps, admit: Admit) {
  const { MAX_SUBSCRIPTIONS_PER_CONNECTION } = deps.config;
  const options: ServerOptions<Record<string, unknown>, Connection> = {
    jsonMessageReviver: queryTexts(),
    execute: (args) => operationOf(args).enveloped.execute(args),
    subscribe: async (args) => {
      const operation = operationOf(args);
      const result = await operation.enveloped.subscribe(args);
      // Envelop wraps every subscription's iterator (masking each result, reporting errors to
      // plugins); a direct stream yields nothing and masks its own error, so it goes unwrapped.
      return operation.adopted ?? result;
    },
    onConnect: async (ctx) => {
      const connection = ctx.extra;
      const viewer = await authenticate(deps, bearerToken(ctx.connectionParams?.authorization));
      if (!viewer) return false;
      // A socket that closed while the token was checked has had its onClose already: count nothing for it.
      if (!connection.isOpen) return false;
      let releaseConnection: () => void;
      try {
        releaseConnection = await deps.connections.acquire(viewer.userId);
      } catch (e) {
        if (!(e instanceof AppError) || e.code !== 'RATE_LIMITED') throw e;
        deps.counters.bump(deps.counters.rateLimited, 'connections');
        // Closing first makes graphql-ws's own close (4403) a no-op, so the client sees why.
        connection.close(TOO_MANY_CONNECTIONS, e.message);
        return false;
      }
      // It may have closed while the count was taken (in Redis); then onClose has run already.
      if (!connection.isOpen) {
        releaseConnection();
        return false;
      }
      connection.viewer = viewer;
      const releaseAdmission = admit(connection);
      // setTimeout waits at most 2^31-1 ms (24.8 days); a connection open that long closes and the client reconnects.
      const expiry = setTimeout(
        () => connection.close(TOKEN_EXPIRED, 'Token expired: reconnect with a fresh token'),
        Math.min(Math.max(0, (viewer.expiresAt ?? Infinity) - Date.now()), 2 ** 31 - 1),
      );
      expiry.unref();
      connection.release = () => {
        clearTimeout(expiry);
        releaseAdmission();
        releaseConnection();
      };
      deps.log.debug({ userId: viewer.userId, sessionId: viewer.sessionId }, 'websocket connected');
      return true;
    },
    onClose: (ctx, code) => {
      if (ctx.extra.viewer) deps.log.debug({ sessionId: ctx.extra.viewer.sessionId, code }, 'websocket closed');
      ctx.extra.release?.();
    },
    onComplete: (ctx, id) => void ctx.extra.subscriptions.delete(id),
    onSubscribe: async (ctx, id, params) => {
      const connection = ctx.extra;
      const enveloped = yoga.getEnveloped({
        wsClientAddress: connection.clientAddress,
        params,
        wsViewer: connection.viewer,
        wsOutbox: connection.outbox,
      });
      const operation = new Operation(enveloped, connection, id);
      let document;
      try {
        document = enveloped.parse(params.query);
      } catch (e) {
        return [e instanceof GraphQLError ? e : new GraphQLError(String(e))];
      }
      const errors = enveloped.validate(enveloped.schema, document);
      if (errors.length) return errors;
      if (getOperationAST(document, params.operationName)?.operation === 'subscription') {
        const running = connection.subscriptions;
        if (MAX_SUBSCRIPTIONS_PER_CONNECTION > 0 && running.size >= MAX_SUBSCRIPTIONS_PER_CONNECTION) {
          const message = `Too many subscriptions on this connection: the limit is ${MAX_SUBSCRIPTIONS_PER_CONNECTION}. Complete one, or follow every joined channel with one subscription without channelId.`;
          return [toGraphQLError(new AppError('RATE_LIMITED', message, { limit: MAX_SUBSCRIPTIONS_PER_CONNECTION }))];
        }
        running.add(id);
      }
      const contextValue = await enveloped.contextFactory({ wsDirect: operation });
      return { schema: enveloped.schema, document, operationName: params.operationName, variableValues: params.variables, contextValue };
    },
  };
  return makeServer(options);
}
