import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../helpers/backends.js';
import { joinRoom, Q, send, startServer, uniqueName, type Session, type TestServer } from '../../helpers/server.js';
import { ok, S } from '../../helpers/social.js';
import type { Operation } from '../../helpers/operation.js';

const FEW = 5;
const MANY = 50;

/**
 * Hot lists must run a fixed number of SQL statements however many rows they
 * return (STYLE habit 10): each is read with FEW and with MANY rows. The counts
 * are exact, so a new statement is a deliberate change here, and the same on
 * every backend since transaction control is not counted (src/db/count.ts).
 * Relations loaded with `include` are one `IN (...)` statement each.
 */
const HISTORY = 1; // the page (a room needs no access check)
const MY_GROUPS = 2; // memberships; their groups with member counts
const MEMBERS = 3; // the viewer's role; the page; its users
const NOTIFICATIONS = 1; // the page
const BLOCKED = 2; // the blocks; their users
describe.each(backends())('query counts ($name)', (backend) => {
  let server: TestServer;
  let ada: Session;
  let owner: Session;
  let others: Session[];
  let room: string;
  let crowd: string;

  beforeAll(async () => {
    server = await startServer(backend);
    [ada, owner] = [await server.signIn(), await server.signIn()];
    server.ws(ada); // keeps ada's session alive while she sends over HTTP
    others = [];
    for (let i = 0; i < MANY; i++) others.push(await server.signIn());
    room = await joinRoom(server, ada, uniqueName('room'));
    for (let i = 0; i < MANY; i++) await send(server, ada, room, { i });
    // Each add makes ada a member and sends her a notification.
    const groups: string[] = [];
    for (let i = 0; i < MANY; i++) {
      const g = (await ok(server, S.createGroup, { n: uniqueName('group') }, owner)).createGroup.id;
      await ok(server, S.add, { g, u: [ada.userId] }, owner);
      groups.push(g);
    }
    crowd = groups[0]!;
    await ok(server, S.add, { g: crowd, u: others.map((s) => s.userId) }, owner);
    await ok(server, S.block, { u: others.slice(0, FEW).map((s) => s.userId) }, owner);
    await ok(server, S.block, { u: others.map((s) => s.userId) }, ada);
  }, 120_000);
  afterAll(() => server?.stop());

  /** The statements one operation ran, and its data. */
  async function counted(query: Operation, variables: Record<string, unknown>, s: Session) {
    const before = server.app.deps.db.queries;
    const data = await ok(server, query, variables, s);
    return { queries: server.app.deps.db.queries - before, data };
  }

  it('reads a page of channel history', async () => {
    const few = await counted(Q.history, { c: room, first: FEW }, ada);
    const many = await counted(Q.history, { c: room, first: MANY }, ada);
    expect([few.data.channelMessages.edges.length, many.data.channelMessages.edges.length]).toEqual([FEW, MANY]);
    expect([few.queries, many.queries]).toEqual([HISTORY, HISTORY]);
  });

  it('lists my groups with their member counts', async () => {
    const few = await counted(S.myGroups, { first: FEW }, ada);
    const many = await counted(S.myGroups, { first: MANY }, ada);
    expect([few.data.myGroups.edges.length, many.data.myGroups.edges.length]).toEqual([FEW, MANY]);
    expect([few.queries, many.queries]).toEqual([MY_GROUPS, MY_GROUPS]);
  });

  it('lists a group’s members with their users', async () => {
    const few = await counted(S.members, { g: crowd, first: FEW }, ada);
    const many = await counted(S.members, { g: crowd, first: MANY }, ada);
    expect([few.data.groupMembers.edges.length, many.data.groupMembers.edges.length]).toEqual([FEW, MANY]);
    expect([few.queries, many.queries]).toEqual([MEMBERS, MEMBERS]);
  });

  it('lists notifications', async () => {
    const few = await counted(S.notifications, { first: FEW }, ada);
    const many = await counted(S.notifications, { first: MANY }, ada);
    expect([few.data.notifications.edges.length, many.data.notifications.edges.length]).toEqual([FEW, MANY]);
    expect([few.queries, many.queries]).toEqual([NOTIFICATIONS, NOTIFICATIONS]);
  });

  // Not paged: the owner blocks FEW users and ada MANY.
  it('lists blocked users', async () => {
    const few = await counted(S.blocked, {}, owner);
    const many = await counted(S.blocked, {}, ada);
    expect([few.data.blockedUsers.length, many.data.blockedUsers.length]).toEqual([FEW, MANY]);
    expect([few.queries, many.queries]).toEqual([BLOCKED, BLOCKED]);
  });
});
