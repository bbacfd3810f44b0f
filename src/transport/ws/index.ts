import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { CloseCode, handleProtocols } from 'graphql-ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Deps } from '../../deps.js';
import { Outbox, SLOW_CONSUMER_CLOSE_CODE } from '../../realtime/outbox.js';
import type { Context, ServerContext } from '../../schema/context.js';
import { clientAddress } from '../client-address.js';
import { Connection } from './connection.js';
import { FrameCache } from './frames.js';
import { keepAlive } from './keep-alive.js';
import { graphqlWsServer } from './protocol.js';
import { TurnWriter } from './turn.js';

export { TOKEN_EXPIRED, TOO_MANY_CONNECTIONS } from './protocol.js';

/** Close code when the session was signed out or revoked: graphql-ws's client treats 4401 as final and does not retry. */
export const SESSION_ENDED = 4401;

/** After closing a slow consumer, how long its close handshake may take before the socket is dropped. */
const SLOW_CLOSE_TIMEOUT_MS = 5000;

/**
 * GraphQL over WebSocket on the GraphQL path: ws accepts the upgrade,
 * graphql-ws's makeServer speaks graphql-transport-ws through each
 * Connection, and direct frames are written past ws to the stream the
 * upgrade gave (see TurnWriter; this relies on ws writing each frame at
 * once when no extension is negotiated, so ws is pinned exactly and
 * test/units/ws-wire.test.ts checks it).
 */
export function attachWebSocket(server: Server, yoga: YogaServerInstance<ServerContext, Context>, deps: Deps) {
  const { MAX_BODY_BYTES, WS_MAX_BACKLOG, WS_KEEPALIVE_MS, TRUST_PROXY } = deps.config;
  // A frame over the body limit closes the socket with 1009 (message too big).
  // noServer: attached to the HTTP server, ws would also re-emit its errors (a
  // port in use) as "Internal error emitted on the WebSocket server".
  const wss = new WebSocketServer({
    noServer: true,
    path: yoga.graphqlEndpoint,
    perMessageDeflate: false,
    handleProtocols: (protocols) => handleProtocols(protocols) || false,
    ...(MAX_BODY_BYTES > 0 ? { maxPayload: MAX_BODY_BYTES } : {}),
  });
  const turn = new TurnWriter();
  const frames = new FrameCache();
  const connections = new Set<Connection>();
  const bySession = new Map<string, Set<Connection>>();
  let slowClosed = 0;

  deps.sessions.onEnded((sessionId) => {
    for (const connection of bySession.get(sessionId) ?? []) connection.close(SESSION_ENDED, 'Session ended: signed out or revoked');
  });

  const protocol = graphqlWsServer(yoga, deps, (connection) => {
    const { sessionId } = connection.viewer!;
    const releaseLiveness = deps.liveness.open(sessionId);
    const releaseSession = deps.sessions.hold(sessionId);
    let same = bySession.get(sessionId);
    if (!same) bySession.set(sessionId, (same = new Set()));
    same.add(connection);
    return () => {
      same.delete(connection);
      if (!same.size && bySession.get(sessionId) === same) bySession.delete(sessionId);
      releaseLiveness();
      releaseSession();
    };
  });

  function opened(socket: WebSocket, tcp: Duplex, request: IncomingMessage) {
    const outbox = new Outbox(WS_MAX_BACKLOG, () => {
      slowClosed++;
      deps.log.warn({ sessionId: connection.viewer?.sessionId, backlog: WS_MAX_BACKLOG }, 'closing a slow consumer');
      socket.close(SLOW_CONSUMER_CLOSE_CODE, 'Slow consumer: too many undelivered events');
      // A client that reads nothing never answers the close; free the socket anyway.
      setTimeout(() => socket.terminate(), SLOW_CLOSE_TIMEOUT_MS).unref();
    });
    const connection = new Connection(socket, tcp, outbox, clientAddress(request, TRUST_PROXY), turn, frames);
    connection.failed = (err) => {
      deps.log.error({ err }, 'a WebSocket message handler failed');
      socket.close(CloseCode.InternalServerError, 'Internal server error');
    };
    // An oversized frame is the client's fault, and ws has already closed the socket with 1009.
    socket.on('error', (err) => deps.log.debug({ err }, 'websocket error'));
    socket.on('pong', () => void (connection.awaitingPong = false));
    connections.add(connection);
    const closed = protocol.opened(connection, connection);
    socket.once('close', (code, reason) => {
      connections.delete(connection);
      void closed(code, String(reason));
    });
  }

  server.on('upgrade', (request: IncomingMessage, tcp: Duplex, head: Buffer) =>
    wss.handleUpgrade(request, tcp, head, (socket) => opened(socket, tcp, request)),
  );
  const stopPinging = keepAlive(connections, WS_KEEPALIVE_MS);

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
      stopPinging();
      for (const socket of wss.clients) socket.close(1001, 'Server shutting down');
      await new Promise<void>((resolve, reject) => wss.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
