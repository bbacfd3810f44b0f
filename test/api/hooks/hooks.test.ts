import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { makeConfig } from '../../../src/config.js';
import type { AfterHookArgs, HookOperation, ParleyHooks } from '../../../src/hooks/types.js';
import { createLogger } from '../../../src/lib/logger.js';
import { backends } from '../../helpers/backends.js';
import { feedsLive, joinRoom, Q, send, startServer, subscribe, uniqueName, until, type TestServer } from '../../helpers/server.js';

/** A logger whose lines a test can read. */
function capturedLog() {
  const lines: any[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { log: pino({ level: 'warn' }, stream), lines };
}

describe.each(backends())('server hooks ($name)', (backend) => {
  let server: TestServer;
  const seen: AfterHookArgs<HookOperation>[] = [];
  const { log, lines } = capturedLog();
  const moderation: ParleyHooks = {
    before: {
      sendMessage: ({ input, reject }) => {
        const text = String(input.content.text ?? '');
        if (text.includes('forbidden')) reject('FORBIDDEN', 'Moderation: this message was refused.');
        if (text.includes('secret')) return { content: { ...input.content, text: text.replaceAll('secret', '[redacted]') } };
      },
      joinChat: ({ input, reject }) => {
        if (input.target.startsWith('closed-')) reject('FORBIDDEN', `Room ${input.target} is closed.`);
      },
      updateMessage: ({ input }) => {
        const text = String(input.content.text ?? '');
        if (text.includes('secret')) return { content: { ...input.content, text: text.replaceAll('secret', '[redacted]') } };
      },
      removeMessage: ({ input, reject }) => {
        if (input.channelId.includes('archive')) reject('FORBIDDEN', 'Messages in archive rooms are kept.');
      },
      // Shows a sanitizing hook on a query: history is capped at 2 per page.
      channelMessages: ({ input }) => ({ first: Math.min(input.first, 2) }),
    },
    after: {
      sendMessage: (args) => {
        seen.push(args as AfterHookArgs<HookOperation>);
        if (String(args.input.content.text).includes('boom')) throw new Error('after hook exploded');
      },
      leaveChat: (args) => void seen.push(args as AfterHookArgs<HookOperation>),
    },
  };
  // A second set runs after the first and sees its output.
  const stamp: ParleyHooks = {
    before: { sendMessage: ({ input }) => (input.content.stamp === 'yes' ? { content: { ...input.content, stamped: true } } : undefined) },
  };

  beforeAll(async () => {
    server = await startServer(backend, {}, { hooks: [moderation, stamp], log });
  });
  afterAll(() => server?.stop());

  async function room(prefix = 'room') {
    const [ada, bob] = [await server.signIn(), await server.signIn()];
    const name = uniqueName(prefix);
    const id = await joinRoom(server, ada, name);
    await joinRoom(server, bob, name);
    const sub = subscribe(server.ws(bob), Q.onMessage, { c: id });
    await feedsLive(server, bob, 1);
    return { ada, bob, id, sub };
  }
  const history = async (token: string, c: string) =>
    (await server.gql(Q.history, { c, first: 100 }, token)).data.channelMessages.edges.map((e: any) => e.node);

  it('stores and delivers the content as a before hook sanitized it', async () => {
    const { ada, bob, id, sub } = await room();
    const ack = await send(server, ada, id, { text: 'the secret plan', stamp: 'yes' });
    const sanitized = { text: 'the [redacted] plan', stamp: 'yes', stamped: true };
    expect(await sub.next()).toMatchObject({ id: ack.messageId, content: sanitized });
    expect(await history(bob.token, id)).toEqual([expect.objectContaining({ id: ack.messageId, content: sanitized })]);
    sub.close();
  });

  it('runs before hooks on updateMessage and removeMessage', async () => {
    const { ada, bob, id, sub } = await room('archive');
    const ack = await send(server, ada, id, { text: 'draft' });
    expect((await sub.next()).id).toBe(ack.messageId);
    const update = `mutation($c: ID!, $m: ID!, $content: JSONObject!) { updateMessage(channelId: $c, messageId: $m, content: $content) { messageId code } }`;
    const updated = await server.gql(update, { c: id, m: ack.messageId, content: { text: 'the secret' } }, ada.token);
    expect(updated.data.updateMessage).toEqual({ messageId: ack.messageId, code: 1 });
    expect(await sub.next()).toMatchObject({ id: ack.messageId, code: 1, content: { text: 'the [redacted]' } });
    const removed = await server.gql(
      `mutation($c: ID!, $m: ID!) { removeMessage(channelId: $c, messageId: $m) { code } }`,
      { c: id, m: ack.messageId },
      ada.token,
    );
    expect(removed.errors?.[0]).toMatchObject({ message: 'Messages in archive rooms are kept.', extensions: { code: 'FORBIDDEN' } });
    expect(await history(bob.token, id)).toEqual([expect.objectContaining({ id: ack.messageId, content: { text: 'the [redacted]' } })]);
    sub.close();
  });

  it('refuses what a before hook rejects with its code and message, storing and sending nothing', async () => {
    const { ada, bob, id, sub } = await room();
    const r = await server.gql(Q.send, { c: id, content: { text: 'something forbidden' } }, ada.token);
    expect(r.data ?? null).toBeNull();
    expect(r.errors?.[0]).toMatchObject({ message: 'Moderation: this message was refused.', extensions: { code: 'FORBIDDEN' } });
    const marker = await send(server, ada, id, { text: 'marker' });
    // The first thing bob receives is the marker: the refused message went nowhere.
    expect((await sub.next()).id).toBe(marker.messageId);
    expect((await history(bob.token, id)).map((m: any) => m.id)).toEqual([marker.messageId]);
    sub.close();
  });

  it('refuses a join that a before hook rejects, leaving no presence', async () => {
    const ada = await server.signIn();
    const name = uniqueName('closed-room');
    const r = await server.gql(Q.join, { t: name, type: 'ROOM' }, ada.token);
    expect(r.errors?.[0]).toMatchObject({ message: `Room ${name} is closed.`, extensions: { code: 'FORBIDDEN' } });
    expect(await server.app.deps.presence.list(`room:${name}`)).toEqual([]);
  });

  it('lets a before hook change a query’s input', async () => {
    const { ada, bob, id, sub } = await room();
    for (let i = 0; i < 3; i++) await send(server, ada, id, { i });
    const page = (await server.gql(Q.history, { c: id, first: 10 }, bob.token)).data.channelMessages;
    expect(page.edges).toHaveLength(2);
    expect(page.pageInfo.hasNextPage).toBe(true);
    sub.close();
  });

  it('does not fail the operation when an after hook throws, and logs the failure', async () => {
    const { ada, id, sub } = await room();
    const ack = await send(server, ada, id, { text: 'boom' });
    expect((await sub.next()).id).toBe(ack.messageId);
    await until(
      () => lines.some((l) => l.msg === 'after hook of sendMessage failed' && l.err?.message === 'after hook exploded'),
      5000,
      'the logged failure',
    );
    sub.close();
  });

  it('gives after hooks the viewer, session, final input and result', async () => {
    const { ada, id, sub } = await room();
    const ack = await send(server, ada, id, { text: 'a secret' });
    await until(() => seen.some((a) => (a.result as any)?.messageId === ack.messageId), 5000, 'the after hook');
    const args = seen.find((a) => (a.result as any)?.messageId === ack.messageId)!;
    expect(args).toMatchObject({
      operation: 'sendMessage',
      viewer: { userId: ada.userId, sessionId: ada.sessionId, username: ada.username },
      session: { id: ada.sessionId, clientAddress: expect.stringMatching(/127\.0\.0\.1/) },
      input: { channelId: id, content: { text: 'a [redacted]' } },
    });
    expect(await server.gql(Q.leave, { c: id }, ada.token)).toMatchObject({ data: { leaveChat: true } });
    await until(() => seen.some((a) => a.operation === 'leaveChat' && a.viewer.sessionId === ada.sessionId), 5000, 'the leave hook');
    sub.close();
  });
});

describe('hooks module from configuration (HOOKS_MODULE)', () => {
  const backend = backends()[0]!;
  const env = { WORD_FILTER_WORDS: process.env.WORD_FILTER_WORDS, WORD_FILTER_MODE: process.env.WORD_FILTER_MODE };
  afterAll(() => Object.assign(process.env, env));

  async function withFilter(mode: 'sanitize' | 'reject') {
    process.env.WORD_FILTER_WORDS = 'darn, heck';
    process.env.WORD_FILTER_MODE = mode;
    return startServer(backend, { HOOKS_MODULE: './examples/word-filter-hooks.js' });
  }

  it('loads the example word filter and sanitizes what it stores and delivers', async () => {
    const server = await withFilter('sanitize');
    try {
      const [ada, bob] = [await server.signIn(), await server.signIn()];
      const name = uniqueName('room');
      const id = await joinRoom(server, ada, name);
      await joinRoom(server, bob, name);
      const sub = subscribe(server.ws(bob), Q.onMessage, { c: id });
      await feedsLive(server, bob, 1);
      const ack = await send(server, ada, id, { text: 'Darn it, what the heck!', more: { list: ['heckle', 'HECK'] } });
      const clean = { text: '**** it, what the ****!', more: { list: ['heckle', '****'] } };
      expect(await sub.next()).toMatchObject({ id: ack.messageId, content: clean });
      const stored = (await server.gql(Q.history, { c: id }, bob.token)).data.channelMessages.edges;
      expect(stored.map((e: any) => e.node.content)).toEqual([clean]);
      sub.close();
    } finally {
      await server.stop();
    }
  });

  it('in reject mode refuses the message with BAD_USER_INPUT and stores nothing', async () => {
    const server = await withFilter('reject');
    try {
      const ada = await server.signIn();
      const id = await joinRoom(server, ada, uniqueName('room'));
      const r = await server.gql(Q.send, { c: id, content: { text: 'oh heck' } }, ada.token);
      expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
      expect(r.errors?.[0]?.message).toMatch(/not allowed here/);
      await send(server, ada, id, { text: 'all fine' });
      const stored = (await server.gql(Q.history, { c: id }, ada.token)).data.channelMessages.edges;
      expect(stored.map((e: any) => e.node.content)).toEqual([{ text: 'all fine' }]);
    } finally {
      await server.stop();
    }
  });

  it('stops start-up with the module’s error when it fails to load', async () => {
    const log = createLogger('silent');
    const start = (path: string) => buildApp(makeConfig({ DATA_DIR: 'memory://', HOOKS_MODULE: path }), { log });
    await expect(start('./test/fixtures/failing-hooks.js')).rejects.toThrow(
      'HOOKS_MODULE ./test/fixtures/failing-hooks.js failed to load: moderation service key missing',
    );
    await expect(start('./test/fixtures/no-such-file.js')).rejects.toThrow(
      /HOOKS_MODULE \.\/test\/fixtures\/no-such-file\.js failed to load: Cannot find module/,
    );
    await expect(start('./test/fixtures/misspelt-hooks.js')).rejects.toThrow(/hooks\.before\.sendMesage: unknown operation/);
  });
});
