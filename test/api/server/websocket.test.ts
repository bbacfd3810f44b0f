import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { embedded } from '../../helpers/backends.js';
import { suiteServer, type Session } from '../../helpers/server.js';

/** A raw graphql-transport-ws client (or another subprotocol) that records what happens to it. */
function rawClient(url: string, options: { protocols?: string[]; autoPong?: boolean } = {}) {
  const socket = new WebSocket(url, options.protocols ?? ['graphql-transport-ws'], { autoPong: options.autoPong ?? true });
  const messages: { id?: string; type: string; payload?: any }[] = [];
  let pings = 0;
  let closed: { code: number; reason: string } | null = null;
  socket.on('message', (data) => messages.push(JSON.parse(String(data))));
  socket.on('ping', () => pings++);
  socket.on('close', (code, reason) => (closed = { code, reason: String(reason) }));
  let failed: Error | null = null;
  socket.on('error', (err) => (failed = err));
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  opened.catch(() => undefined);
  return {
    socket,
    messages,
    opened,
    get pings() {
      return pings;
    },
    get closed() {
      return closed;
    },
    get failed() {
      return failed;
    },
    send: (message: unknown) => socket.send(JSON.stringify(message)),
    async init(session: Session) {
      await opened;
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${session.token}` } }));
      await expect.poll(() => messages.some((m) => m.type === 'connection_ack'), { timeout: 5000 }).toBe(true);
    },
  };
}

describe('the WebSocket transport', () => {
  const server = suiteServer(embedded, { WS_KEEPALIVE_MS: 300 });

  it('speaks graphql-transport-ws only: another subprotocol is not chosen, and none at all is closed with 4406', async () => {
    const old = rawClient(server.wsUrl, { protocols: ['graphql-ws'] });
    await expect.poll(() => old.failed?.message, { timeout: 5000 }).toBe('Server sent no subprotocol');
    const none = rawClient(server.wsUrl, { protocols: [] });
    await expect.poll(() => none.closed, { timeout: 5000 }).toEqual({ code: 4406, reason: 'Subprotocol not acceptable' });
  });

  it('never compresses, though clients offer it: direct frames are written uncompressed', async () => {
    const client = rawClient(server.wsUrl);
    await client.opened;
    expect(client.socket.extensions).toBe('');
    client.socket.close();
  });

  it('pings every connection and keeps those that answer', async () => {
    const session = await server.signIn();
    const client = rawClient(server.wsUrl);
    await client.init(session);
    await expect.poll(() => client.pings, { timeout: 5000 }).toBeGreaterThanOrEqual(4);
    expect(client.closed).toBeNull();
    client.send({ id: 'q', type: 'subscribe', payload: { query: '{ me { id } }' } });
    await expect
      .poll(() => client.messages.find((m) => m.id === 'q' && m.type === 'next')?.payload, { timeout: 5000 })
      .toEqual({
        data: { me: { id: session.userId } },
      });
    client.socket.close();
  });

  it('drops a connection that does not answer a ping', async () => {
    const session = await server.signIn();
    const client = rawClient(server.wsUrl, { autoPong: false });
    await client.init(session);
    await expect.poll(() => client.closed?.code, { timeout: 5000 }).toBe(1006);
    expect(client.pings).toBeGreaterThanOrEqual(1);
  });

  it('closes with 4400 on a message that is not graphql-transport-ws, and keeps serving others', async () => {
    const session = await server.signIn();
    const bad = rawClient(server.wsUrl);
    await bad.init(session);
    bad.socket.send('not json');
    await expect.poll(() => bad.closed?.code, { timeout: 5000 }).toBe(4400);
    const good = rawClient(server.wsUrl);
    await good.init(session);
    good.socket.close();
  });
});
