import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as wsModule from 'ws';
import WebSocket, { WebSocketServer } from 'ws';
import { FrameCache, nextHead, textFrame } from '../../src/transport/ws/frames.js';
import { queryTexts } from '../../src/transport/ws/query-texts.js';

// ws's own frame parser; exported by ws but not in its typings.
const { Receiver } = wsModule as any;

/** Parses `bytes` with ws's Receiver as a client would, returning the text messages. */
function parse(bytes: Buffer): string[] {
  const receiver = new Receiver({ isServer: false });
  const messages: string[] = [];
  receiver.on('message', (data: Buffer, isBinary: boolean) => {
    expect(isBinary).toBe(false);
    messages.push(data.toString());
  });
  receiver.on('error', (err: Error) => {
    throw err;
  });
  receiver.write(bytes);
  return messages;
}

describe('the direct frame encoder', () => {
  // Message lengths at each edge of RFC 6455's three length forms (7-bit, 16-bit, 64-bit).
  const head = nextHead('1');
  const lengths = [head.length + 3, 125, 126, 127, 65535, 65536, 70_000, 1 << 20];
  it.each(lengths)('writes a %i-byte next message that ws parses back exactly', (length) => {
    const payload = Buffer.from(`"${'x'.repeat(length - head.length - 3)}"`);
    const frame = textFrame(head, payload);
    expect(parse(frame)).toEqual([`${head}${payload}}`]);
    expect(parse(frame)[0]).toHaveLength(length);
  });

  it('frames a payload as graphql-transport-ws `next` messages with any operation id', () => {
    const payload = Buffer.from(JSON.stringify({ data: { channelMessage: { content: { text: 'héllo "you"' } } } }));
    const frames = new FrameCache();
    for (const id of ['1', 'a"b\\c', '🦊', '']) {
      const [message] = parse(frames.frameOf(payload, id));
      expect(JSON.parse(message!)).toEqual({ id, type: 'next', payload: JSON.parse(payload.toString()) });
    }
  });

  it('builds one frame per payload and id, shared by every subscriber with that id', () => {
    const frames = new FrameCache();
    const payload = Buffer.from('{"data":null}');
    expect(frames.frameOf(payload, '1')).toBe(frames.frameOf(payload, '1'));
    expect(frames.frameOf(payload, '2')).not.toBe(frames.frameOf(payload, '1'));
    expect(frames.frameOf(Buffer.from('{"data":null}'), '1')).not.toBe(frames.frameOf(payload, '1'));
  });
});

describe('ws under direct writes (ws is pinned exactly for this)', () => {
  // The transport writes frames to the stream the upgrade gave while ws writes its own
  // to the same stream. That keeps order only if ws writes each frame at once, with no
  // queue of its own, when no extension is negotiated. A ws release that changes it fails here.
  let server: Server;
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  let url = '';
  let onOpen: (socket: WebSocket, tcp: Duplex) => void = () => undefined;

  beforeAll(async () => {
    server = createServer();
    server.on('upgrade', (req, tcp: Duplex, head) => wss.handleUpgrade(req, tcp, head, (socket) => onOpen(socket, tcp)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    wss.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('keeps frames written past ws in order with ws sends, corked or not, and negotiates no extension', async () => {
    const frame = (n: number) => textFrame(nextHead(String(n)), Buffer.from(String(n)));
    onOpen = (socket, tcp) => {
      socket.send('1');
      tcp.write(frame(2));
      socket.send('3');
      socket.ping();
      tcp.cork();
      tcp.write(frame(4));
      socket.send('5');
      tcp.write(frame(6));
      tcp.uncork();
      socket.send('7');
    };
    // ws's client offers permessage-deflate by default; the server must not take it.
    const client = new WebSocket(url);
    const got: string[] = [];
    const all = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${JSON.stringify(got)} within 5 s`)), 5000);
      client.on('message', (data) => {
        got.push(String(data));
        if (got.length === 7) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    await all;
    expect(client.extensions).toBe('');
    const n = (s: string) => (s.startsWith('{') ? JSON.parse(s).id : s);
    expect(got.map(n)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    client.close();
  });
});

describe('query texts (the reviver that makes equal queries one string)', () => {
  it('returns equal texts, leaves other keys and long texts alone, and keeps at most its number of entries', () => {
    const revive = queryTexts(2);
    const parsed = (text: string) => JSON.parse(JSON.stringify({ payload: { query: text, variables: { n: 1 } } }), revive);
    expect(parsed('{ a }')).toEqual({ payload: { query: '{ a }', variables: { n: 1 } } });
    expect(parsed('{ a }').payload.query).toBe('{ a }');
    const long = `{ ${'a '.repeat(20_000)}}`;
    expect(parsed(long).payload.query).toBe(long);
    expect(revive('other', 'text')).toBe('text');
    expect(revive('query', 42)).toBe(42);
    for (const q of ['{ b }', '{ c }', '{ d }']) expect(parsed(q).payload.query).toBe(q);
  });
});
