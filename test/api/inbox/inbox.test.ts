import { describe, expect, it } from 'vitest';
import { backends } from '../../helpers/backends.js';
import { anotherSession, errorCode, joinRoom, send, suiteServer, uniqueName, type Session, type TestServer } from '../../helpers/server.js';
import { createGroup, ok, S } from '../../helpers/social.js';
import {
  HideChannelDocument,
  InboxDocument,
  JoinDirectDocument,
  JoinGroupChannelDocument,
  MarkChannelReadDocument,
  UnreadCountsDocument,
} from '../../generated/operations.js';

async function inboxOf(server: TestServer, s: Session, first = 100): Promise<any[]> {
  const entries: any[] = [];
  let after: string | null = null;
  for (;;) {
    const page: any = (await ok(server, InboxDocument, { first, after }, s)).inbox;
    entries.push(...page.edges.map((e: any) => e.node));
    if (!page.pageInfo.hasNextPage) return entries;
    after = page.pageInfo.endCursor;
  }
}

const entryFor = async (server: TestServer, s: Session, channelId: string) =>
  (await inboxOf(server, s)).find((e) => e.channelId === channelId);
const counts = async (server: TestServer, s: Session) => (await ok(server, UnreadCountsDocument, {}, s)).unreadCounts;
/** Waits for the clock to pass a millisecond, so what happens next has a later time than what came before. */
async function nextMillisecond() {
  const start = Date.now();
  while (Date.now() <= start + 1) await new Promise((r) => setImmediate(r));
}

const markRead = (server: TestServer, s: Session, c: string, m?: string) => server.gql(MarkChannelReadDocument, { c, m }, s.token);

describe.each(backends())('the inbox ($name)', (backend) => {
  const server = suiteServer(backend);

  it('holds group channels, direct chats once either user joined, and rooms joined with persistence on, newest activity first', async () => {
    const [ada, bob] = [await server.signIn(), await server.signIn()];
    const groupId = await createGroup(server, ada);
    await ok(server, S.joinGroup, { g: groupId }, bob);
    const group = `group:${groupId}`;
    // Bob never joined the group's channel, yet it is in his inbox as a member.
    expect((await inboxOf(server, bob)).map((e) => e.channelId)).toEqual([group]);

    await nextMillisecond();
    const roomName = uniqueName('room');
    const room = await joinRoom(server, bob, roomName);
    await nextMillisecond();
    await joinRoom(server, bob, uniqueName('transient'), { persistence: false });
    const direct = (await ok(server, JoinDirectDocument, { u: bob.userId }, ada)).joinChat.id;
    // Ada joined the direct chat: it is in both inboxes.
    let bobs = await inboxOf(server, bob);
    expect(bobs.map((e) => e.channelId)).toEqual([direct, room, group]);
    expect(bobs.map((e) => [e.type, e.title])).toEqual([
      ['DIRECT', ada.username],
      ['ROOM', roomName],
      ['GROUP', expect.any(String)],
    ]);
    expect(bobs.every((e) => e.unreadCount === 0 && e.lastMessage === null && !e.hidden && !e.removed)).toBe(true);

    // A chat message moves its channel to the top, for every member.
    await ok(server, JoinGroupChannelDocument, { g: groupId }, ada);
    await nextMillisecond();
    const sent = await send(server, ada, group, { text: 'hello group' });
    bobs = await inboxOf(server, bob);
    expect(bobs.map((e) => e.channelId)).toEqual([group, direct, room]);
    expect(bobs[0]).toMatchObject({
      unreadCount: 1,
      lastMessage: { id: sent.messageId, senderId: ada.userId, content: { text: 'hello group' } },
    });
    // Pages of one walk the same order without repeats.
    expect((await inboxOf(server, bob, 1)).map((e) => e.channelId)).toEqual([group, direct, room]);
  });

  it('counts chat messages from others past the mark; sending, markRead and removals move the count, edits and group events do not', async () => {
    const [ada, bob, cy] = [await server.signIn(), await server.signIn(), await server.signIn()];
    const groupId = await createGroup(server, ada);
    await ok(server, S.joinGroup, { g: groupId }, bob);
    const c = `group:${groupId}`;
    await ok(server, JoinGroupChannelDocument, { g: groupId }, ada);
    await ok(server, JoinGroupChannelDocument, { g: groupId }, bob);
    const m1 = await send(server, ada, c, { n: 1 });
    const m2 = await send(server, ada, c, { n: 2 });
    const m3 = await send(server, ada, c, { n: 3 });
    expect((await entryFor(server, bob, c)).unreadCount).toBe(3);
    // Ada's own messages never count for her.
    expect((await entryFor(server, ada, c)).unreadCount).toBe(0);

    // An edit is not a new message; a group event (cy joins) is not a chat message.
    await ok(server, S.update, { c, m: m1.messageId, content: { n: 'one' } }, ada);
    await ok(server, S.joinGroup, { g: groupId }, cy);
    expect((await entryFor(server, bob, c)).unreadCount).toBe(3);

    // Removing an unread message takes it out; removing a read one changes nothing.
    const marked = (await markRead(server, bob, c, m1.messageId)).data!.markRead;
    expect(marked).toMatchObject({ channelId: c, unreadCount: 2, lastReadMessageId: m1.messageId });
    await ok(server, S.remove, { c, m: m3.messageId }, ada);
    expect((await entryFor(server, bob, c)).unreadCount).toBe(1);
    await ok(server, S.remove, { c, m: m1.messageId }, ada);
    expect((await entryFor(server, bob, c)).unreadCount).toBe(1);
    expect(await counts(server, bob)).toEqual({ unreadCount: 1, mentionCount: 0, unreadChannels: 1 });

    // A mark never moves back.
    const m4 = await send(server, ada, c, { n: 4 });
    expect((await markRead(server, bob, c, m4.messageId)).data!.markRead.unreadCount).toBe(0);
    expect((await markRead(server, bob, c, m2.messageId)).data!.markRead).toMatchObject({
      unreadCount: 0,
      lastReadMessageId: m4.messageId,
    });

    // Sending moves the sender's own mark: what came before is read.
    await send(server, ada, c, { n: 5 });
    expect((await entryFor(server, bob, c)).unreadCount).toBe(1);
    await send(server, bob, c, { reply: true });
    expect((await entryFor(server, bob, c)).unreadCount).toBe(0);
    expect((await entryFor(server, ada, c)).unreadCount).toBe(1);

    // Omitting messageId marks everything read.
    expect((await markRead(server, ada, c)).data!.markRead.unreadCount).toBe(0);
    expect(await counts(server, ada)).toEqual({ unreadCount: 0, mentionCount: 0, unreadChannels: 0 });
  });

  it('shares one mark between all of a user’s sessions, and totals unread over the inbox', async () => {
    const [ada, bob] = [await server.signIn(), await server.signIn()];
    const phone = await anotherSession(server, bob);
    const rooms = [uniqueName('room'), uniqueName('room')];
    const [r1, r2] = [await joinRoom(server, ada, rooms[0]!), await joinRoom(server, ada, rooms[1]!)];
    await joinRoom(server, bob, rooms[0]!);
    await joinRoom(server, phone, rooms[1]!);
    for (const n of [1, 2, 3]) await send(server, ada, r1, { n });
    for (const n of [1, 2]) await send(server, ada, r2, { n });
    expect(phone.userId).toBe(bob.userId);
    expect(await counts(server, phone)).toEqual({ unreadCount: 5, mentionCount: 0, unreadChannels: 2 });
    await markRead(server, bob, r1);
    expect(await counts(server, phone)).toEqual({ unreadCount: 2, mentionCount: 0, unreadChannels: 1 });
    expect((await entryFor(server, phone, r1)).unreadCount).toBe(0);
  });

  it('drops a group from the inbox of a member who leaves, is kicked or banned, and adds it back with nothing unread', async () => {
    const [ada, bob, cy, dee] = [await server.signIn(), await server.signIn(), await server.signIn(), await server.signIn()];
    const groupId = await createGroup(server, ada);
    const c = `group:${groupId}`;
    for (const s of [bob, cy, dee]) await ok(server, S.joinGroup, { g: groupId }, s);
    await ok(server, JoinGroupChannelDocument, { g: groupId }, ada);
    await send(server, ada, c, { text: 'before' });
    await ok(server, S.leaveGroup, { g: groupId }, bob);
    await ok(server, S.kick, { g: groupId, u: [cy.userId] }, ada);
    await ok(server, S.ban, { g: groupId, u: [dee.userId] }, ada);
    for (const s of [bob, cy, dee]) {
      expect(await entryFor(server, s, c)).toBeUndefined();
      expect(await counts(server, s)).toEqual({ unreadCount: 0, mentionCount: 0, unreadChannels: 0 });
      expect(errorCode(await markRead(server, s, c))).toBe('FORBIDDEN');
    }
    await ok(server, S.joinGroup, { g: groupId }, bob);
    expect(await entryFor(server, bob, c)).toMatchObject({ unreadCount: 0 });
  });

  it("leaves a blocked user's messages out for the user who blocked, and changes nothing for the blocked user", async () => {
    const [ada, bob, cy] = [await server.signIn(), await server.signIn(), await server.signIn()];
    const name = uniqueName('room');
    const room = await joinRoom(server, ada, name);
    await joinRoom(server, bob, name);
    await joinRoom(server, cy, name);
    const quietName = uniqueName('room');
    const quiet = await joinRoom(server, ada, quietName);
    await joinRoom(server, cy, quietName);
    const fromCy = await send(server, cy, room, { text: 'from cy' });
    await nextMillisecond();
    await send(server, cy, quiet, { text: 'later, elsewhere' });
    await nextMillisecond();
    await ok(server, S.block, { u: [bob.userId] }, ada);
    await send(server, bob, room, { text: 'from bob' });
    await send(server, bob, room, { text: 'again' });
    const adas = await inboxOf(server, ada);
    // Bob's messages neither count, nor show as the last message, nor move the room above `quiet`.
    expect(adas.map((e) => e.channelId)).toEqual([quiet, room]);
    expect(adas[1]).toMatchObject({ unreadCount: 1, lastMessage: { id: fromCy.messageId } });
    expect(await counts(server, ada)).toEqual({ unreadCount: 2, mentionCount: 0, unreadChannels: 2 });
    // For bob, ada's block changes nothing he can see: his own sends moved his mark, and ada's message counts.
    await send(server, ada, room, { text: 'from ada' });
    expect((await entryFor(server, bob, room)).unreadCount).toBe(1);
  });

  it('hides an entry until a new chat message arrives (not a blocked user’s) or the user joins again', async () => {
    const [ada, bob, cy] = [await server.signIn(), await server.signIn(), await server.signIn()];
    const name = uniqueName('room');
    const room = await joinRoom(server, ada, name);
    await joinRoom(server, bob, name);
    await joinRoom(server, cy, name);
    await send(server, bob, room, { text: 'unread, then hidden' });
    expect((await ok(server, HideChannelDocument, { c: room }, ada)).hideChannel).toBe(true);
    expect(await entryFor(server, ada, room)).toBeUndefined();
    expect(await counts(server, ada)).toEqual({ unreadCount: 0, mentionCount: 0, unreadChannels: 0 });
    // markRead still answers for a hidden entry, and says so.
    expect((await markRead(server, ada, room)).data!.markRead).toMatchObject({ hidden: true, unreadCount: 0 });

    await ok(server, S.block, { u: [cy.userId] }, ada);
    await send(server, cy, room, { text: 'blocked' });
    expect(await entryFor(server, ada, room)).toBeUndefined();
    await send(server, bob, room, { text: 'back' });
    expect(await entryFor(server, ada, room)).toMatchObject({ hidden: false, unreadCount: 1 });

    await ok(server, HideChannelDocument, { c: room }, ada);
    await joinRoom(server, ada, name);
    expect(await entryFor(server, ada, room)).toMatchObject({ hidden: false });
  });

  it('refuses bad input with a clear code and changes nothing', async () => {
    const [ada, bob, eve] = [await server.signIn(), await server.signIn(), await server.signIn()];
    const name = uniqueName('room');
    const room = await joinRoom(server, ada, name);
    await joinRoom(server, bob, name);
    const other = await joinRoom(server, bob, uniqueName('room'));
    const elsewhere = await send(server, bob, other, { text: 'elsewhere' });
    await send(server, bob, room, { text: 'unread' });
    const groupId = await createGroup(server, bob, false);

    expect(errorCode(await markRead(server, ada, room, elsewhere.messageId))).toBe('BAD_USER_INPUT');
    expect(errorCode(await markRead(server, ada, room, 'no-such-message'))).toBe('BAD_USER_INPUT');
    expect(errorCode(await markRead(server, ada, 'nonsense'))).toBe('NOT_FOUND');
    expect(errorCode(await markRead(server, eve, room))).toBe('NOT_FOUND');
    expect(errorCode(await markRead(server, eve, `group:${groupId}`))).toBe('FORBIDDEN');
    expect(
      errorCode(
        await markRead(server, eve, `direct:${ada.userId < bob.userId ? `${ada.userId}:${bob.userId}` : `${bob.userId}:${ada.userId}`}`),
      ),
    ).toBe('NOT_FOUND');
    expect(errorCode(await server.gql(HideChannelDocument, { c: room }, eve.token))).toBe('NOT_FOUND');
    expect(errorCode(await server.gql(InboxDocument, { first: 0 }, ada.token))).toBe('BAD_USER_INPUT');
    expect(errorCode(await server.gql(InboxDocument, { first: 5, after: 'bm90LWEtY3Vyc29y' }, ada.token))).toBe('BAD_USER_INPUT');
    expect(errorCode(await server.gql(InboxDocument, {}))).toBe('UNAUTHENTICATED');
    expect(errorCode(await server.gql(UnreadCountsDocument, {}))).toBe('UNAUTHENTICATED');
    expect(errorCode(await server.gql(MarkChannelReadDocument, { c: room }))).toBe('UNAUTHENTICATED');
    // Nothing moved.
    expect((await entryFor(server, ada, room)).unreadCount).toBe(1);
  });
});
