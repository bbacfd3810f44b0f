import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Deps } from '../deps.js';
import type { HookRegistry } from '../hooks/registry.js';
import type { Pipeable, SharedBudget } from '../lib/queue.js';
import { unauthenticated } from '../lib/errors.js';
import type { Viewer } from '../domain/viewer.js';

/**
 * Over WebSocket: one operation's way to its socket, for results serialized
 * once and shared by many subscribers (see shared-execution.ts). The
 * WebSocket transport (src/transport/ws) implements it.
 */
export interface DirectSink {
  /**
   * Takes over a subscription's source stream: each event's `next` payload
   * (`payloadFor`, serialized JSON) is written straight to the socket as the
   * event arrives. Returns the iterator subscribe returns; it yields nothing
   * and ends when the stream does (with `toError` of its failure, masked).
   */
  pipe(
    source: Pipeable,
    payloadFor: (event: unknown) => Buffer | Promise<Buffer>,
    toError: (error: unknown) => Error,
  ): AsyncIterableIterator<never>;
}

/** What the transport hands yoga: over WebSocket, the viewer settled at connection init. */
export interface ServerContext {
  wsViewer?: Viewer;
  /** Over WebSocket: the connection's outgoing budget. */
  wsOutbox?: SharedBudget;
  /** Over WebSocket: this operation's direct sink. */
  wsDirect?: DirectSink;
  /** Over WebSocket: the client's address, read from the upgrade request at connection init. */
  wsClientAddress?: string;
  /** The HTTP request; absent over WebSocket (the upgrade request is not kept). */
  req?: IncomingMessage;
  /** The HTTP response (yoga's Node adapter); absent over WebSocket. */
  res?: ServerResponse;
}

export interface Context {
  deps: Deps;
  /** Operator hooks, run here at the GraphQL edge around the services (src/hooks). */
  hooks: HookRegistry;
  /** Null when the request carried no valid token. */
  viewer: Viewer | null;
  /** The connection's outgoing budget (WebSocket); null over HTTP/SSE, where each subscription has its own limit. */
  outbox: SharedBudget | null;
  /** This operation's direct sink (WebSocket); null over HTTP/SSE. */
  direct: DirectSink | null;
  /** Where the request came from (see TRUST_PROXY); rate limits and hooks use it. */
  clientAddress: string;
}

/** The signed-in viewer, or UNAUTHENTICATED. */
export function viewerOf(ctx: Context): Viewer {
  if (!ctx.viewer) throw unauthenticated();
  return ctx.viewer;
}
