import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Deps } from '../deps.js';
import type { SharedBudget } from '../lib/queue.js';
import { unauthenticated } from '../lib/errors.js';
import type { Viewer } from '../modules/users/tokens.js';

/** What the transport hands yoga: over WebSocket, the viewer settled at connection init. */
export interface ServerContext {
  wsViewer?: Viewer;
  /** Over WebSocket: the connection's outgoing budget. */
  wsOutbox?: SharedBudget;
  /** The HTTP request, or the WebSocket upgrade request. */
  req?: IncomingMessage;
  /** The HTTP response (yoga's Node adapter); absent over WebSocket. */
  res?: ServerResponse;
}

export interface Context {
  deps: Deps;
  /** Null when the request carried no valid token. */
  viewer: Viewer | null;
  /** The connection's outgoing budget (WebSocket); null over HTTP/SSE, where each subscription has its own limit. */
  outbox: SharedBudget | null;
  /** Where the request came from (see TRUST_PROXY); rate limits and hooks use it. */
  clientAddress: string;
}

/** The signed-in viewer, or UNAUTHENTICATED. */
export function viewerOf(ctx: Context): Viewer {
  if (!ctx.viewer) throw unauthenticated();
  return ctx.viewer;
}
