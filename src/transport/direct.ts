import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { Outbox } from '../realtime/outbox.js';
import type { DirectSink } from '../schema/context.js';

const TEXT = { binary: false };
const CLOSE = Buffer.from('}');
const EMPTY = Buffer.alloc(0);

/**
 * One connection's socket as direct sinks write to it. Frames count against
 * the connection's outbox until the socket has handed them to the kernel, so
 * a client that stops reading still runs out of budget and is closed (4413).
 */
export interface DirectWire {
  socket: WebSocket;
  outbox: Outbox;
  /** The TCP stream under the WebSocket when frames may be written to it directly (see rawStream). */
  tcp: Socket | null | undefined;
  /** Frames written in this turn of the event loop, not yet given back to the outbox. */
  unflushed: number;
  /** Held until the end of this turn. The wire is in this turn's list when either is set. */
  corked: boolean;
}

export function directWire(socket: WebSocket, outbox: Outbox): DirectWire {
  return { socket, outbox, tcp: undefined, unflushed: 0, corked: false };
}

/**
 * graphql-transport-ws `next` messages of one operation, written straight to
 * its socket: the payload is serialized once for every subscriber that shares
 * it, and the frame holding it with this operation's id is built once per id
 * (clients number their operations alike, so most subscribers share a frame).
 */
export function directSink(wire: DirectWire, id: string): DirectSink {
  return {
    write(payload) {
      const { socket, outbox } = wire;
      if (socket.readyState !== socket.OPEN) return true;
      if (!outbox.take()) return false;
      if (wire.tcp === undefined) wire.tcp = rawStream(socket);
      if (wire.tcp) send(wire, frameOf(payload, id));
      else {
        const head = nextHead(id);
        socket.send(Buffer.concat([head, payload, CLOSE], head.length + payload.length + 1), TEXT, () => outbox.give());
      }
      return true;
    },
  };
}

// Keyed by the shared payload, so a frame goes when its event's payload does.
const frames = new WeakMap<Buffer, Map<string, Buffer>>();

function frameOf(payload: Buffer, id: string): Buffer {
  let byId = frames.get(payload);
  if (!byId) frames.set(payload, (byId = new Map()));
  let frame = byId.get(id);
  if (!frame) byId.set(id, (frame = textFrame(nextHead(id), payload)));
  return frame;
}

/** A `next` message up to its payload; the payload and a closing "}" follow. */
const nextHead = (id: string) => Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":`);

/**
 * The TCP stream under a WebSocket, when frames may be written to it directly:
 * the server sends only unmasked text frames, and without a negotiated
 * extension (compression) ws writes each frame at once, so frames written
 * here keep their order with those ws writes.
 */
function rawStream(socket: WebSocket): Socket | null {
  const tcp = (socket as unknown as { _socket?: Socket })._socket;
  return tcp && socket.extensions === '' ? tcp : null;
}

/** One unmasked, final text frame (RFC 6455 §5.2) holding head + payload + "}". */
function textFrame(head: Buffer, payload: Buffer): Buffer {
  const length = head.length + payload.length + 1;
  const headerLength = length < 126 ? 2 : length < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafeSlow(headerLength + length);
  frame[0] = 0x81;
  if (headerLength === 2) frame[1] = length;
  else if (headerLength === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  head.copy(frame, headerLength);
  payload.copy(frame, headerLength + head.length);
  frame[frame.length - 1] = 0x7d; // "}"
  return frame;
}

// A write system call costs far more than building a frame, so the frames a
// socket gets in one turn of the event loop leave together in one write at
// its end. When messages are sparse (no socket got two frames in the last
// turn) the first frame goes at once instead, so nothing waits for the rest
// of a large fan-out; the next frames of that turn are batched as before.
let touched: DirectWire[] = [];
let bursting = false;

function send(wire: DirectWire, frame: Buffer) {
  const tcp = wire.tcp!;
  if (wire.unflushed === 0 && !wire.corked) {
    enlist(wire);
    if (bursting) cork(wire, tcp);
  } else if (!wire.corked) cork(wire, tcp);
  wire.unflushed++;
  tcp.write(frame);
}

/**
 * Holds what the connection writes through ws (graphql-ws's replies: a
 * mutation's result and its completion) until the end of this turn, so the
 * replies to every operation that finished in the turn leave in one write.
 */
export function holdForTurn(wire: DirectWire): void {
  if (wire.corked) return;
  if (wire.tcp === undefined) wire.tcp = rawStream(wire.socket);
  if (!wire.tcp) return;
  if (wire.unflushed === 0) enlist(wire);
  cork(wire, wire.tcp);
}

function enlist(wire: DirectWire) {
  if (touched.push(wire) === 1) setImmediate(settle);
}

function cork(wire: DirectWire, tcp: Socket) {
  tcp.cork();
  wire.corked = true;
}

function settle() {
  const wires = touched;
  touched = [];
  bursting = false;
  for (const wire of wires) {
    const tcp = wire.tcp!;
    const n = wire.unflushed;
    if (n > 1) bursting = true;
    wire.unflushed = 0;
    if (wire.corked) {
      wire.corked = false;
      tcp.uncork();
    }
    if (n === 0) continue;
    // Usually the kernel took every byte at once; otherwise the budget comes
    // back when it has (writes complete in order), with one callback, not one per frame.
    if (tcp.writableLength === 0) wire.outbox.give(n);
    else tcp.write(EMPTY, () => wire.outbox.give(n));
  }
}
