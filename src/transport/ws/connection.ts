import type { Duplex } from 'node:stream';
import type { WebSocket as GraphQLWsSocket } from 'graphql-ws';
import { WebSocket } from 'ws';
import type { Viewer } from '../../domain/viewer.js';
import type { Outbox } from '../../realtime/outbox.js';
import type { FrameCache } from './frames.js';
import type { TurnWire, TurnWriter } from './turn.js';

/**
 * One WebSocket connection: the socket graphql-ws's server talks through
 * (its `WebSocket` interface), and what Parley keeps for it. It is also
 * graphql-ws's `ctx.extra`. The upgrade request is not kept.
 */
export class Connection implements GraphQLWsSocket, TurnWire {
  unflushed = 0;
  corked = false;
  /** Set when a keep-alive ping goes out, cleared by the pong. */
  awaitingPong = false;
  /** Settled at connection init. */
  viewer: Viewer | undefined = undefined;
  /** Ids of this connection's running subscriptions (queries and mutations are not counted). */
  readonly subscriptions = new Set<string>();
  /** Undoes what connection init took (counts, holds, the expiry timer). */
  release: (() => void) | undefined = undefined;

  constructor(
    readonly socket: WebSocket,
    readonly tcp: Duplex,
    readonly outbox: Outbox,
    readonly clientAddress: string,
    private readonly turn: TurnWriter,
    private readonly frames: FrameCache,
  ) {}

  get protocol(): string {
    return this.socket.protocol;
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /** graphql-ws's replies; it waits for each to reach the kernel, which bounds a connection's non-direct streams. */
  send(data: string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.isOpen) return resolve();
      this.turn.hold(this);
      // A socket that closed meanwhile is not an error: graphql-ws cleans up on close.
      this.socket.send(data, (err) => (err && this.isOpen ? reject(err) : resolve()));
    });
  }

  close(code: number, reason: string): void {
    this.socket.close(code, reason);
  }

  onMessage(handle: (data: string) => Promise<void>): void {
    this.socket.on('message', (data) => void handle(String(data)).catch((err: unknown) => this.failed(err)));
  }

  /** Set by the server: a message handler failed (a bug), so the connection closes with 1011. */
  failed: (err: unknown) => void = () => undefined;

  /** A `next` message of operation `id`, written past ws (see TurnWriter); false when the outbox is full. */
  writeNext(id: string, payload: Buffer): boolean {
    if (!this.isOpen) return true;
    if (!this.outbox.take()) return false;
    this.turn.write(this, this.frames.frameOf(payload, id));
    return true;
  }
}
