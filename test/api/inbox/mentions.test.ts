import { describe, expect, it } from 'vitest';
import { backends } from '../../helpers/backends.js';
import {
  historyIds,
  joinRoom,
  liveSubscription,
  send,
  suiteServer,
  uniqueName,
  type Session,
  type TestServer,
} from '../../helpers/server.js';
import { createGroup, notificationsOf, ok, refused, S } from '../../helpers/social.js';
import {
  InboxDocument,
  JoinDirectDocument,
  JoinGroupChannelDocument,
  MarkChannelReadDocument,
  MessageMentionsDocument,
  OnMentionedMessageDocument,
  SendMentioningDocument,
  UnreadCountsDocument,
} from '../../generated/operations.js';

const MENTION = -6;

const entryFor = async (server: TestServer, s: Session, channelId: string) =>
  (await ok(server, InboxDocument, { first: 100 }, s)).inbox.edges.map((e: any) => e.node).find((e: any) => e.channelId === channelId);
const mentionCount = async (server: TestServer, s: Session, channelId: string) => (await entryFor(server, s, channelId)).mentionCount;
const counts = async (server: TestServer, s: Session) => (await ok(server, UnreadCountsDocument, {}, s)).unreadCounts;
const mentionsOf = async (server: TestServer, s: Session) => (await notificationsOf(server, s)).filter((n) => n.code === MENTION);

async function mention(server: TestServer, s: Session, c: string, mentions: string[], text = 'hi', cid?: string) {
  return (await ok(server, SendMentioningDocument, { c, content: { text }, mentions, cid }, s)).sendMessage.messageId as string;
}

/** A group whose channel ada has joined, with bob and cy as members. */
async function groupOfThree(server: TestServer) {
  const [ada, bob, cy] = [await server.signIn(), await server.signIn(), await server.signIn()];
  const groupId = await createGroup(server, ada);
  for (const s of [bob, cy]) await ok(server, S.joinGroup, { g: groupId }, s);
  await ok(server, JoinGroupChannelDocument, { g: groupId }, ada);
  return { ada, bob, cy, groupId, channel: `group:${groupId}` };
}

describe.each(backends())('mentions ($name)', (backend) => {
  const server = suiteServer(backend);

  it('keep users with the channel in their inbox, show on the message without revealing blocks, and notify each once unless they block the sender', async () => {
    const { ada, bob, cy, groupId, channel } = await groupOfThree(server);
    const [outsider, blocker] = [await server.signIn(), await server.signIn()];
    await ok(server, S.joinGroup, { g: groupId }, blocker);
    await ok(server, S.block, { u: [ada.userId] }, blocker);
    const bobsNotes = await liveSubscription(server, bob, S.onNotification);
    await ok(server, JoinGroupChannelDocument, { g: groupId }, cy);
    const live = await liveSubscription(server, cy, OnMentionedMessageDocument, { c: channel });

    const named = [bob.userId, outsider.userId, ada.userId, cy.userId, blocker.userId, bob.userId, 'no-such-user'];
    const id = await mention(server, ada, channel, named);

    // The user who blocks ada is listed like the others: the list reveals no block.
    const listed = [bob.userId, cy.userId, blocker.userId];
    expect(await live.next()).toEqual({ id, mentions: listed });
    expect(await bobsNotes.next()).toMatchObject({ code: MENTION, senderId: ada.userId, content: { channelId: channel, messageId: id } });
    const stored = (await ok(server, MessageMentionsDocument, { c: channel }, bob)).channelMessages.edges.map((e: any) => e.node);
    expect(stored.find((m: any) => m.id === id).mentions).toEqual(listed);
    expect((await mentionsOf(server, bob)).map((n) => n.content.messageId)).toEqual([id]);
    expect(await mentionsOf(server, cy)).toHaveLength(1);
    for (const s of [outsider, blocker, ada]) expect(await mentionsOf(server, s)).toEqual([]);

    expect(await entryFor(server, bob, channel)).toMatchObject({
      unreadCount: 1,
      mentionCount: 1,
      lastMessage: { id, mentions: listed },
    });
    expect(await counts(server, bob)).toEqual({ unreadCount: 1, mentionCount: 1, unreadChannels: 1 });
    // The user who blocked the sender counts neither the message nor a mention.
    expect(await entryFor(server, blocker, channel)).toMatchObject({ unreadCount: 0, mentionCount: 0 });
    bobsNotes.close();
    live.close();
  });

  it('fall as the read mark passes them, when the message is removed, and when the reader blocks the sender', async () => {
    const { ada, bob, cy, channel } = await groupOfThree(server);
    const first = await mention(server, ada, channel, [bob.userId]);
    const second = await mention(server, ada, channel, [bob.userId, cy.userId]);
    await send(server, ada, channel, { text: 'no mention' });
    expect(await entryFor(server, bob, channel)).toMatchObject({ unreadCount: 3, mentionCount: 2 });

    await ok(server, MarkChannelReadDocument, { c: channel, m: first }, bob);
    expect(await entryFor(server, bob, channel)).toMatchObject({ unreadCount: 2, mentionCount: 1 });
    await ok(server, MarkChannelReadDocument, { c: channel, m: second }, bob);
    expect(await entryFor(server, bob, channel)).toMatchObject({ unreadCount: 1, mentionCount: 0 });
    // Reading up to the mark again changes nothing; a newer mention counts again.
    await ok(server, MarkChannelReadDocument, { c: channel, m: first }, bob);
    await mention(server, ada, channel, [bob.userId]);
    expect(await mentionCount(server, bob, channel)).toBe(1);
    await ok(server, MarkChannelReadDocument, { c: channel }, bob);
    expect(await counts(server, bob)).toEqual({ unreadCount: 0, mentionCount: 0, unreadChannels: 0 });

    // Removing an unread mention takes it out of the count.
    expect(await mentionCount(server, cy, channel)).toBe(1);
    await ok(server, S.remove, { c: channel, m: second }, ada);
    expect(await entryFor(server, cy, channel)).toMatchObject({ mentionCount: 0 });

    // Blocking the sender stops their unread mentions counting.
    await mention(server, ada, channel, [cy.userId]);
    expect(await mentionCount(server, cy, channel)).toBe(1);
    await ok(server, S.block, { u: [ada.userId] }, cy);
    expect(await entryFor(server, cy, channel)).toMatchObject({ unreadCount: 0, mentionCount: 0 });
    expect(await counts(server, cy)).toEqual({ unreadCount: 0, mentionCount: 0, unreadChannels: 0 });
  });

  it('work in direct chats and in rooms for users who joined them with persistence on', async () => {
    const [ada, bob, cy] = [await server.signIn(), await server.signIn(), await server.signIn()];
    const direct = (await ok(server, JoinDirectDocument, { u: bob.userId }, ada)).joinChat.id;
    await mention(server, ada, direct, [bob.userId, cy.userId]);
    expect(await entryFor(server, bob, direct)).toMatchObject({ mentionCount: 1 });
    expect(await mentionsOf(server, cy)).toEqual([]);

    const name = uniqueName('room');
    const room = await joinRoom(server, ada, name);
    await joinRoom(server, bob, name);
    await joinRoom(server, cy, name, { persistence: false });
    const id = await mention(server, ada, room, [bob.userId, cy.userId]);
    const stored = (await ok(server, MessageMentionsDocument, { c: room }, ada)).channelMessages.edges.map((e: any) => e.node);
    expect(stored).toEqual([{ id, mentions: [bob.userId] }]);
    expect(await mentionCount(server, bob, room)).toBe(1);
  });

  it('a retried send notifies once', async () => {
    const { ada, bob, channel } = await groupOfThree(server);
    const first = await mention(server, ada, channel, [bob.userId], 'once', 'retry-1');
    const again = await mention(server, ada, channel, [bob.userId], 'once', 'retry-1');
    expect(again).toBe(first);
    expect(await mentionsOf(server, bob)).toHaveLength(1);
    expect(await mentionCount(server, bob, channel)).toBe(1);
  });

  it('are refused without a stored message, or past 100 users, and nothing is stored or sent', async () => {
    const [ada, bob] = [await server.signIn(), await server.signIn()];
    const name = uniqueName('room');
    const transient = await joinRoom(server, ada, name, { persistence: false });
    await joinRoom(server, bob, name);
    const live = await liveSubscription(server, bob, OnMentionedMessageDocument, { c: transient });

    const noStore = await refused(server, SendMentioningDocument, { c: transient, content: { text: 'x' }, mentions: [bob.userId] }, ada);
    expect(noStore.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'mentions' });
    const many = Array.from({ length: 101 }, (_, i) => `user-${i}`);
    const tooMany = await refused(server, SendMentioningDocument, { c: transient, content: { text: 'x' }, mentions: many }, bob);
    expect(tooMany.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'mentions' });
    expect(await historyIds(server, bob, transient)).toEqual([]);
    expect(await mentionsOf(server, bob)).toEqual([]);

    // An empty list is no mention, so a session without persistence may send it; it is the first message delivered.
    const sent = (await ok(server, SendMentioningDocument, { c: transient, content: { text: 'plain' }, mentions: [] }, ada)).sendMessage;
    expect(sent.persistent).toBe(false);
    expect(await live.next()).toEqual({ id: sent.messageId, mentions: [] });
    live.close();
  });
});
