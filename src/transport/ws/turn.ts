import type { Duplex } from 'node:stream';
import type { Outbox } from '../../realtime/outbox.js';

const EMPTY = Buffer.alloc(0);

/** A connection as the turn writer sees it: its TCP stream and what it wrote in this turn. */
export interface TurnWire {
  /** The stream under the WebSocket, from the upgrade. */
  readonly tcp: Duplex;
  /** Direct frames count against it until the kernel has them, so a client that stops reading runs out of budget (4413). */
  readonly outbox: Outbox;
  /** Direct frames written in this turn of the event loop, not yet given back to the outbox. */
  unflushed: number;
  /** Held until the end of this turn. The wire is in this turn's list when either is set. */
  corked: boolean;
}

/**
 * Batches each connection's writes per turn of the event loop. A write system
 * call costs far more than building a frame, so the frames a socket gets in
 * one turn leave together in one write at its end. When messages are sparse
 * (no socket got two frames in the last turn) the first frame goes at once
 * instead, so nothing waits for the rest of a large fan-out; the next frames
 * of that turn are batched as before. One per WebSocket server.
 */
export class TurnWriter {
  private touched: TurnWire[] = [];
  private bursting = false;
  private readonly settleTurn = () => this.settle();

  /** Writes a direct frame (its outbox slot already taken). */
  write(wire: TurnWire, frame: Buffer): void {
    if (wire.unflushed === 0 && !wire.corked) {
      this.enlist(wire);
      if (this.bursting) cork(wire);
    } else if (!wire.corked) cork(wire);
    wire.unflushed++;
    wire.tcp.write(frame);
  }

  /**
   * Holds what the connection writes through ws (graphql-ws's replies: a
   * mutation's result and its completion) until the end of this turn, so the
   * replies to every operation that finished in the turn leave in one write,
   * after the direct frames written before them.
   */
  hold(wire: TurnWire): void {
    if (wire.corked) return;
    if (wire.unflushed === 0) this.enlist(wire);
    cork(wire);
  }

  private enlist(wire: TurnWire) {
    if (this.touched.push(wire) === 1) setImmediate(this.settleTurn);
  }

  private settle() {
    const wires = this.touched;
    this.touched = [];
    this.bursting = false;
    for (const wire of wires) {
      const n = wire.unflushed;
      if (n > 1) this.bursting = true;
      wire.unflushed = 0;
      if (wire.corked) {
        wire.corked = false;
        wire.tcp.uncork();
      }
      if (n === 0) continue;
      // Usually the kernel took every byte at once; otherwise the budget comes
      // back when it has (writes complete in order), with one callback, not one per frame.
      if (wire.tcp.writableLength === 0) wire.outbox.give(n);
      else wire.tcp.write(EMPTY, () => wire.outbox.give(n));
    }
  }
}

function cork(wire: TurnWire) {
  wire.tcp.cork();
  wire.corked = true;
}
