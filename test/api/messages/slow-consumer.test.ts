import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SLOW_CONSUMER_CLOSE_CODE } from '../../../src/realtime/outbox.js';
import { backends } from '../../helpers/backends.js';
import {
  feedsLive,
  joinRoom,
  Q,
  send,
  startServer,
  subscribe,
  uniqueName,
  until,
  type Session,
  type TestServer,
  suiteServer,
} from '../../helpers/server.js';
import { S } from '../../helpers/social.js';
import { operationText, type Operation } from '../../helpers/operation.js';

/** A graphql-transport-ws client on a raw socket, so the test can stop reading from it. */
async function rawSubscriber(
  server: TestServer,
  session: Session,
  channelId: string,
  subscription: { query: Operation; variables: Record<string, unknown> } = { query: Q.onMessage, variables: { c: channelId } },
) {
  const socket = new WebSocket(server.wsUrl, 'graphql-transport-ws');
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  let received = 0;
  socket.on('message', (data) => {
    const msg = JSON.parse(String(data));
    if (msg.type === 'connection_ack') {
      socket.send(
        JSON.stringify({
          id: '1',
          type: 'subscribe',
          payload: { query: operationText(subscription.query), variables: subscription.variables },
        }),
      );
    } else if (msg.type === 'next') received++;
  });
  socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${session.token}` } })));
  await feedsLive(server, session, 1);
  const tcp = (socket as unknown as { _socket: import('node:net').Socket })._socket;
  return {
    stopReading: () => tcp.pause(),
    resumeReading: () => tcp.resume(),
    closed,
    received: () => received,
  };
}

// One backend is enough: the messages are not stored (persistence: false), so the database is not involved.
describe('slow consumers', () => {
  const server = suiteServer(backends()[0]!, { WS_MAX_BACKLOG: 20, MAX_MESSAGE_BYTES: 64 * 1024 });

  it('closes a client that stops reading with the documented code, while others keep receiving', async () => {
    const [ada, slow, normal] = [await server.signIn(), await server.signIn(), await server.signIn()];
    const name = uniqueName('room');
    const room = await joinRoom(server, ada, name, { persistence: false });
    await joinRoom(server, slow, name);
    await joinRoom(server, normal, name);
    const slowClient = await rawSubscriber(server, slow, room);
    const sub = subscribe(server.ws(normal), Q.onMessage, { c: room });
    await feedsLive(server, normal, 1);
    slowClient.stopReading();

    // ~60 KB per message: the socket buffers fill, then the slow client's queue, then the budget runs out.
    const filler = 'x'.repeat(60 * 1024);
    let sent = 0;
    while (server.app.stats().slowConsumersClosed === 0) {
      if (sent >= 3000) throw new Error('the slow consumer was never closed');
      await Promise.all(Array.from({ length: 10 }, (_, i) => send(server, ada, room, { i: sent + i, filler })));
      sent += 10;
    }
    // The raw subscriber took the direct path (frames written straight to its socket), which this limit must cover too.
    expect(server.app.stats().sharedExecution.direct).toBeGreaterThan(0);
    // Its subscription is gone at once (its queue released), long before the socket's close completes.
    await until(() => server.app.deps.feeds.count(slow.sessionId) === 0, 5000, 'the slow feed to end');

    const seen = new Set<number>();
    for (let i = 0; i < sent; i++) seen.add((await sub.next(10_000)).content.i);
    expect(seen.size).toBe(sent);
    sub.close();

    slowClient.resumeReading();
    expect(await slowClient.closed).toBe(SLOW_CONSUMER_CLOSE_CODE);
    // It got what the socket buffers held, not the whole stream.
    expect(slowClient.received()).toBeLessThan(sent);
  });

  it('closes a client flooded by notifications it does not read, as it closes one flooded by messages', async () => {
    const reader = await server.signIn();
    const before = server.app.stats().slowConsumersClosed;
    const client = await rawSubscriber(server, reader, '', { query: S.onNotification, variables: {} });
    client.stopReading();
    // ~60 KB notifications on the user's topic, as the notification service publishes them once stored.
    const content = { filler: 'x'.repeat(60 * 1024) };
    let published = 0;
    while (server.app.stats().slowConsumersClosed === before) {
      if (published >= 3000) throw new Error('the client flooded by notifications was never closed');
      for (let i = 0; i < 10; i++, published++) {
        const notification = {
          id: `flood-${published}`,
          userId: reader.userId,
          code: -1,
          subject: 'flood',
          content,
          senderId: null,
          createTime: new Date(),
          read: false,
        };
        await server.app.deps.pubsub.publish('user', reader.userId, { type: 'notification', notification });
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    await until(() => server.app.deps.feeds.count(reader.sessionId) === 0, 5000, 'the notification feed to end');
    client.resumeReading();
    expect(await client.closed).toBe(SLOW_CONSUMER_CLOSE_CODE);
    expect(client.received()).toBeLessThan(published);
  });

  it('gives a paused client its budget back once it reads again, so pauses shorter than the backlog never close it', async () => {
    // Messages of ~1 MB, so 19 of them are more than the socket buffers take while the client does not read.
    const big = await startServer(backends()[0]!, { WS_MAX_BACKLOG: 20, MAX_MESSAGE_BYTES: 1100 * 1024, MAX_BODY_BYTES: 1200 * 1024 });
    try {
      const [ada, reader] = [await big.signIn(), await big.signIn()];
      const name = uniqueName('room');
      const room = await joinRoom(big, ada, name, { persistence: false });
      await joinRoom(big, reader, name);
      const client = await rawSubscriber(big, reader, room);
      const filler = 'x'.repeat(1024 * 1024);
      // Three pauses of 19 messages: 57 in all, near three times WS_MAX_BACKLOG.
      for (let round = 0; round < 3; round++) {
        client.stopReading();
        await Promise.all(Array.from({ length: 19 }, (_, i) => send(big, ada, room, { round, i, filler })));
        client.resumeReading();
        await until(() => client.received() === 19 * (round + 1), 20_000, `round ${round} to arrive`);
      }
      expect(big.app.stats().slowConsumersClosed).toBe(0);
    } finally {
      await big.stop();
    }
  });
});
