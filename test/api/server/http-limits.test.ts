import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config.js';
import { embedded } from '../../helpers/backends.js';
import { startServer, type TestServer } from '../../helpers/server.js';

const pglite = embedded;

/** A raw TCP connection to the server, with what it received and whether it has closed. */
async function raw(server: TestServer) {
  const url = new URL(server.app.url);
  const socket: Socket = connect(Number(url.port), url.hostname);
  let received = '';
  let closed = false;
  socket.on('data', (d) => (received += d));
  socket.on('error', () => {});
  const ended = once(socket, 'close').then(() => (closed = true));
  await once(socket, 'connect');
  return { socket, ended, received: () => received, closed: () => closed };
}

/** Resolves true if the socket closes within `ms`, false otherwise (no fixed sleep when it closes). */
const closesWithin = (c: { ended: Promise<unknown> }, ms: number) =>
  Promise.race([c.ended.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms).unref())]);

async function health(c: Awaited<ReturnType<typeof raw>>) {
  c.socket.write('GET /health HTTP/1.1\r\nHost: parley\r\n\r\n');
  const deadline = Date.now() + 5000;
  while (!c.received().includes('"status"') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return c.received();
}

describe('HTTP connection limits', () => {
  let slow: TestServer, capped: TestServer;
  beforeAll(async () => {
    [slow, capped] = await Promise.all([
      startServer(pglite, { HTTP_HEADERS_TIMEOUT_MS: 1000, HTTP_REQUEST_TIMEOUT_MS: 2000, HTTP_KEEP_ALIVE_TIMEOUT_MS: 1000 }),
      startServer(pglite, { MAX_CONNECTIONS_PER_ADDRESS: 3 }),
    ]);
  });
  afterAll(() => Promise.all([slow?.stop(), capped?.stop()]));

  it('cuts off a client that never finishes its headers, and an idle keep-alive connection', async () => {
    const partial = await raw(slow);
    partial.socket.write('GET /health HTTP/1.1\r\nHost: parley\r\n'); // the blank line never comes
    expect(await closesWithin(partial, 8000)).toBe(true);
    expect(partial.received()).toMatch(/^HTTP\/1\.1 408/);

    const idle = await raw(slow);
    expect(await health(idle)).toMatch(/"status":"ok"/);
    expect(await closesWithin(idle, 3500)).toBe(true); // Node alone would wait 5 s
  });

  it('holds at most MAX_CONNECTIONS_PER_ADDRESS sockets of one address, and takes a new one once one closes', async () => {
    const held = [await raw(capped), await raw(capped), await raw(capped)];
    const extra = await raw(capped);
    expect(await closesWithin(extra, 5000)).toBe(true);
    expect(await health(held[0]!)).toMatch(/"status":"ok"/);
    held[1]!.socket.destroy();
    await held[1]!.ended;
    const again = await raw(capped);
    expect(await health(again)).toMatch(/"status":"ok"/);
    for (const c of [held[0]!, held[2]!, again]) c.socket.destroy();
  });

  it('refuses a header timeout longer than the request timeout', () => {
    expect(() => parseConfig({ HTTP_HEADERS_TIMEOUT_MS: '40000', HTTP_REQUEST_TIMEOUT_MS: '30000' })).toThrow(/HTTP_HEADERS_TIMEOUT_MS/);
    expect(parseConfig({}).MAX_CONNECTIONS_PER_ADDRESS).toBe(1024);
  });
});
