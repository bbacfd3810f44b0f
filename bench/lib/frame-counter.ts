// Counting a subscriber's frames straight off its TCP stream. Through ws's
// Receiver (a Writable stream, a Buffer and an event per frame) the load
// process spent more CPU per frame than Parley does to send one, so at
// Parley's pace the figures were partly the load process's own queue. Here a
// chunk is scanned for frame headers and only the frames that matter
// (sampled subscribers' text, pings) are copied out.
import type { Socket } from 'node:net';
import type WebSocket from 'ws';

/** Where the scanner hands frames: every data frame, with its payload only when `wanted` says so. */
export interface FrameSink {
  /** Whether the payload of a data frame of this length is needed (sampled subscribers, Engine.IO pings). */
  wanted(length: number): boolean;
  frame(payload: Buffer | null): void;
  /** A WebSocket ping, to be answered with a pong carrying the same payload. */
  ping(payload: Buffer): void;
}

/** Splits a server's byte stream (unmasked frames, RFC 6455 §5.2) into frames, whatever the chunk boundaries. */
export class FrameScanner {
  /** A partial header, or a needed frame not all received yet. */
  private carry: Buffer | null = null;
  /** Bytes still to come of a counted frame whose payload is not needed. */
  private skip = 0;

  constructor(private readonly sink: FrameSink) {}

  push(chunk: Buffer): void {
    const buf = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = null;
    let at = Math.min(this.skip, buf.length);
    this.skip -= at;
    while (at < buf.length) {
      const header = headerAt(buf, at);
      if (!header) break;
      const { opcode, length, start } = header;
      const data = opcode === 1 || opcode === 2;
      const needed = opcode === 9 || (data && this.sink.wanted(length));
      if (needed && start + length > buf.length) break;
      const payload = needed ? buf.subarray(start, start + length) : null;
      if (opcode === 9) this.sink.ping(Buffer.from(payload!));
      else if (data) this.sink.frame(payload);
      at = start + length;
      if (at > buf.length) {
        this.skip = at - buf.length;
        at = buf.length;
      }
    }
    if (at < buf.length) this.carry = Buffer.from(buf.subarray(at));
  }
}

/** The header of the frame at `at`, or null when it has not all arrived. */
function headerAt(buf: Buffer, at: number): { opcode: number; length: number; start: number } | null {
  if (buf.length - at < 2) return null;
  const opcode = buf[at]! & 0x0f;
  const short = buf[at + 1]! & 0x7f;
  if (short < 126) return { opcode, length: short, start: at + 2 };
  if (short === 126) return buf.length - at < 4 ? null : { opcode, length: buf.readUInt16BE(at + 2), start: at + 4 };
  if (buf.length - at < 10) return null;
  return { opcode, length: buf.readUInt32BE(at + 2) * 2 ** 32 + buf.readUInt32BE(at + 6), start: at + 10 };
}

/**
 * Takes over the socket's reading from ws (its writing stays: sends, pongs).
 * Call it when no frame is partly received, between a request and its reply.
 */
export function countFrames(ws: WebSocket, sink: Omit<FrameSink, 'ping'>): void {
  const tcp = (ws as unknown as { _socket: Socket })._socket;
  tcp.removeAllListeners('data');
  const scanner = new FrameScanner({ ...sink, ping: (payload) => ws.pong(payload) });
  tcp.on('data', (chunk: Buffer) => scanner.push(chunk));
}
