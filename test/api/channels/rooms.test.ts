import { describe, expect, it, onTestFinished } from 'vitest';
import { backends } from '../../helpers/backends.js';
import { feedsLive, joinRoom, Q, send, startServer, subscribe, uniqueName, suiteServer, errorCode } from '../../helpers/server.js';

describe.each(backends())('rooms and presence ($name)', (backend) => {
  const server = suiteServer(backend);

  it('gives a room the same id whoever joins first, and lists the others present', async () => {
    const [ada, bob] = [await server.signIn(), await server.signIn()];
    const room = uniqueName('room');
    const a = await server.gql(Q.join, { t: room, type: 'ROOM' }, ada.token);
    const b = await server.gql(Q.join, { t: room, type: 'ROOM' }, bob.token);
    expect(a.data.joinChat.id).toBe(b.data.joinChat.id);
    expect(a.data.joinChat).toMatchObject({ type: 'ROOM', roomName: room, groupId: null, userIdOne: null, presences: [] });
    expect(a.data.joinChat.self).toEqual({ userId: ada.userId, sessionId: ada.sessionId, username: ada.username, persistence: true });
    expect(b.data.joinChat.presences).toEqual([
      { userId: ada.userId, sessionId: ada.sessionId, username: ada.username, persistence: true },
    ]);
    const listed = await server.gql(Q.presences, { c: a.data.joinChat.id }, bob.token);
    expect(listed.data.channelPresences.map((p: any) => p.sessionId).sort()).toEqual([ada.sessionId, bob.sessionId].sort());
  });

  it('refuses room names that are empty, too long or contain control characters', async () => {
    const ada = await server.signIn();
    for (const t of ['', 'x'.repeat(65), 'bad\u0007name', 'line\nbreak']) {
      const r = await server.gql(Q.join, { t, type: 'ROOM' }, ada.token);
      expect(errorCode(r), JSON.stringify(t)).toBe('BAD_USER_INPUT');
    }
    const ok = await server.gql(Q.join, { t: 'é'.repeat(64), type: 'ROOM' }, ada.token);
    expect(ok.data?.joinChat.roomName).toBe('é'.repeat(64));
  });

  it('joins one room however its name was typed (NFC), and refuses invisible names and text-direction tricks', async () => {
    const [ada, bob] = [await server.signIn(), await server.signIn()];
    const base = uniqueName('caf');
    const composed = `${base}\u00e9`; // é as one code point
    const decomposed = `${base}e\u0301`; // e + combining acute accent
    const a = await server.gql(Q.join, { t: composed, type: 'ROOM' }, ada.token);
    const b = await server.gql(Q.join, { t: decomposed, type: 'ROOM' }, bob.token);
    expect(b.data.joinChat.id).toBe(a.data.joinChat.id);
    expect(b.data.joinChat.roomName).toBe(composed);
    for (const t of [' ', '\ufeff', '\u200b', '\u202e', ' \u200b\u00a0', 'evil\u202egnp.exe']) {
      const r = await server.gql(Q.join, { t, type: 'ROOM' }, ada.token);
      expect(errorCode(r), JSON.stringify(t)).toBe('BAD_USER_INPUT');
    }
    const named = await server.signIn(`${base}e\u0301`);
    expect(named.username).toBe(composed);
  });

  it('announces joins and leaves once, to others, only on change', async () => {
    const [ada, bob] = [await server.signIn(), await server.signIn()];
    const room = await joinRoom(server, ada, uniqueName('room'));
    const sub = subscribe(server.ws(ada), Q.onPresence, { c: room });
    await feedsLive(server, ada, 1);
    await joinRoom(server, bob, room.slice('room:'.length));
    const joined = await sub.next();
    expect(joined).toMatchObject({ channelId: room, leaves: [], joins: [{ userId: bob.userId, sessionId: bob.sessionId }] });
    // Joining again with the same options is no change: nothing is announced.
    await joinRoom(server, bob, room.slice('room:'.length));
    await server.gql(Q.leave, { c: room }, bob.token);
    const left = await sub.next();
    expect(left).toMatchObject({ joins: [], leaves: [{ sessionId: bob.sessionId }] });
    sub.close();
  });

  it('keeps hidden sessions out of presence lists and events while they chat as usual', async () => {
    const [ada, ghost] = [await server.signIn(), await server.signIn()];
    const name = uniqueName('room');
    const room = await joinRoom(server, ada, name);
    const ws = server.ws(ada);
    const presence = subscribe(ws, Q.onPresence, { c: room });
    const messages = subscribe(ws, Q.onMessage, { c: room });
    await feedsLive(server, ada, 2);
    const r = await server.gql(Q.join, { t: name, type: 'ROOM', h: true }, ghost.token);
    expect(r.data.joinChat.presences.map((p: any) => p.sessionId)).toEqual([ada.sessionId]);
    const listed = await server.gql(Q.presences, { c: room }, ada.token);
    expect(listed.data.channelPresences.map((p: any) => p.sessionId)).toEqual([ada.sessionId]);
    await send(server, ghost, room, { text: 'boo' });
    expect((await messages.next()).content).toEqual({ text: 'boo' });
    await server.gql(Q.leave, { c: room }, ghost.token);
    // A visible join after the hidden one's leave: the only presence event ada gets.
    const carol = await server.signIn();
    await joinRoom(server, carol, name);
    const event = await presence.next();
    expect(event.joins.map((p: any) => p.sessionId)).toEqual([carol.sessionId]);
    expect(event.leaves).toEqual([]);
    presence.close();
    messages.close();
  });

  it('treats two sessions of one user as two presences', async () => {
    const ada = await server.signIn();
    const again = await server.gql(`mutation($d: String!) { authenticateDevice(deviceId: $d) { token sessionId user { id } } }`, {
      d: ada.deviceId,
    });
    const second = { ...ada, token: again.data.authenticateDevice.token, sessionId: again.data.authenticateDevice.sessionId };
    expect(second.sessionId).not.toBe(ada.sessionId);
    expect(again.data.authenticateDevice.user.id).toBe(ada.userId);
    const name = uniqueName('room');
    const room = await joinRoom(server, ada, name);
    const r = await server.gql(Q.join, { t: name, type: 'ROOM' }, second.token);
    expect(r.data.joinChat.presences).toEqual([expect.objectContaining({ userId: ada.userId, sessionId: ada.sessionId })]);
    const listed = await server.gql(Q.presences, { c: room }, ada.token);
    expect(listed.data.channelPresences).toHaveLength(2);
  });

  it('ends the presence of a session whose connection stays closed past the grace period', async () => {
    const server = await startServer(backend, { PRESENCE_GRACE_MS: 300 });
    onTestFinished(() => server.stop());
    const [ada, bob] = [await server.signIn(), await server.signIn()];
    const room = await joinRoom(server, ada, uniqueName('room'));
    const bobWs = server.ws(bob);
    const bobMessages = subscribe(bobWs, Q.onMessage, { c: null });
    const watch = subscribe(server.ws(ada), Q.onPresence, { c: room });
    await feedsLive(server, ada, 1);
    await feedsLive(server, bob, 1);
    await joinRoom(server, bob, room.slice(5));
    expect((await watch.next()).joins[0].sessionId).toBe(bob.sessionId);
    await bobWs.dispose();
    const leave = await watch.next(5000);
    expect(leave.leaves.map((p: any) => p.sessionId)).toEqual([bob.sessionId]);
    const listed = await server.gql(Q.presences, { c: room }, ada.token);
    expect(listed.data.channelPresences.map((p: any) => p.sessionId)).toEqual([ada.sessionId]);
    // A send says why it is refused; joining again is the way back.
    const refused = await server.gql(Q.send, { c: room, content: { text: 'still here?' } }, bob.token);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'PRESENCE_EXPIRED' });
    expect(refused.errors?.[0]?.message).toMatch(/no realtime connection .*PRESENCE_GRACE_MS/);
    await joinRoom(server, bob, room.slice(5));
    expect((await send(server, bob, room, { text: 'back' })).messageId).toBeTruthy();
    bobMessages.close();
    watch.close();
  });
});
