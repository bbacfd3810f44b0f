import { describe, expect, it } from 'vitest';
import { backends } from '../../helpers/backends.js';
import { feedsLive, joinRoom, pairInRoom, Q, send, subscribe, uniqueName, until, suiteServer, errorCode } from '../../helpers/server.js';
import { operationText } from '../../helpers/operation.js';

describe.each(backends())('messages ($name)', (backend) => {
  const server = suiteServer(backend, { MAX_MESSAGE_BYTES: 4096 });

  const historyOf = async (token: string, c: string) =>
    (await server.gql(Q.history, { c, first: 100 }, token)).data.channelMessages.edges.map((e: any) => e.node);

  it('delivers to every joined session, the sender and hidden ones included, and acknowledges', async () => {
    const [ada, bob, ghost] = [await server.signIn(), await server.signIn(), await server.signIn()];
    const name = uniqueName('room');
    const room = await joinRoom(server, ada, name);
    await joinRoom(server, bob, name);
    await joinRoom(server, ghost, name, { hidden: true });
    const subs = [ada, bob, ghost].map((s) => subscribe(server.ws(s), Q.onMessage, { c: room }));
    for (const s of [ada, bob, ghost]) await feedsLive(server, s, 1);
    const ack = await send(server, ada, room, { text: 'hello', n: 1 });
    expect(ack).toMatchObject({ channelId: room, code: 0, username: ada.username, persistent: true, roomName: name, groupId: null });
    expect(ack.createTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    for (const sub of subs) {
      const m = await sub.next();
      expect(m).toMatchObject({
        id: ack.messageId,
        channelId: room,
        code: 0,
        senderId: ada.userId,
        username: ada.username,
        content: { text: 'hello', n: 1 },
        persistent: true,
        roomName: name,
        createTime: ack.createTime,
      });
      sub.close();
    }
    const stored = await historyOf(bob.token, room);
    // The same instant live, in the acknowledgement and in history, whatever the server's time zone.
    expect(stored).toEqual([
      expect.objectContaining({
        id: ack.messageId,
        content: { text: 'hello', n: 1 },
        createTime: ack.createTime,
        updateTime: ack.createTime,
      }),
    ]);
  });

  it('broadcasts but never stores messages of a session joined with persistence: false', async () => {
    const [ada, bob] = [await server.signIn(), await server.signIn()];
    const name = uniqueName('room');
    const room = await joinRoom(server, ada, name, { persistence: false });
    await joinRoom(server, bob, name);
    const sub = subscribe(server.ws(bob), Q.onMessage, { c: room });
    await feedsLive(server, bob, 1);
    const ack = await send(server, ada, room, { text: 'ephemeral' });
    expect(ack.persistent).toBe(false);
    expect(await sub.next()).toMatchObject({ id: ack.messageId, persistent: false, content: { text: 'ephemeral' } });
    await send(server, bob, room, { text: 'kept' });
    expect((await sub.next()).content).toEqual({ text: 'kept' });
    expect((await historyOf(bob.token, room)).map((m: any) => m.content)).toEqual([{ text: 'kept' }]);
    sub.close();
  });

  it('delivers 100 rapid messages in the order the server accepted them', async () => {
    const { ada, bob, room, sub } = await pairInRoom(server);
    const acks = await Promise.all(Array.from({ length: 100 }, (_, i) => send(server, ada, room, { i })));
    const received = [];
    for (let i = 0; i < 100; i++) received.push(await sub.next());
    const history = (await server.gql(Q.history, { c: room, first: 100, forward: true }, bob.token)).data.channelMessages.edges;
    // Live order is history order, and every acknowledged message arrived once.
    expect(received.map((m) => m.id)).toEqual(history.map((e: any) => e.node.id));
    expect(new Set(received.map((m) => m.id))).toEqual(new Set(acks.map((a) => a.messageId)));
    sub.close();
  });

  it('stores sends that queued on a busy channel together, in order, and refuses only those of a session that left meanwhile', async () => {
    const [ada, eve, carl, bob] = [await server.signIn(), await server.signIn(), await server.signIn(), await server.signIn()];
    const name = uniqueName('room');
    const room = await joinRoom(server, ada, name);
    await joinRoom(server, eve, name, { persistence: false });
    await joinRoom(server, carl, name);
    await joinRoom(server, bob, name);
    const sub = subscribe(server.ws(bob), Q.onMessage, { c: room });
    await feedsLive(server, bob, 1);

    // Hold the channel's lock, as a slow write would, while 30 sends queue behind it.
    const { deps } = server.app;
    let release!: () => void;
    const held = deps.channelLock.run(room, () => new Promise<void>((r) => (release = r)));
    const senders = [ada, eve, carl];
    const results = Array.from({ length: 30 }, (_, i) => server.gql(Q.send, { c: room, content: { i } }, senders[i % 3]!.token));
    await until(() => deps.channelLock.queued(room) === 30, 5000, '30 queued sends');
    expect(await server.gql(Q.leave, { c: room }, carl.token)).toMatchObject({ data: { leaveChat: true } });
    const before = deps.db.queries;
    release();
    await held;
    const answers = await Promise.all(results);

    answers.forEach((r, i) => {
      if (i % 3 === 2) expect(errorCode(r), `carl's send ${i}`).toBe('FORBIDDEN');
      else expect(r.data?.sendMessage, `send ${i}`).toMatchObject({ channelId: room, persistent: i % 3 === 0 });
    });
    // Ada's ten messages took one statement, not ten.
    expect(deps.db.queries - before).toBe(1);
    const accepted = answers.filter((r) => r.data).map((r) => r.data.sendMessage.messageId);
    const received: any[] = [];
    for (let i = 0; i < accepted.length; i++) received.push(await sub.next());
    expect(received.map((m) => m.id).sort()).toEqual([...accepted].sort());
    const stored = (await server.gql(Q.history, { c: room, first: 100, forward: true }, bob.token)).data.channelMessages.edges.map(
      (e: any) => e.node,
    );
    expect(stored.map((m: any) => m.senderId)).toEqual(Array(10).fill(ada.userId));
    // Live order is history order, with the never-stored messages in the places they were sent.
    expect(received.filter((m) => m.persistent).map((m) => m.id)).toEqual(stored.map((m: any) => m.id));
    sub.close();
  });

  it('refuses content that is not a JSON object or is too large, storing and sending nothing', async () => {
    const { ada, room, sub } = await pairInRoom(server);
    // Valid JSON that PostgreSQL cannot store (NUL, an unpaired surrogate) is refused as clearly.
    for (const content of [[1, 2], 'text', 42, null, { s: 'a\u0000b' }, { 'k\u0000': 1 }, { s: '\ud800' }]) {
      const r = await server.gql(Q.send, { c: room, content }, ada.token);
      expect(errorCode(r), JSON.stringify(content)).toBe('BAD_USER_INPUT');
      expect(r.data ?? null).toBeNull();
    }
    const big = await server.gql(Q.send, { c: room, content: { text: 'x'.repeat(4096) } }, ada.token);
    expect(big.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', maxBytes: 4096 } });
    expect(big.errors?.[0]?.message).toMatch(/limit is 4096/);
    // Exactly at the limit is fine: {"t":"…"} is 8 bytes of overhead.
    const fits = await send(server, ada, room, { t: 'é'.repeat((4096 - 8) / 2) });
    const literal = await server.gql(
      `mutation { sendMessage(channelId: ${JSON.stringify(room)}, content: [1]) { messageId } }`,
      {},
      ada.token,
    );
    expect(errorCode(literal)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect((await sub.next()).id).toBe(fits.messageId);
    expect(await historyOf(ada.token, room)).toHaveLength(1);
    sub.close();
  });

  it('refuses content nested too deep without running out of stack, and keeps keys such as __proto__ as given', async () => {
    const { ada, bob, room, sub } = await pairInRoom(server);
    // Raw request bodies: a client library would itself overflow building 5,000 levels.
    const post = async (content: string) => {
      const body = `{"query":${JSON.stringify(operationText(Q.send))},"variables":{"c":${JSON.stringify(room)},"content":${content}}}`;
      const res = await fetch(server.app.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ada.token}` },
        body,
      });
      return (await res.json()) as any;
    };
    for (const depth of [33, 700]) {
      const r = await post('{"a":'.repeat(depth - 1) + '{"x":1}' + '}'.repeat(depth - 1));
      expect(r.errors?.[0], `depth ${depth}`).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', maxDepth: 32 } });
    }
    const deepest = await post('{"a":'.repeat(31) + '{"x":1}' + '}'.repeat(31));
    expect(deepest.data?.sendMessage?.messageId).toEqual(expect.any(String));
    const proto = await post('{"__proto__":{"admin":true},"text":"hi"}');
    const live = [await sub.next(), await sub.next()];
    expect(live.map((m) => m.id)).toEqual([deepest.data.sendMessage.messageId, proto.data.sendMessage.messageId]);
    const stored = await historyOf(bob.token, room);
    for (const content of [live[1].content, stored[0].content]) {
      expect(Object.keys(content).sort()).toEqual(['__proto__', 'text']);
      expect(Object.getOwnPropertyDescriptor(content, '__proto__')?.value).toEqual({ admin: true });
    }
    expect(stored).toHaveLength(2);
    // An edit keeps such keys too.
    const UPDATE = `mutation($c: ID!, $m: ID!, $content: JSONObject!) { updateMessage(channelId: $c, messageId: $m, content: $content) { messageId } }`;
    const edit = `{"query":${JSON.stringify(UPDATE)},"variables":{"c":${JSON.stringify(room)},"m":${JSON.stringify(proto.data.sendMessage.messageId)},"content":{"__proto__":{"admin":false},"text":"edited"}}}`;
    const edited = await (
      await fetch(server.app.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ada.token}` },
        body: edit,
      })
    ).json();
    expect(edited.data?.updateMessage?.messageId).toBe(proto.data.sendMessage.messageId);
    const update = await sub.next();
    const afterEdit = (await historyOf(bob.token, room))[0].content;
    for (const content of [update.content, afterEdit]) {
      expect(Object.keys(content).sort()).toEqual(['__proto__', 'text']);
      expect(Object.getOwnPropertyDescriptor(content, '__proto__')?.value).toEqual({ admin: false });
    }
    sub.close();
  });

  it('refuses to send or subscribe without joining, and unknown channels', async () => {
    const [ada, bob] = [await server.signIn(), await server.signIn()];
    const name = uniqueName('room');
    const room = await joinRoom(server, ada, name);
    const sub = subscribe(server.ws(ada), Q.onMessage, { c: room });
    await feedsLive(server, ada, 1);
    const r = await server.gql(Q.send, { c: room, content: { text: 'sneaky' } }, bob.token);
    expect(errorCode(r)).toBe('FORBIDDEN');
    const refused = subscribe(server.ws(bob), Q.onMessage, { c: room });
    expect((await refused.error())[0].extensions.code).toBe('FORBIDDEN');
    const presenceRefused = subscribe(server.ws(bob), Q.onPresence, { c: room });
    expect((await presenceRefused.error())[0].extensions.code).toBe('FORBIDDEN');
    const unknown = await server.gql(Q.send, { c: 'nonsense', content: { a: 1 } }, ada.token);
    expect(errorCode(unknown)).toBe('NOT_FOUND');
    const marker = await send(server, ada, room, { text: 'marker' });
    // The first thing ada receives is her own marker: the refused send went nowhere.
    expect((await sub.next()).id).toBe(marker.messageId);
    expect(await historyOf(ada.token, room)).toHaveLength(1);
    sub.close();
  });

  it('follows every joined channel without channelId, including ones joined later, and stops after leaveChat', async () => {
    const [ada, bob] = [await server.signIn(), await server.signIn()];
    const [n1, n2] = [uniqueName('room'), uniqueName('room')];
    const r1 = await joinRoom(server, ada, n1);
    await joinRoom(server, bob, n1);
    const all = subscribe(server.ws(ada), Q.onMessage, {});
    await feedsLive(server, ada, 1);
    const m1 = await send(server, bob, r1, { text: 'one' });
    expect((await all.next()).id).toBe(m1.messageId);
    const r2 = await joinRoom(server, ada, n2);
    await joinRoom(server, bob, n2);
    const m2 = await send(server, bob, r2, { text: 'two' });
    expect(await all.next()).toMatchObject({ id: m2.messageId, channelId: r2 });
    expect((await server.gql(Q.leave, { c: r1 }, ada.token)).data.leaveChat).toBe(true);
    await send(server, bob, r1, { text: 'not for ada' });
    const m3 = await send(server, bob, r2, { text: 'three' });
    expect((await all.next()).id).toBe(m3.messageId);
    all.close();
  });

  it('ends a channel subscription’s delivery at leaveChat', async () => {
    const [ada, bob] = [await server.signIn(), await server.signIn()];
    const name = uniqueName('room');
    const room = await joinRoom(server, ada, name);
    await joinRoom(server, bob, name);
    const one = subscribe(server.ws(ada), Q.onMessage, { c: room });
    const all = subscribe(server.ws(ada), Q.onMessage, {});
    await feedsLive(server, ada, 2);
    await server.gql(Q.leave, { c: room }, ada.token);
    await send(server, bob, room, { text: 'after leave' });
    // Rejoining resumes delivery; the message sent while away never arrives.
    await joinRoom(server, ada, name);
    const back = await send(server, bob, room, { text: 'welcome back' });
    expect((await one.next()).id).toBe(back.messageId);
    expect((await all.next()).id).toBe(back.messageId);
    one.close();
    all.close();
  });
});
