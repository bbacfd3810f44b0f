import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../helpers/backends.js';
import { joinRoom, Q, send, startServer, subscribe, uniqueName, type Session, type TestServer, errorCode } from '../../helpers/server.js';

describe.each(backends())('history ($name)', (backend) => {
  let server: TestServer;
  let ada: Session;
  beforeAll(async () => {
    server = await startServer(backend);
    ada = await server.signIn();
    server.ws(ada); // keeps ada's session alive while she sends over HTTP
  });
  afterAll(() => server?.stop());

  const page = async (c: string, vars: { first?: number; after?: string | null; forward?: boolean }, token = ada.token) => {
    const r = await server.gql(Q.history, { c, ...vars }, token);
    if (!r.data) throw new Error(JSON.stringify(r.errors));
    return r.data.channelMessages;
  };

  async function fill(n: number) {
    const room = await joinRoom(server, ada, uniqueName('room'));
    for (let i = 0; i < n; i++) await send(server, ada, room, { i });
    return room;
  }

  it('pages 250 messages newest-first and oldest-first with no gap or duplicate while messages arrive', async () => {
    const room = await fill(250);
    for (const forward of [false, true]) {
      const seen: number[] = [];
      let after: string | null = null;
      let extra = 0;
      for (;;) {
        const p: any = await page(room, { first: 40, after, forward });
        seen.push(...p.edges.map((e: any) => e.node.content.i));
        // Inserts between pages must not shift what the next page returns.
        await send(server, ada, room, { i: 1000 + (forward ? 100 : 0) + extra++ });
        if (!p.pageInfo.hasNextPage) break;
        after = p.pageInfo.endCursor;
        expect(p.edges.at(-1).cursor).toBe(after);
      }
      const original = seen.filter((i) => i < 1000);
      if (forward) {
        // Oldest-first reaches the head, so it also sees what was inserted meanwhile, in order.
        expect(original).toEqual(Array.from({ length: 250 }, (_, i) => i));
        expect(seen.filter((i) => i >= 1000)).toEqual([...seen.filter((i) => i >= 1000)].sort((a, b) => a - b));
        expect(new Set(seen).size).toBe(seen.length);
      } else {
        expect(seen).toEqual(Array.from({ length: 250 }, (_, i) => 249 - i));
      }
    }
  });

  it('gives a cacheable cursor that returns exactly the newer messages, whichever direction was listed', async () => {
    const room = await fill(5);
    const newestFirst = await page(room, { first: 3 });
    const oldestFirst = await page(room, { first: 10, forward: true });
    await send(server, ada, room, { i: 5 });
    await send(server, ada, room, { i: 6 });
    for (const first of [newestFirst, oldestFirst]) {
      const newer = await page(room, { after: first.cacheableCursor, forward: true, first: 100 });
      expect(newer.edges.map((e: any) => e.node.content.i)).toEqual([5, 6]);
      const again = await page(room, { after: newer.cacheableCursor, forward: true });
      expect(again.edges).toEqual([]);
      // Empty: the cursor stays where the request started.
      expect(again.cacheableCursor).toBe(newer.cacheableCursor);
    }
    const empty = await page(await joinRoom(server, ada, uniqueName('empty')), { first: 5 });
    expect(empty.edges).toEqual([]);
    expect(empty.cacheableCursor).toEqual(expect.any(String));
  });

  it('lets a user who never joined peek at a room', async () => {
    const room = await fill(3);
    const bob = await server.signIn();
    const p = await page(room, { first: 2 }, bob.token);
    expect(p.edges.map((e: any) => e.node.content.i)).toEqual([2, 1]);
    expect(p.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
  });

  it('refuses first outside 1..100 and malformed or foreign cursors', async () => {
    const room = await fill(2);
    const other = await fill(1);
    const foreign = (await page(other, { first: 1 })).pageInfo.endCursor;
    const bad = [
      { first: 101 },
      { first: 0 },
      { first: -1 },
      { after: 'not-a-cursor' },
      { after: Buffer.from('["x"]').toString('base64url') },
      // Well-formed but past PostgreSQL's BIGINT.
      { after: Buffer.from(JSON.stringify([room, '9999999999999999999'])).toString('base64url') },
      { after: foreign },
    ];
    for (const vars of bad) {
      const r = await server.gql(Q.history, { c: room, ...vars }, ada.token);
      expect(errorCode(r), JSON.stringify(vars)).toBe('BAD_USER_INPUT');
    }
    expect((await page(room, { first: 100 })).edges).toHaveLength(2);
  });

  it('replays stored messages after a cursor, then continues live, with no gap or duplicate', async () => {
    const room = await fill(3);
    const bob = await server.signIn();
    const bobWs = server.ws(bob);
    await joinRoom(server, bob, room.slice(5));
    const cursor = (await page(room, { first: 1, forward: true })).pageInfo.endCursor; // after message 0
    const sub = subscribe(bobWs, Q.onMessage, { c: room, after: cursor });
    // Sends race with the replay: each must arrive exactly once, in order.
    const sending = (async () => {
      for (let i = 3; i < 23; i++) await send(server, ada, room, { i });
    })();
    const got: number[] = [];
    for (let i = 1; i < 23; i++) got.push((await sub.next()).content.i);
    await sending;
    expect(got).toEqual(Array.from({ length: 22 }, (_, i) => i + 1));
    sub.close();
    const badCursor = subscribe(bobWs, Q.onMessage, { c: room, after: 'garbage' });
    expect((await badCursor.error())[0].extensions.code).toBe('BAD_USER_INPUT');
    const foreign = (await page(await fill(1), { first: 1 })).pageInfo.endCursor;
    const foreignSub = subscribe(bobWs, Q.onMessage, { c: room, after: foreign });
    expect((await foreignSub.error())[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});
