import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { Outbox } from '../realtime/outbox.js';
import type { DirectSink } from '../schema/context.js';

const TEXT = { binary: false };
const CLOSE = Buffer.from('}');

/**
 * graphql-transport-ws `next` messages of one operation, written straight to
 * its socket: the payload is serialized once for every subscriber that shares
 * it, and only this operation's id is spliced in. Each message counts against
 * the connection's outbox until the socket has flushed it, so a client that
 * stops reading still runs out of budget and is closed (4413).
 */
export function directSink(socket: WebSocket, outbox: Outbox, id: string, flushed: () => void): DirectSink {
  // Built at the first write: queries and mutations get a sink too but never write to it.
  let head: Buffer | null = null;
  let tcp: Socket | null = null;
  return {
    write(payload) {
      if (socket.readyState !== socket.OPEN) return true;
      if (!outbox.take()) return false;
      if (!head) {
        head = Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":`);
        tcp = rawStream(socket);
      }
      if (tcp) {
        corkUntilIdle(tcp);
        tcp.write(textFrame(head, payload), flushed);
      } else {
        socket.send(Buffer.concat([head, payload, CLOSE], head.length + payload.length + 1), TEXT, flushed);
      }
      return true;
    },
  };
}

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
  const frame = Buffer.allocUnsafe(headerLength + length);
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
// socket gets while the event loop is busy (a burst of messages) leave in one.
const corked = new Set<Socket>();
let scheduled = false;

function uncorkAll() {
  scheduled = false;
  for (const tcp of corked) tcp.uncork();
  corked.clear();
}

function corkUntilIdle(tcp: Socket) {
  if (corked.has(tcp)) return;
  tcp.cork();
  corked.add(tcp);
  if (!scheduled) {
    scheduled = true;
    setImmediate(uncorkAll);
  }
}
