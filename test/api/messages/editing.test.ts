import { describe, expect, it } from 'vitest';
import { backends } from '../../helpers/backends.js';
import { feedsLive, joinRoom, pairInRoom, Q, send, subscribe, uniqueName, suiteServer } from '../../helpers/server.js';
import { createGroup, ok, refused, S } from '../../helpers/social.js';
import type { Operation } from '../../helpers/operation.js';

describe.each(backends())('updating and removing messages ($name)', (backend) => {
  const server = suiteServer(backend);

  const historyOf = async (token: string, c: string) =>
    (await server.gql(Q.history, { c, first: 100, forward: true }, token)).data.channelMessages.edges.map((e: any) => e.node);

  it('updates in place with code 1 and removes with code 2, and history follows', async () => {
    const { ada, bob, room, sub } = await pairInRoom(server);
    const sent = await send(server, ada, room, { text: 'helo' });
    const keep = await send(server, ada, room, { text: 'stays' });
    await sub.next();
    await sub.next();
    const updated = (await ok(server, S.update, { c: room, m: sent.messageId, content: { text: 'hello' } }, ada)).updateMessage;
    expect(updated).toMatchObject({
      channelId: room,
      messageId: sent.messageId,
      code: 1,
      username: ada.username,
      persistent: true,
      createTime: sent.createTime,
    });
    expect(Date.parse(updated.updateTime)).toBeGreaterThan(Date.parse(sent.updateTime));
    expect(await sub.next()).toMatchObject({
      id: sent.messageId,
      code: 1,
      senderId: ada.userId,
      content: { text: 'hello' },
      createTime: sent.createTime,
      updateTime: updated.updateTime,
    });
    let history = await historyOf(bob.token, room);
    expect(history).toHaveLength(2);
    expect(history[0]).toMatchObject({
      id: sent.messageId,
      code: 0,
      content: { text: 'hello' },
      createTime: sent.createTime,
      updateTime: updated.updateTime,
    });

    const removed = (await ok(server, S.remove, { c: room, m: sent.messageId }, ada)).removeMessage;
    expect(removed).toMatchObject({ messageId: sent.messageId, code: 2 });
    expect(await sub.next()).toMatchObject({ id: sent.messageId, code: 2, senderId: ada.userId, content: {} });
    history = await historyOf(bob.token, room);
    expect(history.map((m: any) => m.id)).toEqual([keep.messageId]);
    expect((await refused(server, S.update, { c: room, m: sent.messageId, content: { a: 1 } }, ada)).extensions?.code).toBe('NOT_FOUND');
    sub.close();
  });

  it('refuses every other case, storing and broadcasting nothing', async () => {
    const [ada, bob, eve, ephemeral] = [await server.signIn(), await server.signIn(), await server.signIn(), await server.signIn()];
    const name = uniqueName('room');
    const room = await joinRoom(server, ada, name);
    await joinRoom(server, bob, name);
    await joinRoom(server, ephemeral, name, { persistence: false });
    const other = await joinRoom(server, ada, uniqueName('room'));
    const sub = subscribe(server.ws(ada), Q.onMessage, { c: room });
    await feedsLive(server, ada, 1);
    const mine = await send(server, ada, room, { text: 'original' });
    const eph = await send(server, ephemeral, room, { text: 'never stored' });
    await sub.next();
    await sub.next();
    const cases: [string, Operation, Record<string, unknown>, any, string][] = [
      ['another user updates', S.update, { c: room, m: mine.messageId, content: { x: 1 } }, bob, 'FORBIDDEN'],
      ['another user removes in a room', S.remove, { c: room, m: mine.messageId }, bob, 'FORBIDDEN'],
      ['a session that has not joined', S.update, { c: room, m: mine.messageId, content: { x: 1 } }, eve, 'FORBIDDEN'],
      ['the message of another channel', S.update, { c: other, m: mine.messageId, content: { x: 1 } }, ada, 'NOT_FOUND'],
      ['an unknown message', S.remove, { c: room, m: 'no-such-message' }, ada, 'NOT_FOUND'],
      ['an unknown channel', S.remove, { c: 'nonsense', m: mine.messageId }, ada, 'NOT_FOUND'],
      ['content that is not an object', S.update, { c: room, m: mine.messageId, content: [1] }, ada, 'BAD_USER_INPUT'],
      ['content over the size limit', S.update, { c: room, m: mine.messageId, content: { t: 'x'.repeat(5000) } }, ada, 'BAD_USER_INPUT'],
      ['a non-persistent message', S.update, { c: room, m: eph.messageId, content: { x: 1 } }, ephemeral, 'FORBIDDEN'],
    ];
    for (const [what, query, vars, who, code] of cases) {
      expect((await refused(server, query, vars, who)).extensions?.code, what).toBe(code);
    }
    // A session joined with persistence: false cannot touch stored messages, even its user's own.
    const again = await ok(
      server,
      `mutation($d: String!) { authenticateDevice(deviceId: $d) { token sessionId } }`,
      { d: ada.deviceId },
      ada,
    );
    const adaEphemeral = { ...ada, token: again.authenticateDevice.token };
    await joinRoom(server, adaEphemeral, name, { persistence: false });
    expect((await refused(server, S.update, { c: room, m: mine.messageId, content: { x: 1 } }, adaEphemeral)).extensions?.code).toBe(
      'FORBIDDEN',
    );
    expect((await refused(server, S.remove, { c: room, m: mine.messageId }, adaEphemeral)).extensions?.code).toBe('FORBIDDEN');
    const marker = await send(server, bob, room, { text: 'marker' });
    expect((await sub.next()).id).toBe(marker.messageId);
    const history = await historyOf(ada.token, room);
    expect(history.map((m: any) => [m.id, m.content])).toEqual([
      [mine.messageId, { text: 'original' }],
      [marker.messageId, { text: 'marker' }],
    ]);
    expect(history[0].updateTime).toBe(history[0].createTime);
    sub.close();
  });

  it('lets a group’s admins remove others’ messages, but never update them, and protects event messages', async () => {
    const [owner, admin, bob] = [await server.signIn(), await server.signIn(), await server.signIn()];
    const g = await createGroup(server, owner);
    const c = `group:${g}`;
    await ok(server, S.add, { g, u: [admin.userId, bob.userId] }, owner);
    await ok(server, S.promote, { g, u: [admin.userId] }, owner);
    for (const s of [owner, admin, bob]) await ok(server, Q.join, { t: g, type: 'GROUP' }, s);
    const sub = subscribe(server.ws(bob), Q.onMessage, { c });
    await feedsLive(server, bob, 1);
    const m1 = await send(server, bob, c, { text: 'one' });
    const m2 = await send(server, bob, c, { text: 'two' });
    await sub.next();
    await sub.next();
    expect((await refused(server, S.update, { c, m: m1.messageId, content: { t: 'edited' } }, admin)).extensions?.code).toBe('FORBIDDEN');
    const event = (await historyOf(owner.token, c))[0];
    expect(event.code).toBe(4);
    expect((await refused(server, S.remove, { c, m: event.id }, owner)).extensions?.code).toBe('FORBIDDEN');
    await ok(server, S.remove, { c, m: m1.messageId }, admin);
    expect(await sub.next()).toMatchObject({ id: m1.messageId, code: 2, senderId: bob.userId });
    await ok(server, S.remove, { c, m: m2.messageId }, owner);
    expect(await sub.next()).toMatchObject({ id: m2.messageId, code: 2 });
    expect((await historyOf(bob.token, c)).map((m: any) => m.code)).toEqual([4, 4, 7]);
    sub.close();
  });
});
