import { describe, expect, it } from 'vitest';
import { backends } from '../../helpers/backends.js';
import { feedsLive, joinRoom, send, subscribe, suiteServer, uniqueName, type GqlResult } from '../../helpers/server.js';

// A document runs interpreted the first time and compiled (graphql-jit) from the
// second on: every answer of a compiled run must equal the interpreted one.
describe.each(backends().slice(0, 1))('compiled execution ($name)', (backend) => {
  const server = suiteServer(backend);
  const stats = () => server.app.stats().compiledExecution;

  /** Runs one document three times; returns the three answers and how many runs were compiled. */
  async function thrice(query: string, variables: Record<string, unknown>, token: string) {
    const before = stats().runs;
    const answers: GqlResult[] = [];
    for (let i = 0; i < 3; i++) answers.push(await server.gql(query, variables, token));
    return { answers, compiledRuns: stats().runs - before };
  }

  it('answers a repeated history query compiled, exactly as its first, interpreted run did', async () => {
    const ada = await server.signIn();
    const room = await joinRoom(server, ada, uniqueName('room'));
    await send(server, ada, room, { text: 'héllo 👋', n: 1, nested: { list: [1, 'two', null, { deep: true }] } });
    await send(server, ada, room, { text: 'second', empty: {} });
    const page = `query($c: ID!, $first: Int!, $full: Boolean!) {
      channelMessages(channelId: $c, first: $first) {
        edges { cursor node { ...M sender: username extra: content @include(if: $full) } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        cacheableCursor
      }
    }
    fragment M on ChannelMessage { __typename id channelId kind code senderId content createTime updateTime roomName groupId }`;
    for (const full of [true, false]) {
      const { answers, compiledRuns } = await thrice(page, { c: room, first: 1, full }, ada.token);
      expect(compiledRuns).toBe(full ? 2 : 3); // the document was compiled in the first round
      expect(answers[0]!.errors).toBeUndefined();
      expect(answers[0]!.data.channelMessages.edges[0].node).toMatchObject({ kind: 'CHAT', content: { text: 'second', empty: {} } });
      expect(Object.keys(answers[0]!.data.channelMessages.edges[0].node).includes('extra')).toBe(full);
      expect(answers[1]).toEqual(answers[0]);
      expect(answers[2]).toEqual(answers[0]);
    }
  });

  it('refuses compiled exactly as interpreted: the same errors, codes and paths', async () => {
    const [ada, bob, cy] = [await server.signIn(), await server.signIn(), await server.signIn()];
    const direct = `direct:${[bob.userId, cy.userId].sort().join(':')}`;
    const page = `query($c: ID!, $after: String, $first: Int!) { channelMessages(channelId: $c, first: $first, after: $after) { edges { cursor } } }`;
    const cases: [Record<string, unknown>, string][] = [
      [{ c: direct, first: 10 }, 'NOT_FOUND'], // someone else's direct chat
      [{ c: 'room:x', first: 10, after: 'not-a-cursor' }, 'BAD_USER_INPUT'],
      [{ c: 'room:x', first: 100_000 }, 'BAD_USER_INPUT'],
      [{ c: 'room:x', first: 'ten' }, 'BAD_USER_INPUT'], // a variable of the wrong type
    ];
    for (const [i, [variables, code]] of cases.entries()) {
      // A document of its own per case (the text differs by an alias), so each case's first answer is interpreted.
      const { answers, compiledRuns } = await thrice(page.replace('edges', `e${i}: edges`), variables, ada.token);
      expect(compiledRuns).toBe(2);
      expect(answers[0]!.errors?.[0]?.extensions?.code).toBe(code);
      expect(answers[1]).toEqual(answers[0]);
      expect(answers[2]).toEqual(answers[0]);
    }
    const signedOut = await thrice(`query { me { id } }`, {}, '');
    expect(signedOut.compiledRuns).toBe(2);
    expect(signedOut.answers[0]!.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(signedOut.answers[2]).toEqual(signedOut.answers[0]);
  });

  it('delivers subscription events compiled from the second on, shaped exactly as the first, interpreted one', async () => {
    const ada = await server.signIn();
    const room = await joinRoom(server, ada, uniqueName('room'));
    const doc = `subscription($c: ID, $full: Boolean!) {
      channelMessage(channelId: $c) { __typename id kind code content createTime who: username roomName cursor @include(if: $full) }
    }`;
    // Sent by a document that always runs interpreted (a variable inside a literal), so only the events count as runs.
    const sendDoc = `mutation($c: ID!, $t: String!, $n: Int!) { sendMessage(channelId: $c, content: { text: $t, list: [$n, { n: $n }] }) { messageId } }`;
    const live = subscribe(server.ws(ada), doc, { c: room, full: true });
    await feedsLive(server, ada, 1);
    const before = stats().runs;
    const events = [];
    for (const n of [1, 2, 3]) {
      const ack = await server.gql(sendDoc, { c: room, t: `m${n}`, n }, ada.token);
      const event = await live.next();
      expect(event).toMatchObject({
        id: ack.data.sendMessage.messageId,
        kind: 'CHAT',
        code: 0,
        content: { text: `m${n}`, list: [n, { n }] },
      });
      events.push(event);
    }
    expect(stats().runs - before).toBe(2);
    const keys = (e: object) => Object.keys(e).join(',');
    expect(keys(events[0])).toBe('__typename,id,kind,code,content,createTime,who,roomName,cursor');
    for (const e of events.slice(1)) expect(keys(e)).toBe(keys(events[0]));
    expect(new Set(events.map((e) => typeof e.createTime))).toEqual(new Set(['string']));
    // An event no service would publish (no username, a non-null field): masked as the interpreted run masks it.
    const broken = { ...events[0], id: 'broken', channelId: room, senderId: ada.userId, username: null, seq: null, persistent: false };
    await server.app.deps.pubsub.publish('channel', room, {
      type: 'message',
      message: { ...broken, updateTime: new Date(), createTime: new Date() } as never,
    });
    expect(await live.error()).toEqual([
      { message: 'Internal server error.', path: ['channelMessage', 'who'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
    ]);
    expect(stats().runs - before).toBe(3);
    live.close();
  });

  it('never compiles literals graphql-jit would turn into code or into another value', async () => {
    const ada = await server.signIn();
    const room = await joinRoom(server, ada, uniqueName('room'));
    const g = globalThis as { parleyCompiledProbe?: unknown };
    delete g.parleyCompiledProbe;
    // graphql-jit writes `"__MAGIC_DATE__<uuid>(X)"` in its generated code as `new Date(X)`.
    const marker = '__MAGIC_DATE__33a9e76d_02e0_4128_8e92_3530ad3da74d(globalThis.parleyCompiledProbe = 1)';
    const before = stats();
    for (let i = 0; i < 3; i++) {
      const signIn = await server.gql(`mutation { authenticateDevice(deviceId: ${JSON.stringify(marker)}) { user { id } } }`);
      expect(signIn.errors).toBeUndefined();
      const sent = await server.gql(
        `mutation($c: ID!) { sendMessage(channelId: $c, content: { text: ${JSON.stringify(marker)}, __proto__: { admin: true } }) { messageId } }`,
        { c: room },
        ada.token,
      );
      expect(sent.errors).toBeUndefined();
    }
    expect(g.parleyCompiledProbe).toBeUndefined();
    expect(stats().runs - before.runs).toBe(0);
    const history = await server.gql(
      `query($c: ID!) { channelMessages(channelId: $c, first: 10) { edges { node { content } } } }`,
      { c: room },
      ada.token,
    );
    const contents = history.data.channelMessages.edges.map((e: any) => e.node.content);
    expect(contents).toHaveLength(3);
    for (const c of contents) {
      expect(c.text).toBe(marker);
      expect(Object.keys(c)).toContain('__proto__');
      expect(c.admin).toBeUndefined();
    }
  });

  it('stores what each repeated send carries, including variables inside a literal (kept interpreted)', async () => {
    const ada = await server.signIn();
    const room = await joinRoom(server, ada, uniqueName('room'));
    const byVariable = `mutation($c: ID!, $content: JSONObject!) { sendMessage(channelId: $c, content: $content) { id } }`;
    const inLiteral = `mutation($c: ID!, $t: String!, $n: Int!) { sendMessage(channelId: $c, content: { text: $t, list: [$n] }) { id } }`;
    const before = stats();
    for (let i = 0; i < 3; i++) {
      expect((await server.gql(byVariable, { c: room, content: { text: `v${i}` } }, ada.token)).errors).toBeUndefined();
      expect((await server.gql(inLiteral, { c: room, t: `l${i}`, n: i }, ada.token)).errors).toBeUndefined();
    }
    expect(stats().runs - before.runs).toBe(2); // the second and third sends by variable
    const history = await server.gql(
      `query($c: ID!) { channelMessages(channelId: $c, first: 10, forward: true) { edges { node { content } } } }`,
      { c: room },
      ada.token,
    );
    expect(history.data.channelMessages.edges.map((e: any) => e.node.content)).toEqual([
      { text: 'v0' },
      { text: 'l0', list: [0] },
      { text: 'v1' },
      { text: 'l1', list: [1] },
      { text: 'v2' },
      { text: 'l2', list: [2] },
    ]);
  });
});
