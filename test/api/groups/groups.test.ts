import { describe, expect, it } from 'vitest';
import { backends } from '../../helpers/backends.js';
import { feedsLive, Q, send, subscribe, uniqueName, suiteServer, errorCode } from '../../helpers/server.js';
import { createGroup, notificationsOf, ok, refused, rolesOf, S } from '../../helpers/social.js';

describe.each(backends())('groups ($name)', (backend) => {
  const server = suiteServer(backend);

  const history = async (token: string, c: string) =>
    (await server.gql(Q.history, { c, first: 100, forward: true }, token)).data.channelMessages.edges.map((e: any) => e.node);

  it('creates a group whose creator is superadmin, with unique names and checked input', async () => {
    const ada = await server.signIn();
    const name = uniqueName('group');
    const g = (await ok(server, S.createGroup, { n: name, d: 'about', o: false }, ada)).createGroup;
    expect(g).toMatchObject({ name, description: 'about', open: false, memberCount: 1 });
    expect(await rolesOf(server, ada, g.id)).toEqual({ [ada.userId]: 'SUPERADMIN' });
    expect((await refused(server, S.createGroup, { n: name }, ada)).extensions?.code).toBe('CONFLICT');
    for (const n of ['', 'x'.repeat(129), 'bad\u0007']) {
      expect((await refused(server, S.createGroup, { n }, ada)).extensions?.code, JSON.stringify(n)).toBe('BAD_USER_INPUT');
    }
    const unknown = await refused(server, S.joinGroup, { g: 'no-such-group' }, ada);
    expect(unknown.extensions?.code).toBe('NOT_FOUND');
  });

  it('joins an open group at once with event 3; a closed one makes a join request the admins are notified of and accept', async () => {
    const [owner, admin, bob, cat] = [await server.signIn(), await server.signIn(), await server.signIn(), await server.signIn()];
    const open = await createGroup(server, owner, true);
    expect((await ok(server, S.joinGroup, { g: open }, bob)).joinGroup.memberCount).toBe(2);
    const events = await history(owner.token, `group:${open}`);
    expect(events).toEqual([
      expect.objectContaining({ code: 3, senderId: bob.userId, content: { userId: bob.userId, actorId: bob.userId } }),
    ]);
    // Joining again changes nothing and writes nothing.
    await ok(server, S.joinGroup, { g: open }, bob);
    expect(await history(owner.token, `group:${open}`)).toHaveLength(1);

    const closed = await createGroup(server, owner, false);
    await ok(server, S.add, { g: closed, u: [admin.userId] }, owner);
    await ok(server, S.promote, { g: closed, u: [admin.userId] }, owner);
    const noteSub = subscribe(server.ws(admin), S.onNotification);
    await feedsLive(server, admin, 1);
    expect((await ok(server, S.joinGroup, { g: closed }, cat)).joinGroup.memberCount).toBe(2);
    expect((await rolesOf(server, owner, closed))[cat.userId]).toBe('JOIN_REQUEST');
    const live = await noteSub.next();
    expect(live).toMatchObject({ code: -5, senderId: cat.userId, content: { groupId: closed, userId: cat.userId }, read: false });
    for (const s of [owner, admin]) {
      const requests = (await notificationsOf(server, s)).filter((n) => n.code === -5);
      expect(requests, s.username).toEqual([expect.objectContaining({ content: { groupId: closed, userId: cat.userId } })]);
    }
    // A join request is not membership: the channel stays closed to it.
    expect((await refused(server, Q.join, { t: closed, type: 'GROUP' }, cat)).extensions?.code).toBe('FORBIDDEN');
    await ok(server, S.joinGroup, { g: closed }, cat); // asking twice notifies nobody again
    await ok(server, S.add, { g: closed, u: [cat.userId] }, admin);
    expect((await rolesOf(server, owner, closed))[cat.userId]).toBe('MEMBER');
    const added = (await notificationsOf(server, cat)).find((n) => n.code === -4);
    expect(added).toMatchObject({ senderId: admin.userId, content: { groupId: closed, userId: cat.userId, actorId: admin.userId } });
    expect((await notificationsOf(server, owner)).filter((n) => n.code === -5)).toHaveLength(1);
    const codes = (await history(cat.token, `group:${closed}`)).map((m: any) => [m.code, m.content.userId]);
    expect(codes).toEqual([
      [4, admin.userId],
      [7, admin.userId],
      [4, cat.userId],
    ]);
    noteSub.close();
  });

  it('ranks superadmin > admin > member: nobody acts on a rank above their own', async () => {
    const [owner, admin, admin2, member] = [await server.signIn(), await server.signIn(), await server.signIn(), await server.signIn()];
    const g = await createGroup(server, owner);
    await ok(server, S.add, { g, u: [admin.userId, admin2.userId, member.userId] }, owner);
    await ok(server, S.promote, { g, u: [admin.userId, admin2.userId] }, owner);
    const before = await rolesOf(server, owner, g);
    for (const op of [S.kick, S.ban, S.demote]) {
      expect((await refused(server, op, { g, u: [owner.userId] }, admin)).extensions?.code).toBe('FORBIDDEN');
    }
    // Promoting an admin would make a superadmin, above an admin's rank.
    expect((await refused(server, S.promote, { g, u: [admin2.userId] }, admin)).extensions?.code).toBe('FORBIDDEN');
    // One refused target refuses the whole call.
    expect((await refused(server, S.kick, { g, u: [member.userId, owner.userId] }, admin)).extensions?.code).toBe('FORBIDDEN');
    expect((await refused(server, S.kick, { g, u: [admin.userId] }, admin)).extensions?.code).toBe('BAD_USER_INPUT');
    expect((await refused(server, S.add, { g, u: ['no-such-user'] }, admin)).extensions?.code).toBe('NOT_FOUND');
    expect((await refused(server, S.promote, { g, u: [(await server.signIn()).userId] }, owner)).extensions?.code).toBe('BAD_USER_INPUT');
    expect(await rolesOf(server, owner, g)).toEqual(before);
    // Same rank is fine: an admin demotes another admin; the superadmin promotes an admin to superadmin.
    await ok(server, S.demote, { g, u: [admin2.userId] }, admin);
    await ok(server, S.promote, { g, u: [admin.userId] }, owner);
    expect(await rolesOf(server, owner, g)).toMatchObject({ [admin.userId]: 'SUPERADMIN', [admin2.userId]: 'MEMBER' });
  });

  it('keeps the last superadmin from leaving or demoting themselves until they hand over', async () => {
    const [owner, bob] = [await server.signIn(), await server.signIn()];
    const g = await createGroup(server, owner);
    await ok(server, S.joinGroup, { g }, bob);
    expect((await refused(server, S.leaveGroup, { g }, owner)).extensions?.code).toBe('CONFLICT');
    expect((await refused(server, S.demote, { g, u: [owner.userId] }, owner)).extensions?.code).toBe('CONFLICT');
    await ok(server, S.promote, { g, u: [bob.userId] }, owner);
    await ok(server, S.promote, { g, u: [bob.userId] }, owner);
    expect((await ok(server, S.leaveGroup, { g }, owner)).leaveGroup).toBe(true);
    expect(await rolesOf(server, bob, g)).toEqual({ [bob.userId]: 'SUPERADMIN' });
    const codes = (await history(bob.token, `group:${g}`)).map((m: any) => m.code);
    expect(codes).toEqual([3, 7, 7, 5]);
  });

  it('keeps a superadmin when two superadmins leave at once', async () => {
    const [a, b, c] = [await server.signIn(), await server.signIn(), await server.signIn()];
    const g = await createGroup(server, a);
    await ok(server, S.add, { g, u: [b.userId, c.userId] }, a);
    await ok(server, S.promote, { g, u: [b.userId] }, a);
    await ok(server, S.promote, { g, u: [b.userId] }, a);
    const results = await Promise.all([a, b].map((s) => server.gql(S.leaveGroup, { g }, s.token)));
    expect(results.filter((r) => r.data?.leaveGroup === true)).toHaveLength(1);
    expect(results.filter((r) => errorCode(r) === 'CONFLICT')).toHaveLength(1);
    expect(Object.values(await rolesOf(server, c, g)).filter((r) => r === 'SUPERADMIN')).toHaveLength(1);
  });

  it('makes one membership and one event of many concurrent joins', async () => {
    const [owner, bob] = [await server.signIn(), await server.signIn()];
    const g = await createGroup(server, owner);
    const results = await Promise.all(Array.from({ length: 10 }, () => server.gql(S.joinGroup, { g }, bob.token)));
    expect(results.every((r) => r.data?.joinGroup.id === g)).toBe(true);
    expect(await rolesOf(server, owner, g)).toEqual({ [owner.userId]: 'SUPERADMIN', [bob.userId]: 'MEMBER' });
    expect((await history(owner.token, `group:${g}`)).map((m: any) => m.code)).toEqual([3]);
  });

  it('pages my groups and a group’s members with their roles; members do not see join requests and bans', async () => {
    const [owner, bob, req, banned] = [await server.signIn(), await server.signIn(), await server.signIn(), await server.signIn()];
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await createGroup(server, owner, i > 0));
    for (const g of ids.slice(1)) await ok(server, S.joinGroup, { g }, bob);
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = (await ok(server, S.myGroups, { first: 2, after }, bob)).myGroups;
      seen.push(...page.edges.map((e: any) => e.node.id));
      expect(page.edges.every((e: any) => e.node.memberCount === 2)).toBe(true);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(ids.slice(1));
    const g = ids[0]!; // closed
    await ok(server, S.add, { g, u: [bob.userId] }, owner);
    await ok(server, S.joinGroup, { g }, req);
    await ok(server, S.ban, { g, u: [banned.userId] }, owner);
    expect(await rolesOf(server, owner, g)).toEqual({
      [owner.userId]: 'SUPERADMIN',
      [bob.userId]: 'MEMBER',
      [req.userId]: 'JOIN_REQUEST',
      [banned.userId]: 'BANNED',
    });
    const first = (await ok(server, S.members, { g, first: 1 }, bob)).groupMembers;
    const second = (await ok(server, S.members, { g, first: 1, after: first.pageInfo.endCursor }, bob)).groupMembers;
    expect([...first.edges, ...second.edges].map((e: any) => e.node.role).sort()).toEqual(['MEMBER', 'SUPERADMIN']);
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect((await refused(server, S.members, { g }, req)).extensions?.code).toBe('FORBIDDEN');
    expect((await refused(server, S.members, { g: 'no-such-group' }, bob)).extensions?.code).toBe('NOT_FOUND');
    expect((await refused(server, S.members, { g, after: 'garbage' }, bob)).extensions?.code).toBe('BAD_USER_INPUT');
    expect((await refused(server, S.myGroups, { first: 0 }, bob)).extensions?.code).toBe('BAD_USER_INPUT');
    expect((await ok(server, S.myGroups, {}, req)).myGroups.edges).toEqual([]);
    expect((await refused(server, S.joinGroup, { g }, banned)).extensions?.code).toBe('FORBIDDEN');
  });

  it('delivers group event messages live, in order with chat', async () => {
    const [owner, bob] = [await server.signIn(), await server.signIn()];
    const g = await createGroup(server, owner);
    const c = `group:${g}`;
    const joined = (await ok(server, Q.join, { t: g, type: 'GROUP' }, owner)).joinChat;
    expect(joined).toMatchObject({ id: c, type: 'GROUP', groupId: g, roomName: null });
    const sub = subscribe(server.ws(owner), Q.onMessage, { c });
    await feedsLive(server, owner, 1);
    const hello = await send(server, owner, c, { text: 'hi' });
    expect(hello.groupId).toBe(g);
    await ok(server, S.add, { g, u: [bob.userId] }, owner);
    await ok(server, S.promote, { g, u: [bob.userId] }, owner);
    await ok(server, S.demote, { g, u: [bob.userId] }, owner);
    const got = [];
    for (let i = 0; i < 4; i++) got.push(await sub.next());
    expect(got.map((m) => m.code)).toEqual([0, 4, 7, 9]);
    expect(got[1]).toMatchObject({ senderId: owner.userId, content: { userId: bob.userId, actorId: owner.userId } });
    expect((await history(owner.token, c)).map((m: any) => m.id)).toEqual(got.map((m) => m.id));
    sub.close();
  });
});
