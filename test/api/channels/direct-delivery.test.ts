import { describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { backends } from '../../helpers/backends.js';
import { feedsLive, joinRoom, Q, send, subscribe, uniqueName, until, suiteServer } from '../../helpers/server.js';
import { sse } from '../../helpers/sse.js';

// WebSocket subscribers of a shared selection get frames built from one
// serialization per event (src/transport/ws/); SSE subscribers go
// through yoga's usual result pipeline. Both must see the same thing.
describe.each(backends())('direct WebSocket delivery ($name)', (backend) => {
  const server = suiteServer(backend, { MAX_MESSAGE_BYTES: 200 * 1024, MAX_BODY_BYTES: 256 * 1024 });

  const direct = () => server.app.stats().sharedExecution.direct;

  async function roomWithListeners() {
    const [ada, bob, cy] = [await server.signIn(), await server.signIn(), await server.signIn()];
    const room = await joinRoom(server, ada, uniqueName('room'));
    await joinRoom(server, bob, room.slice('room:'.length));
    await joinRoom(server, cy, room.slice('room:'.length));
    const ws = subscribe(server.ws(bob), Q.onMessage, { c: room });
    const stream = await sse(server.url, cy.token, Q.onMessage, { c: room });
    await feedsLive(server, bob, 1);
    await feedsLive(server, cy, 1);
    return { ada, bob, cy, room, ws, stream };
  }

  it('sends the same messages as SSE, for frames of every length encoding (7-bit, 16-bit and 64-bit)', async () => {
    const { ada, room, ws, stream } = await roomWithListeners();
    for (const size of [10, 1_000, 100_000]) {
      const before = direct();
      const ack = await send(server, ada, room, { text: 'x'.repeat(size) });
      const overWs = await ws.next();
      const overSse = await stream.next();
      expect(overSse.errors).toBeUndefined();
      expect(overWs).toEqual(overSse.data!.channelMessage);
      expect(overWs).toMatchObject({ id: ack.messageId, content: { text: 'x'.repeat(size) } });
      // Only the WebSocket subscriber took the direct path.
      expect(direct() - before).toBe(1);
    }
    ws.close();
    stream.abort();
  });

  it('masks a failing field exactly as SSE does, without revealing the cause', async () => {
    const { ada, room, ws, stream } = await roomWithListeners();
    // An event no service would publish: a message without a username (a non-null field).
    const broken = {
      id: uuidv7(),
      channelId: room,
      seq: null,
      code: 0,
      senderId: ada.userId,
      username: null,
      content: {},
      createTime: new Date(),
      updateTime: new Date(),
      persistent: false,
    };
    await server.app.deps.pubsub.publish('channel', room, { type: 'message', message: broken as never });
    const overWs = await ws.error();
    const overSse = await stream.next();
    expect(overWs).toEqual(overSse.errors);
    expect(overWs).toEqual([expect.objectContaining({ message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } })]);
    // The subscription goes on.
    const ack = await send(server, ada, room, { text: 'after' });
    expect(await ws.next()).toMatchObject({ id: ack.messageId });
    ws.close();
    stream.abort();
  });

  it('keeps each subscription in order when direct and replayed subscriptions share a connection', async () => {
    const [ada, bob] = [await server.signIn(), await server.signIn()];
    const room = await joinRoom(server, ada, uniqueName('room'));
    await joinRoom(server, bob, room.slice('room:'.length));
    const first = await send(server, ada, room, { n: 0 });
    const client = server.ws(bob);
    const live = subscribe(client, Q.onMessage, { c: room });
    await feedsLive(server, bob, 1);
    // With `after`, the stored messages are replayed first: that subscription takes the iterator path.
    const history = await server.gql(Q.history, { c: room, first: 1 }, bob.token);
    const replay = subscribe(client, Q.onMessage, { after: history.data.channelMessages.edges[0].cursor });
    await feedsLive(server, bob, 2);
    const before = direct();
    const acks = await Promise.all(Array.from({ length: 50 }, (_, i) => send(server, ada, room, { n: i + 1 })));
    const ids = acks.map((a) => a.messageId);
    // The server accepted them in some order; every subscription must see that same order.
    const order = (await server.gql(Q.history, { c: room, first: 51, forward: true }, bob.token)).data.channelMessages.edges
      .map((e: { node: { id: string } }) => e.node.id)
      .filter((id: string) => id !== first.messageId);
    expect([...order].sort()).toEqual([...ids].sort());
    for (const sub of [live, replay]) {
      const got = [];
      for (let i = 0; i < 50; i++) got.push((await sub.next()).id);
      expect(got).toEqual(order);
      sub.close();
    }
    expect(direct() - before).toBe(50);
    await until(() => server.app.deps.feeds.count(bob.sessionId) === 0, 5000, 'the feeds to end at complete');
  });
});
