/** A graphql-transport-ws `next` message up to its payload; the payload and a closing "}" follow. */
export const nextHead = (id: string): Buffer => Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":`);

/** One unmasked, final text frame (RFC 6455 §5.2) holding head + payload + "}". */
export function textFrame(head: Buffer, payload: Buffer): Buffer {
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

/**
 * The `next` frames of shared payloads, by operation id: a payload is
 * serialized once for every subscriber that shares it, and its frame with a
 * given id is built once (clients number their operations alike, so most
 * subscribers share a frame). Keyed by the payload, so a frame goes when its
 * event's payload does.
 */
export class FrameCache {
  private readonly frames = new WeakMap<Buffer, Map<string, Buffer>>();

  frameOf(payload: Buffer, id: string): Buffer {
    let byId = this.frames.get(payload);
    if (!byId) this.frames.set(payload, (byId = new Map()));
    let frame = byId.get(id);
    if (!frame) byId.set(id, (frame = textFrame(nextHead(id), payload)));
    return frame;
  }
}
