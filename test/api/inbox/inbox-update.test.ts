import { describe, expect, it } from 'vitest';
import { backends } from '../../helpers/backends.js';
import {
  anotherSession,
  joinRoom,
  liveSubscription,
  send,
  subscribe,
  suiteServer,
  uniqueName,
  type Session,
  type TestServer,
} from '../../helpers/server.js';
import { createGroup, ok, S } from '../../helpers/social.js';
import {
  HideChannelDocument,
  InboxDocument,
  JoinGroupChannelDocument,
  MarkChannelReadDocument,
  OnInboxDocument,
  SendMentioningDocument,
} from '../../generated/operations.js';

const inboxUpdates = (server: TestServer, s: Session) => liveSubscription(server, s, OnInboxDocument);

describe.each(backends())('inboxUpdate ($name)', (backend) => {
  const server = suiteServer(backend);

  it('shows every session of the user its entry as it changes, each viewer their own counts', async () => {
    const [ada, bob] = [await server.signIn(), await server.signIn()];
    const phone = await anotherSession(server, bob);
    const name = uniqueName('room');
    const room = await joinRoom(server, ada, name);
    await joinRoom(server, bob, name);
    const [laptopFeed, phoneFeed, adaFeed] = [
      await inboxUpdates(server, bob),
      await inboxUpdates(server, phone),
      await inboxUpdates(server, ada),
    ];

    const sent = await send(server, ada, room, { text: 'hi bob' });
    for (const feed of [laptopFeed, phoneFeed]) {
      expect(await feed.next()).toMatchObject({
        channelId: room,
        unreadCount: 1,
        lastMessage: { id: sent.messageId, content: { text: 'hi bob' } },
      });
    }
    // The same message, seen by its sender: nothing unread, her mark on it.
    expect(await adaFeed.next()).toMatchObject({ channelId: room, unreadCount: 0, lastReadMessageId: sent.messageId });

    // Read on the phone: the laptop's badge clears.
    await server.gql(MarkChannelReadDocument, { c: room }, phone.token);
    expect(await laptopFeed.next()).toMatchObject({ channelId: room, unreadCount: 0, lastReadMessageId: sent.messageId });
    expect(await phoneFeed.next()).toMatchObject({ channelId: room, unreadCount: 0 });
  });

  it('adds an entry when the user joins a group, and removes it once when they are kicked', async () => {
    const [ada, bob] = [await server.signIn(), await server.signIn()];
    const groupId = await createGroup(server, ada);
    const c = `group:${groupId}`;
    await ok(server, JoinGroupChannelDocument, { g: groupId }, ada);
    const feed = await inboxUpdates(server, bob);
    await ok(server, S.joinGroup, { g: groupId }, bob);
    expect(await feed.next()).toMatchObject({ channelId: c, type: 'GROUP', unreadCount: 0, removed: false });
    // Bob follows the new entry without joining the channel or subscribing again.
    const sent = await send(server, ada, c, { text: 'welcome' });
    expect(await feed.next()).toMatchObject({ channelId: c, unreadCount: 1, lastMessage: { id: sent.messageId } });

    await ok(server, S.kick, { g: groupId, u: [bob.userId] }, ada);
    expect(await feed.next()).toMatchObject({ channelId: c, removed: true, unreadCount: 0, lastMessage: null });
    // Nothing more of that group reaches him: the next update is from elsewhere.
    await send(server, ada, c, { text: 'after the kick' });
    const name = uniqueName('room');
    const room = await joinRoom(server, bob, name);
    expect(await feed.next()).toMatchObject({ channelId: room });
  });

  it('shows an entry hidden, keeps it hidden through a blocked user’s message, and back with a new one', async () => {
    const [ada, bob, cy] = [await server.signIn(), await server.signIn(), await server.signIn()];
    const name = uniqueName('room');
    const room = await joinRoom(server, ada, name);
    await joinRoom(server, bob, name);
    await joinRoom(server, cy, name);
    await ok(server, S.block, { u: [cy.userId] }, bob);
    const feed = await inboxUpdates(server, bob);
    await ok(server, HideChannelDocument, { c: room }, bob);
    expect(await feed.next()).toMatchObject({ channelId: room, hidden: true });
    await send(server, cy, room, { text: 'blocked' });
    const back = await send(server, ada, room, { text: 'back' });
    // The blocked user's message brought nothing; ada's brings the entry back.
    expect(await feed.next()).toMatchObject({ channelId: room, hidden: false, unreadCount: 1, lastMessage: { id: back.messageId } });
  });

  it('needs a signed-in user', async () => {
    const sub = subscribe(server.ws(null), OnInboxDocument);
    // Refused at connection init, before any inbox is read.
    expect((await sub.error()).code).toBe(4403);
  });

  it('derives each entry from the message in memory exactly as the inbox query reads it, and reads it again after a removal', async () => {
    const [ada, bob, cy] = [await server.signIn(), await server.signIn(), await server.signIn()];
    const phone = await anotherSession(server, bob);
    const name = uniqueName('room');
    const room = await joinRoom(server, ada, name);
    for (const s of [bob, phone, cy]) await joinRoom(server, s, name);
    await ok(server, S.block, { u: [cy.userId] }, bob);
    const feed = await inboxUpdates(server, bob);
    const fromQuery = async () => {
      const page = (await ok(server, InboxDocument, { first: 100 }, bob)).inbox;
      return page.edges.map((e: any) => e.node).find((e: any) => e.channelId === room);
    };
    const mention = (s: Session, text: string, mentions: string[] = []) =>
      ok(server, SendMentioningDocument, { c: room, content: { text }, mentions }, s).then((d) => d.sendMessage.messageId as string);

    // The first message is read from the database; the next ones follow in sequence and are derived.
    const steps: [Session, string, string[]][] = [
      [ada, 'one', []],
      [ada, 'two, for bob', [bob.userId]],
      [ada, 'three', []],
      [phone, 'bob from his phone', []],
      [ada, 'four, for bob again', [bob.userId]],
    ];
    for (const [s, text, mentions] of steps) {
      const id = await mention(s, text, mentions);
      const got = await feed.next();
      expect(got.lastMessage.id).toBe(id);
      expect(got).toEqual(await fromQuery());
    }
    expect(await fromQuery()).toMatchObject({ unreadCount: 1, mentionCount: 1 });

    // A blocked user's message changes nothing bob sees: no event, and the next one is ada's.
    await mention(cy, 'from cy', [bob.userId]);
    const five = await mention(ada, 'five');
    expect(await feed.next()).toEqual({ ...(await fromQuery()), lastMessage: expect.objectContaining({ id: five }) });

    // A removal reads the entry again.
    await ok(server, S.remove, { c: room, m: five }, ada);
    const afterRemoval = await feed.next();
    expect(afterRemoval).toEqual(await fromQuery());
    expect(afterRemoval.unreadCount).toBe(1);
    feed.close();
  });

  it('updates counts and the last message live when the user blocks someone', async () => {
    const [ada, bob, cy] = [await server.signIn(), await server.signIn(), await server.signIn()];
    const name = uniqueName('room');
    const room = await joinRoom(server, ada, name);
    for (const s of [bob, cy]) await joinRoom(server, s, name);
    const feed = await inboxUpdates(server, bob);
    const hi = await send(server, ada, room, { text: 'hi' });
    expect(await feed.next()).toMatchObject({ unreadCount: 1, lastMessage: { id: hi.messageId } });
    const spam = await send(server, cy, room, { text: 'spam' });
    expect(await feed.next()).toMatchObject({ unreadCount: 2, lastMessage: { id: spam.messageId } });

    await ok(server, S.block, { u: [cy.userId] }, bob);
    expect(await feed.next()).toMatchObject({ unreadCount: 1, lastMessage: { id: hi.messageId } });
    // Nothing more from cy shows; ada's next message counts from the new state.
    await send(server, cy, room, { text: 'more spam' });
    const again = await send(server, ada, room, { text: 'again' });
    expect(await feed.next()).toMatchObject({ unreadCount: 2, lastMessage: { id: again.messageId } });
    feed.close();
  });
});
