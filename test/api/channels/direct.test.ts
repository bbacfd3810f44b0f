import { describe, expect, it } from 'vitest';
import { backends } from '../../helpers/backends.js';
import { feedsLive, joinRoom, Q, send, subscribe, uniqueName, type Session, suiteServer } from '../../helpers/server.js';
import { notificationsOf, ok, refused, S } from '../../helpers/social.js';

describe.each(backends())('direct chats and blocks ($name)', (backend) => {
  const server = suiteServer(backend);

  const joinDirect = (s: Session, target: string) => server.gql(Q.join, { t: target, type: 'DIRECT' }, s.token);
  const invites = async (s: Session) => (await notificationsOf(server, s)).filter((n) => n.code === -1);

  it('gives both users the same channel with userIdOne/userIdTwo, and delivers only to joined sessions', async () => {
    const [ada, bob, eve] = [await server.signIn(), await server.signIn(), await server.signIn()];
    const a = (await joinDirect(ada, bob.userId)).data.joinChat;
    const b = (await joinDirect(bob, ada.userId)).data.joinChat;
    const [one, two] = [ada.userId, bob.userId].sort();
    expect(a).toMatchObject({ id: `direct:${one}:${two}`, type: 'DIRECT', userIdOne: one, userIdTwo: two, roomName: null, groupId: null });
    expect(b.id).toBe(a.id);
    expect(b.presences.map((p: any) => p.userId)).toEqual([ada.userId]);
    const sub = subscribe(server.ws(bob), Q.onMessage, { c: a.id });
    await feedsLive(server, bob, 1);
    const m = await send(server, ada, a.id, { text: 'psst' });
    expect(m).toMatchObject({ userIdOne: one, userIdTwo: two });
    expect((await sub.next()).id).toBe(m.messageId);
    // A third user can neither peek nor join: the channel does not exist for them.
    expect((await refused(server, Q.history, { c: a.id }, eve)).extensions?.code).toBe('NOT_FOUND');
    expect((await refused(server, Q.presences, { c: a.id }, eve)).extensions?.code).toBe('NOT_FOUND');
    expect((await refused(server, Q.join, { t: ada.userId, type: 'DIRECT' }, ada)).extensions?.code).toBe('BAD_USER_INPUT');
    expect((await refused(server, Q.join, { t: 'no-such-user', type: 'DIRECT' }, ada)).extensions?.code).toBe('NOT_FOUND');
    expect((await ok(server, Q.history, { c: a.id }, bob)).channelMessages.edges).toHaveLength(1);
    sub.close();
  });

  it('sends exactly one invite while the invitee is absent, and a new one only after they joined', async () => {
    const [ada, bob] = [await server.signIn(), await server.signIn()];
    const live = subscribe(server.ws(bob), S.onNotification);
    await feedsLive(server, bob, 1);
    const c = (await joinDirect(ada, bob.userId)).data.joinChat.id;
    const first = await live.next();
    expect(first).toMatchObject({ code: -1, senderId: ada.userId, content: { channelId: c, userId: ada.userId }, read: false });
    // Repeated joins, a leave and another session of ada: no further invite.
    await joinDirect(ada, bob.userId);
    await server.gql(Q.leave, { c }, ada.token);
    await joinDirect(ada, bob.userId);
    const again = await ok(
      server,
      `mutation($d: String!) { authenticateDevice(deviceId: $d) { token sessionId user { id username } } }`,
      { d: ada.deviceId },
      ada,
    );
    await joinDirect({ ...ada, token: again.authenticateDevice.token }, bob.userId);
    expect(await invites(bob)).toHaveLength(1);
    // Bob joins (accepting), then leaves; ada's next join is a new invitation.
    await joinDirect(bob, ada.userId);
    await joinDirect(ada, bob.userId); // bob present: no invite
    await server.gql(Q.leave, { c }, bob.token);
    await joinDirect(ada, bob.userId);
    expect(await live.next()).toMatchObject({ code: -1, content: { channelId: c } });
    expect(await invites(bob)).toHaveLength(2);
    expect(await invites(ada)).toHaveLength(0);
    live.close();
  });

  it('sends one invite for many concurrent first joins', async () => {
    const [ada, bob] = [await server.signIn(), await server.signIn()];
    const joins = await Promise.all(Array.from({ length: 10 }, () => joinDirect(ada, bob.userId)));
    expect(new Set(joins.map((r) => r.data.joinChat.id)).size).toBe(1);
    expect(await invites(bob)).toHaveLength(1);
  });

  it('refuses a blocked user’s join, send and peek exactly like an unknown user’s, and removes their presence', async () => {
    const [ada, bob] = [await server.signIn(), await server.signIn()];
    const c = (await joinDirect(ada, bob.userId)).data.joinChat.id;
    await joinDirect(bob, ada.userId);
    const adaWs = server.ws(ada);
    server.ws(bob);
    const presence = subscribe(adaWs, Q.onPresence, { c });
    const messages = subscribe(adaWs, Q.onMessage, { c });
    await feedsLive(server, ada, 2);
    expect((await ok(server, S.block, { u: [bob.userId] }, ada)).blockUsers).toBe(true);
    expect((await presence.next()).leaves.map((p: any) => p.sessionId)).toEqual([bob.sessionId]);

    const ghost = `01${'0'.repeat(30)}`; // a well-formed id nobody has
    const ghostChannel = `direct:${[bob.userId, ghost].sort().join(':')}`;
    const blockedJoin = await refused(server, Q.join, { t: ada.userId, type: 'DIRECT' }, bob);
    const unknownJoin = await refused(server, Q.join, { t: ghost, type: 'DIRECT' }, bob);
    expect(blockedJoin.extensions?.code).toBe('NOT_FOUND');
    expect(blockedJoin.message).toBe(unknownJoin.message.replace(ghost, ada.userId));
    for (const [query, vars] of [
      [Q.send, (ch: string) => ({ c: ch, content: { text: 'let me in' } })],
      [Q.history, (ch: string) => ({ c: ch })],
      [Q.presences, (ch: string) => ({ c: ch })],
    ] as const) {
      const blocked = await refused(server, query, vars(c), bob);
      const unknown = await refused(server, query, vars(ghostChannel), bob);
      expect(blocked.extensions?.code).toBe('NOT_FOUND');
      expect(blocked.message).toBe(unknown.message.replace(ghostChannel, c));
    }
    const marker = await send(server, ada, c, { text: 'marker' });
    expect((await messages.next()).id).toBe(marker.messageId);
    // Ada coming back to the chat does not invite the user she blocks.
    const invitesBefore = (await invites(bob)).length;
    await server.gql(Q.leave, { c }, ada.token);
    await joinDirect(ada, bob.userId);
    expect(await invites(bob)).toHaveLength(invitesBefore);
    expect((await ok(server, S.blocked, {}, ada)).blockedUsers).toEqual([{ id: bob.userId, username: bob.username }]);
    expect((await ok(server, S.blocked, {}, bob)).blockedUsers).toEqual([]);

    // The blocker can still write; unblocking lets bob back in.
    await ok(server, S.unblock, { u: [bob.userId] }, ada);
    expect((await joinDirect(bob, ada.userId)).data.joinChat.id).toBe(c);
    const back = await send(server, bob, c, { text: 'thanks' });
    expect((await messages.next()).id).toBe(back.messageId);
    expect((await refused(server, S.block, { u: [ada.userId] }, ada)).extensions?.code).toBe('BAD_USER_INPUT');
    expect((await refused(server, S.block, { u: [ghost] }, ada)).extensions?.code).toBe('NOT_FOUND');
    presence.close();
    messages.close();
  });

  it('keeps live messages of blocked users from the blocker in rooms and groups, not from others, and not from history', async () => {
    const [ada, bob, cat] = [await server.signIn(), await server.signIn(), await server.signIn()];
    const name = uniqueName('room');
    const room = await joinRoom(server, ada, name);
    await joinRoom(server, bob, name);
    await joinRoom(server, cat, name);
    const g = (await ok(server, S.createGroup, { n: uniqueName('group') }, ada)).createGroup.id;
    await ok(server, S.joinGroup, { g }, bob);
    const group = `group:${g}`;
    for (const s of [ada, bob]) await ok(server, Q.join, { t: g, type: 'GROUP' }, s);
    await ok(server, S.block, { u: [bob.userId] }, ada);
    const adaAll = subscribe(server.ws(ada), Q.onMessage, {});
    const catRoom = subscribe(server.ws(cat), Q.onMessage, { c: room });
    await feedsLive(server, ada, 1);
    await feedsLive(server, cat, 1);
    const fromBob = await send(server, bob, room, { text: 'hi ada' });
    await send(server, bob, group, { text: 'hi group' });
    const fromCat = await send(server, cat, room, { text: 'marker' });
    expect((await adaAll.next()).id).toBe(fromCat.messageId);
    expect((await catRoom.next()).id).toBe(fromBob.messageId);
    expect((await catRoom.next()).id).toBe(fromCat.messageId);
    const roomHistory = (await ok(server, Q.history, { c: room }, ada)).channelMessages.edges;
    expect(roomHistory.map((e: any) => e.node.senderId)).toEqual([cat.userId, bob.userId]);
    // Unblocking applies to the open feed at once.
    await ok(server, S.unblock, { u: [bob.userId] }, ada);
    const later = await send(server, bob, group, { text: 'hello again' });
    expect((await adaAll.next()).id).toBe(later.messageId);
    adaAll.close();
    catRoom.close();
  });
});
