import { describe, expect, it } from 'vitest';
import { backends } from '../../helpers/backends.js';
import { feedsLive, Q, subscribe, until, suiteServer, errorCode } from '../../helpers/server.js';
import { notificationFeed } from '../../../src/modules/notifications/notifications.service.js';
import { notificationsOf, ok, refused, S } from '../../helpers/social.js';

describe.each(backends())('notifications ($name)', (backend) => {
  const server = suiteServer(backend);

  it('are stored per user, listed newest first in pages, delivered live to every session, marked read and deleted', async () => {
    const [ada, bob, eve] = [await server.signIn(), await server.signIn(), await server.signIn()];
    const again = await ok(
      server,
      `mutation($d: String!) { authenticateDevice(deviceId: $d) { token sessionId } }`,
      { d: bob.deviceId },
      bob,
    );
    const bob2 = { ...bob, ...again.authenticateDevice };
    const subs = [subscribe(server.ws(bob), S.onNotification), subscribe(server.ws(bob2), S.onNotification)];
    await feedsLive(server, bob, 1);
    await feedsLive(server, bob2, 1);
    const groups = [];
    for (let i = 0; i < 3; i++) {
      const g = (await ok(server, S.createGroup, { n: `notes-${ada.userId}-${i}` }, ada)).createGroup.id;
      await ok(server, S.add, { g, u: [bob.userId] }, ada);
      groups.push(g);
    }
    for (const sub of subs) {
      for (const g of groups)
        expect(await sub.next()).toMatchObject({
          code: -4,
          senderId: ada.userId,
          content: { groupId: g, userId: bob.userId, actorId: ada.userId },
        });
    }
    const p1 = (await ok(server, S.notifications, { first: 2 }, bob)).notifications;
    const p2 = (await ok(server, S.notifications, { first: 2, after: p1.pageInfo.endCursor }, bob)).notifications;
    const listed = [...p1.edges, ...p2.edges].map((e: any) => e.node);
    expect(listed.map((n: any) => n.content.groupId)).toEqual([...groups].reverse());
    expect([p1.pageInfo.hasNextPage, p2.pageInfo.hasNextPage]).toEqual([true, false]);
    expect(listed.every((n: any) => n.read === false && n.subject.length > 0)).toBe(true);

    const [newest, middle, oldest] = listed.map((n: any) => n.id);
    // Someone else's ids change nothing and reveal nothing.
    expect((await ok(server, S.markRead, { ids: [newest] }, eve)).markNotificationsRead).toBe(true);
    expect((await ok(server, S.deleteNotifications, { ids: [newest] }, eve)).deleteNotifications).toBe(true);
    expect((await notificationsOf(server, bob)).map((n) => n.read)).toEqual([false, false, false]);
    await ok(server, S.markRead, { ids: [newest, oldest] }, bob);
    expect((await notificationsOf(server, bob)).map((n) => n.read)).toEqual([true, false, true]);
    await ok(server, S.deleteNotifications, { ids: [middle, 'not-an-id'] }, bob);
    expect((await notificationsOf(server, bob)).map((n) => n.id)).toEqual([newest, oldest]);
    expect(await notificationsOf(server, ada)).toEqual([]);
    expect((await refused(server, S.notifications, { first: 101 }, bob)).extensions?.code).toBe('BAD_USER_INPUT');
    expect((await refused(server, S.notifications, { after: 'bad' }, bob)).extensions?.code).toBe('BAD_USER_INPUT');
    const unauth = await server.gql(S.notifications, {});
    expect(errorCode(unauth)).toBe('UNAUTHENTICATED');
    for (const sub of subs) sub.close();
  });

  it('delivers a direct chat invite live with the ids involved', async () => {
    const [ada, bob] = [await server.signIn(), await server.signIn()];
    const sub = subscribe(server.ws(bob), S.onNotification);
    await feedsLive(server, bob, 1);
    const c = (await ok(server, Q.join, { t: bob.userId, type: 'DIRECT' }, ada)).joinChat.id;
    const n = await sub.next();
    expect(n).toMatchObject({ code: -1, senderId: ada.userId, content: { channelId: c, userId: ada.userId }, read: false });
    expect((await notificationsOf(server, bob)).map((x) => x.id)).toEqual([n.id]);
    sub.close();
  });

  it("counts notifications against the connection's outgoing budget, so a client that stops reading them is cut off", async () => {
    const ada = await server.signIn();
    let taken = 0;
    // A connection with room for two undelivered events.
    const budget = { take: () => ++taken <= 2, give: () => {} };
    const feed = await notificationFeed(server.app.deps, { userId: ada.userId, sessionId: ada.sessionId, username: ada.username }, budget);
    const notification = (n: number) => ({
      id: `n${n}`,
      userId: ada.userId,
      code: -1,
      subject: 's',
      content: {},
      senderId: null,
      createTime: new Date(),
      read: false,
    });
    for (let n = 0; n < 3; n++)
      await server.app.deps.pubsub.publish('user', ada.userId, { type: 'notification', notification: notification(n) });
    await until(() => taken >= 3, 5000, 'the third notification to ask the budget');
    const got: string[] = [];
    await expect(
      (async () => {
        for await (const n of feed) got.push(n.id);
      })(),
    ).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(got).toEqual([]);
  });
});
