import { describe, expect, it } from 'vitest';
import { backends } from '../../helpers/backends.js';
import { createGroup, ok, S } from '../../helpers/social.js';
import { feedsLive, joinRoom, Q, subscribe, uniqueName, suiteServer, errorCode } from '../../helpers/server.js';

const SEND = `mutation($c: ID!, $content: JSONObject!, $id: String) {
  sendMessage(channelId: $c, content: $content, clientMessageId: $id) { messageId kind code clientMessageId persistent }
}`;
const LIVE = `subscription($c: ID) { channelMessage(channelId: $c) { id kind code clientMessageId content } }`;
const HISTORY = `query($c: ID!) { channelMessages(channelId: $c, first: 100) { edges { node { id clientMessageId kind } } } }`;

describe.each(backends())('what client authors need ($name)', (backend) => {
  const server = suiteServer(backend);

  it('stores and delivers a send retried with the same clientMessageId once, and acknowledges the retry with the first message', async () => {
    const [ada, bob] = [await server.signIn(), await server.signIn()];
    const name = uniqueName('room');
    const room = await joinRoom(server, ada, name);
    await joinRoom(server, bob, name);
    const live = subscribe(server.ws(bob), LIVE, { c: room });
    await feedsLive(server, bob, 1);

    const first = (await server.gql(SEND, { c: room, content: { text: 'hi' }, id: 'local-1' }, ada.token)).data.sendMessage;
    expect(first).toMatchObject({ kind: 'CHAT', code: 0, clientMessageId: 'local-1', persistent: true });
    // A retry, and several at once (a flaky network), all get the first message back.
    const retries = await Promise.all(
      [1, 2, 3].map(() => server.gql(SEND, { c: room, content: { text: 'hi' }, id: 'local-1' }, ada.token)),
    );
    for (const r of retries) expect(r.data.sendMessage.messageId).toBe(first.messageId);
    // The same id from another user, or without an id, is another message.
    const bobs = (await server.gql(SEND, { c: room, content: { text: 'me too' }, id: 'local-1' }, bob.token)).data.sendMessage;
    expect(bobs.messageId).not.toBe(first.messageId);

    expect(await live.next()).toMatchObject({ id: first.messageId, clientMessageId: 'local-1', kind: 'CHAT', content: { text: 'hi' } });
    expect((await live.next()).id).toBe(bobs.messageId);
    const history = (await server.gql(HISTORY, { c: room }, ada.token)).data.channelMessages.edges.map((e: any) => e.node);
    expect(history).toEqual([
      { id: bobs.messageId, clientMessageId: 'local-1', kind: 'CHAT' },
      { id: first.messageId, clientMessageId: 'local-1', kind: 'CHAT' },
    ]);
    live.close();
  });

  it('acknowledges a retried send of a session that does not store messages with the first message, delivered once', async () => {
    const ada = await server.signIn();
    const room = (await server.gql(Q.join, { t: uniqueName('room'), type: 'ROOM', p: false }, ada.token)).data.joinChat.id;
    const live = subscribe(server.ws(ada), LIVE, { c: room });
    await feedsLive(server, ada, 1);
    const a = (await server.gql(SEND, { c: room, content: { n: 1 }, id: 'x' }, ada.token)).data.sendMessage;
    const b = (await server.gql(SEND, { c: room, content: { n: 1 }, id: 'x' }, ada.token)).data.sendMessage;
    expect(a).toMatchObject({ persistent: false, clientMessageId: 'x' });
    expect(b.messageId).toBe(a.messageId);
    const c = (await server.gql(SEND, { c: room, content: { n: 2 } }, ada.token)).data.sendMessage;
    expect((await live.next()).id).toBe(a.messageId);
    expect((await live.next()).id).toBe(c.messageId);
    live.close();
  });

  it('refuses a clientMessageId that is empty, too long or holds control characters', async () => {
    const ada = await server.signIn();
    const room = await joinRoom(server, ada, uniqueName('room'));
    for (const id of ['', 'x'.repeat(129), 'a\nb']) {
      const r = await server.gql(SEND, { c: room, content: { text: 'hi' }, id }, ada.token);
      expect(errorCode(r), JSON.stringify(id)).toBe('BAD_USER_INPUT');
    }
  });

  it('gives every presence an id that is the same wherever it appears, so a normalized cache can key it', async () => {
    const [ada, bob] = [await server.signIn(), await server.signIn()];
    const name = uniqueName('room');
    const adaJoin = (
      await server.gql(`mutation($t: String!) { joinChat(target: $t, type: ROOM) { id self { id sessionId } } }`, { t: name }, ada.token)
    ).data.joinChat;
    const watch = subscribe(server.ws(ada), `subscription($c: ID) { channelPresence(channelId: $c) { joins { id sessionId } } }`, {
      c: adaJoin.id,
    });
    await feedsLive(server, ada, 1);
    const bobJoin = (
      await server.gql(
        `mutation($t: String!) { joinChat(target: $t, type: ROOM) { self { id } presences { id sessionId } } }`,
        { t: name },
        bob.token,
      )
    ).data.joinChat;
    expect(bobJoin.presences).toEqual([adaJoin.self]);
    expect((await watch.next()).joins).toEqual([{ id: bobJoin.self.id, sessionId: bob.sessionId }]);
    const listed = (await server.gql(`query($c: ID!) { channelPresences(channelId: $c) { id sessionId } }`, { c: adaJoin.id }, ada.token))
      .data.channelPresences;
    expect(listed.map((p: any) => p.id).sort()).toEqual([adaJoin.self.id, bobJoin.self.id].sort());
    expect(new Set(listed.map((p: any) => p.id)).size).toBe(2);
    watch.close();
  });

  it('finds users by id or by username regardless of case, leaving unknown ones out', async () => {
    const [ada, bob] = [await server.signIn(), await server.signIn()];
    const q = `query($ids: [ID!], $names: [String!]) { users(ids: $ids, usernames: $names) { id username } }`;
    const found = (await server.gql(q, { ids: [ada.userId, 'nobody'], names: [bob.username.toUpperCase(), 'nobody-at-all'] }, ada.token))
      .data.users;
    expect(found.map((u: any) => u.id).sort()).toEqual([ada.userId, bob.userId].sort());
    expect(errorCode(await server.gql(q, { ids: [ada.userId] }))).toBe('UNAUTHENTICATED');
  });

  it("lists the session's joined channels, without those it left", async () => {
    const ada = await server.signIn();
    const [r1, r2] = [uniqueName('room'), uniqueName('room')];
    const c1 = await joinRoom(server, ada, r1);
    const c2 = await joinRoom(server, ada, r2);
    const q = `{ myChannels { id type roomName self { sessionId } } }`;
    const mine = (await server.gql(q, {}, ada.token)).data.myChannels;
    expect(mine.map((c: any) => c.id).sort()).toEqual([c1, c2].sort());
    expect(mine.find((c: any) => c.id === c1)).toEqual({ id: c1, type: 'ROOM', roomName: r1, self: { sessionId: ada.sessionId } });
    await server.gql(Q.leave, { c: c1 }, ada.token);
    expect((await server.gql(q, {}, ada.token)).data.myChannels.map((c: any) => c.id)).toEqual([c2]);
    // Another session of the same user has joined nothing.
    const other = await server.gql(`mutation($d: String!) { authenticateDevice(deviceId: $d) { token } }`, { d: ada.deviceId });
    expect((await server.gql(q, {}, other.data.authenticateDevice.token)).data.myChannels).toEqual([]);
  });

  it('names message and notification kinds with enums beside the numeric codes', async () => {
    const [owner, bob] = [await server.signIn(), await server.signIn()];
    const g = await createGroup(server, owner);
    await ok(server, Q.join, { t: g, type: 'GROUP' }, owner);
    const live = subscribe(server.ws(owner), LIVE, { c: `group:${g}` });
    await feedsLive(server, owner, 1);
    await ok(server, S.joinGroup, { g }, bob);
    expect(await live.next()).toMatchObject({ kind: 'GROUP_JOIN', code: 3 });
    await ok(server, S.kick, { g, u: [bob.userId] }, owner);
    expect(await live.next()).toMatchObject({ kind: 'GROUP_KICK', code: 6 });
    live.close();

    await ok(server, Q.join, { t: owner.userId, type: 'DIRECT' }, bob);
    const kinds = (await ok(server, `{ notifications { edges { node { kind code } } } }`, {}, owner)).notifications.edges.map(
      (e: any) => e.node,
    );
    expect(kinds).toContainEqual({ kind: 'DIRECT_INVITE', code: -1 });
  });
});
