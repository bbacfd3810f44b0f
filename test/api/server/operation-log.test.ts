import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedded } from '../../helpers/backends.js';
import { sse } from '../../helpers/sse.js';
import { joinRoom, Q, startServer, subscribe, uniqueName, until, type Session, type TestServer } from '../../helpers/server.js';

const pglite = embedded;

describe('the operation log', () => {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  let server: TestServer;
  let ada: Session;
  beforeAll(async () => {
    server = await startServer(pglite, {}, { log: pino({ level: 'debug' }, sink) });
    ada = await server.signIn();
  });
  afterAll(() => server?.stop());

  const operations = (name: string) => lines.filter((l) => l.msg === 'operation' && l.operation === name);

  it('writes one line per operation with its name, type, duration, outcome and who asked, never variables or tokens', async () => {
    await server.gql('query Me { me { id } }', {}, ada.token);
    const secret = `secret-${uniqueName()}`;
    const room = await joinRoom(server, ada, uniqueName('room'));
    await server.gql(
      'mutation Say($c: ID!, $content: JSONObject!) { sendMessage(channelId: $c, content: $content) { messageId } }',
      { c: room, content: { text: secret } },
      ada.token,
    );
    await server.gql(
      'mutation Say($c: ID!, $content: JSONObject!) { sendMessage(channelId: $c, content: $content) { messageId } }',
      { c: 'room:nowhere', content: { text: secret } },
      ada.token,
    );
    await server.gql('query Broken { nope }', {}, ada.token);

    expect(operations('Me')).toEqual([
      expect.objectContaining({
        level: 30,
        type: 'query',
        code: 'OK',
        userId: ada.userId,
        sessionId: ada.sessionId,
        ms: expect.any(Number),
      }),
    ]);
    expect(operations('Say').map((l) => l.code)).toEqual(['OK', 'FORBIDDEN']);
    expect(operations('Broken')).toEqual([expect.objectContaining({ type: 'query', code: 'GRAPHQL_VALIDATION_FAILED' })]);
    const all = JSON.stringify(lines);
    expect(all).not.toContain(secret);
    expect(all).not.toContain(ada.token);
  });

  it('logs a subscription when it is set up, and WebSocket connections and SSE streams opening and closing at debug', async () => {
    const room = await joinRoom(server, ada, uniqueName('room'));
    const client = server.ws(ada);
    const sub = subscribe(client, Q.onMessage, { c: room });
    await until(() => operations('OnMessage').length === 1, 5000, 'the subscription line');
    expect(operations('OnMessage')[0]).toMatchObject({ type: 'subscription', code: 'OK', sessionId: ada.sessionId });
    expect(lines).toContainEqual(expect.objectContaining({ level: 20, msg: 'websocket connected', sessionId: ada.sessionId }));
    sub.close();
    await client.dispose();
    await until(() => lines.some((l) => l.msg === 'websocket closed' && l.sessionId === ada.sessionId), 5000, 'the close line');

    const stream = await sse(server.app.url, ada.token, Q.onMessage, { c: room });
    await until(() => lines.some((l) => l.msg === 'sse stream opened' && l.sessionId === ada.sessionId), 5000, 'the SSE open line');
    stream.abort();
    await until(() => lines.some((l) => l.msg === 'sse stream closed' && l.sessionId === ada.sessionId), 5000, 'the SSE close line');
  });
});
