import type { Server } from 'node:http';
import type { ExecutionArgs } from 'graphql';
import { getOperationAST, GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocket, WebSocketServer } from 'ws';
import type { YogaServerInstance } from 'graphql-yoga';
import type { Deps } from '../deps.js';
import { AppError } from '../lib/errors.js';
import { toGraphQLError } from '../plugins/errors.js';
import { takeDirectStream } from '../plugins/direct-stream.js';
import { bearerToken } from '../auth/tokens.js';
import type { Viewer } from '../domain/viewer.js';
import { authenticate } from '../modules/users/users.service.js';
import type { Context, ServerContext } from '../schema/context.js';
import { Outbox, SLOW_CONSUMER_CLOSE_CODE } from '../realtime/outbox.js';
import { directSink, directWire, holdForTurn, type DirectWire } from './direct.js';
import { clientAddress } from './client-address.js';

type Extra = {
  viewer?: Viewer;
  release?: () => void;
  /** Ids of this connection's running subscriptions (queries and mutations are not counted). */
  subscriptions?: Set<string>;
  outbox?: Outbox;
  /** The socket as direct sinks write to it. */
  wire?: DirectWire;
  /** The client's address, from the upgrade request (which is then dropped). */
  clientAddress?: string;
};

/** After closing a slow consumer, how long its close handshake may take before the socket is dropped. */
const SLOW_CLOSE_TIMEOUT_MS = 5000;

/** Close code for a user at MAX_CONNECTIONS_PER_USER (counted cluster-wide with Redis): HTTP's 429 in graphql-ws's 44xx range, which its client does not retry. */
export const TOO_MANY_CONNECTIONS = 4429;
/** Close code when the connection's token expires: as at init with a bad token, so a client reconnects with a fresh one. */
export const TOKEN_EXPIRED = 4403;
/** Close code when the session was signed out or revoked: graphql-ws's client treats 4401 as final and does not retry. */
export const SESSION_ENDED = 4401;

/**
 * ws's socket, whose sends (graphql-ws's replies) are held for the rest of the
 * turn once the connection has its wire, so replies finished together leave
 * in one write, after the direct frames written before them in the turn.
 */
class TurnSocket extends WebSocket {
  wire: DirectWire | undefined = undefined;

  override send(...args: unknown[]): void {
    if (this.wire) holdForTurn(this.wire);
    (WebSocket.prototype.send as (...a: unknown[]) => void).apply(this, args);
  }
}

type Enveloped = ReturnType<YogaServerInstance<ServerContext, Context>['getEnveloped']>;

/**
 * graphql-transport-ws on the GraphQL path. Operations go through yoga's
 * envelop pipeline, so context, plugins and error masking match HTTP. A
 * connection without a valid token is refused at init with 4403.
 */
export function attachWebSocket(server: Server, yoga: YogaServerInstance<ServerContext, Context>, deps: Deps) {
  const { MAX_BODY_BYTES, MAX_SUBSCRIPTIONS_PER_CONNECTION } = deps.config;
  // A frame over the body limit closes the socket with 1009 (message too big).
  // noServer: attached to the HTTP server, ws would also re-emit its errors (a
  // port in use) as "Internal error emitted on the WebSocket server".
  const wss = new WebSocketServer({
    noServer: true,
    WebSocket: TurnSocket,
    path: yoga.graphqlEndpoint,
    ...(MAX_BODY_BYTES > 0 ? { maxPayload: MAX_BODY_BYTES } : {}),
  });
  server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)));
  let slowClosed = 0;
  const bySession = new Map<string, Set<WebSocket>>();
  deps.sessions.onEnded((sessionId) => {
    for (const socket of bySession.get(sessionId) ?? []) socket.close(SESSION_ENDED, 'Session ended: signed out or revoked');
  });
  const disposable = useServer<Record<string, unknown>, Extra>(
    {
      execute: (args) => (args.rootValue as Enveloped).execute(args as ExecutionArgs),
      subscribe: async (args) => {
        const result = await (args.rootValue as Enveloped).subscribe(args as ExecutionArgs);
        return takeDirectStream(args.contextValue) ?? result;
      },
      onConnect: async (ctx) => {
        const viewer = await authenticate(deps, bearerToken(ctx.connectionParams?.authorization));
        if (!viewer) return false;
        // A socket that closed while the token was checked has had its onClose already: count nothing for it.
        if (ctx.extra.socket.readyState !== ctx.extra.socket.OPEN) return false;
        let releaseConnection: () => void;
        try {
          releaseConnection = await deps.connections.acquire(viewer.userId);
        } catch (e) {
          if (!(e instanceof AppError) || e.code !== 'RATE_LIMITED') throw e;
          deps.counters.bump(deps.counters.rateLimited, 'connections');
          // Closing first makes graphql-ws's own close (4403) a no-op, so the client sees why.
          ctx.extra.socket.close(TOO_MANY_CONNECTIONS, e.message);
          return false;
        }
        // It may have closed while the count was taken (in Redis); then onClose has run already.
        if (ctx.extra.socket.readyState !== ctx.extra.socket.OPEN) {
          releaseConnection();
          return false;
        }
        const releaseLiveness = deps.liveness.open(viewer.sessionId);
        const releaseSession = deps.sessions.hold(viewer.sessionId);
        const socket = ctx.extra.socket;
        let sockets = bySession.get(viewer.sessionId);
        if (!sockets) bySession.set(viewer.sessionId, (sockets = new Set()));
        sockets.add(socket);
        // setTimeout waits at most 2^31-1 ms (24.8 days); a connection open that long closes and the client reconnects.
        const expiry = setTimeout(
          () => socket.close(TOKEN_EXPIRED, 'Token expired: reconnect with a fresh token'),
          Math.min(Math.max(0, (viewer.expiresAt ?? Infinity) - Date.now()), 2 ** 31 - 1),
        );
        expiry.unref();
        ctx.extra.viewer = viewer;
        // The upgrade request (headers, parser state) would otherwise live as long as the connection.
        ctx.extra.clientAddress = clientAddress(ctx.extra.request, deps.config.TRUST_PROXY);
        (ctx.extra as { request?: unknown }).request = undefined;
        ctx.extra.subscriptions = new Set();
        ctx.extra.outbox = new Outbox(deps.config.WS_MAX_BACKLOG, () => {
          slowClosed++;
          deps.log.warn({ sessionId: viewer.sessionId, backlog: deps.config.WS_MAX_BACKLOG }, 'closing a slow consumer');
          socket.close(SLOW_CONSUMER_CLOSE_CODE, 'Slow consumer: too many undelivered events');
          // A client that reads nothing never answers the close; free the socket anyway.
          setTimeout(() => socket.terminate(), SLOW_CLOSE_TIMEOUT_MS).unref();
        });
        ctx.extra.wire = directWire(socket, ctx.extra.outbox);
        (socket as TurnSocket).wire = ctx.extra.wire;
        ctx.extra.release = () => {
          clearTimeout(expiry);
          sockets.delete(socket);
          if (!sockets.size && bySession.get(viewer.sessionId) === sockets) bySession.delete(viewer.sessionId);
          releaseLiveness();
          releaseSession();
          releaseConnection();
        };
        deps.log.debug({ userId: viewer.userId, sessionId: viewer.sessionId }, 'websocket connected');
        return true;
      },
      onClose: (ctx, code) => {
        if (ctx.extra.viewer) deps.log.debug({ sessionId: ctx.extra.viewer.sessionId, code }, 'websocket closed');
        ctx.extra.release?.();
      },
      onComplete: (ctx, id) => void ctx.extra.subscriptions?.delete(id),
      onSubscribe: async (ctx, id, params) => {
        // Only what Parley's context and plugins read: spreading graphql-ws's
        // context into every operation's cost more than the rest of this function.
        const enveloped = yoga.getEnveloped({
          wsClientAddress: ctx.extra.clientAddress,
          socket: ctx.extra.socket,
          params,
          wsViewer: ctx.extra.viewer,
          wsOutbox: ctx.extra.outbox,
          wsDirect: directSink(ctx.extra.wire!, id),
        });
        let document;
        try {
          document = enveloped.parse(params.query);
        } catch (e) {
          return [e instanceof GraphQLError ? e : new GraphQLError(String(e))];
        }
        const errors = enveloped.validate(enveloped.schema, document);
        if (errors.length) return errors;
        if (getOperationAST(document, params.operationName)?.operation === 'subscription') {
          const running = ctx.extra.subscriptions!;
          if (MAX_SUBSCRIPTIONS_PER_CONNECTION > 0 && running.size >= MAX_SUBSCRIPTIONS_PER_CONNECTION) {
            const message = `Too many subscriptions on this connection: the limit is ${MAX_SUBSCRIPTIONS_PER_CONNECTION}. Complete one, or follow every joined channel with one subscription without channelId.`;
            return [toGraphQLError(new AppError('RATE_LIMITED', message, { limit: MAX_SUBSCRIPTIONS_PER_CONNECTION }))];
          }
          running.add(id);
          // graphql-ws keeps the subscribe message for as long as the subscription runs; its query
          // text (often kilobytes from Apollo or urql) is not read again once parsed.
          (params as { query: string }).query = '';
        }
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
  // graphql-ws reports socket errors with console.error; an oversized frame is the client's
  // fault and ws has already closed the socket with 1009, so log it quietly instead.
  wss.on('connection', (socket: WebSocket) => {
    socket.removeAllListeners('error');
    socket.on('error', (err) => deps.log.debug({ err }, 'websocket error'));
  });
  return {
    /** Open WebSocket connections. */
    get open() {
      return wss.clients.size;
    },
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
