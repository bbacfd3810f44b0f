import { describe, expect, it } from 'vitest';
import { FrameScanner } from '../../bench/lib/frame-counter.js';

/** An unmasked server frame (FIN set) with the given opcode and payload. */
function frame(opcode: number, payload: Buffer): Buffer {
  const n = payload.length;
  const header = n < 126 ? Buffer.from([0x80 | opcode, n]) : Buffer.alloc(n < 65536 ? 4 : 10);
  if (n >= 126 && n < 65536) {
    header[0] = 0x80 | opcode;
    header[1] = 126;
    header.writeUInt16BE(n, 2);
  } else if (n >= 65536) {
    header[0] = 0x80 | opcode;
    header[1] = 127;
    header.writeUInt32BE(0, 2);
    header.writeUInt32BE(n, 6);
  }
  return Buffer.concat([header, payload]);
}

function scan(stream: Buffer, cuts: number[], wanted: (length: number) => boolean) {
  const seen = { frames: 0, payloads: [] as string[], pings: [] as string[] };
  const scanner = new FrameScanner({
    wanted,
    frame: (p) => {
      seen.frames++;
      if (p) seen.payloads.push(p.toString());
    },
    ping: (p) => seen.pings.push(p.toString()),
  });
  let from = 0;
  for (const cut of [...cuts, stream.length]) {
    scanner.push(stream.subarray(from, cut));
    from = cut;
  }
  return seen;
}

describe('the bench subscribers’ frame scanner', () => {
  const texts = ['{"t":1}', 'x'.repeat(300), 'y'.repeat(70_000), '2'];
  const stream = Buffer.concat([
    frame(1, Buffer.from(texts[0]!)),
    frame(9, Buffer.from('are you there')),
    frame(1, Buffer.from(texts[1]!)),
    frame(1, Buffer.from(texts[2]!)),
    frame(10, Buffer.from('pong')),
    frame(1, Buffer.from(texts[3]!)),
  ]);

  it('counts every data frame and answers pings, in one chunk', () => {
    const seen = scan(stream, [], () => true);
    expect(seen.frames).toBe(4);
    expect(seen.payloads).toEqual(texts);
    expect(seen.pings).toEqual(['are you there']);
  });

  it('finds the same frames whatever the chunk boundaries, headers and payloads split included', () => {
    for (let cut = 1; cut < stream.length; cut += cut < 400 ? 1 : 997) {
      const seen = scan(stream, [cut, Math.min(stream.length, cut + 3)], () => true);
      expect({ cut, frames: seen.frames, payloads: seen.payloads, pings: seen.pings }).toEqual({
        cut,
        frames: 4,
        payloads: texts,
        pings: ['are you there'],
      });
    }
  });

  it('counts frames whose payload is not wanted without handing it over', () => {
    const cuts = Array.from({ length: Math.floor(stream.length / 7) }, (_, i) => (i + 1) * 7);
    const seen = scan(stream, cuts, (length) => length === 1);
    expect(seen.frames).toBe(4);
    expect(seen.payloads).toEqual(['2']);
    expect(seen.pings).toEqual(['are you there']);
  });
});
