import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Config } from '../config.js';
import { RefCounts } from '../lib/ref-counts.js';

type Limits = Pick<
  Config,
  'HTTP_HEADERS_TIMEOUT_MS' | 'HTTP_REQUEST_TIMEOUT_MS' | 'HTTP_KEEP_ALIVE_TIMEOUT_MS' | 'MAX_CONNECTIONS_PER_ADDRESS' | 'TRUST_PROXY'
>;

/** Options for http.createServer: Node checks the header and request timeouts only this often. */
export function serverOptions(c: Limits) {
  const shortest = Math.min(...[c.HTTP_HEADERS_TIMEOUT_MS, c.HTTP_REQUEST_TIMEOUT_MS].filter((t) => t > 0), 30_000);
  return { connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(shortest / 2))) };
}

/**
 * A client that sends its headers or body too slowly, or holds an idle
 * keep-alive connection, is cut off; and one address may hold only so many
 * sockets at once (not behind a proxy, where every socket is the proxy's).
 * WebSocket and SSE connections, once open, are not subject to these timeouts.
 */
export function limitConnections(server: Server, c: Limits): void {
  server.headersTimeout = c.HTTP_HEADERS_TIMEOUT_MS;
  server.requestTimeout = c.HTTP_REQUEST_TIMEOUT_MS;
  server.keepAliveTimeout = c.HTTP_KEEP_ALIVE_TIMEOUT_MS;
  if (c.MAX_CONNECTIONS_PER_ADDRESS === 0 || c.TRUST_PROXY > 0) return;
  const open = new RefCounts<string>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    if (open.count(address) >= c.MAX_CONNECTIONS_PER_ADDRESS) return void socket.destroy();
    socket.once('close', open.hold(address));
  });
}
