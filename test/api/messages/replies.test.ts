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
import { createGroup, ok, refused, S } from '../../helpers/social.js';
import {
  InboxDocument,
  JoinGroupChannelDocument,
  OnThreadedDocument,
  OnThreadEventDocument,
  RepliesDocument,
  ReplyDocument,
  ThreadDocument,
} from '../../generated/operations.js';

const reply = async (server: TestServer, s: Session, c: string, r: string, text: string) =>
  (await ok(server, ReplyDocument, { c, content: { text }, r }, s)).sendMessage;
const repliesTo = async (server: TestServer, s: Session, c: string, m: string) =>
  (await ok(server, RepliesDocument, { c, m }, s)).messageReplies.edges.map((e: any) => e.node.id);
const countOf = async (server: TestServer, s: Session, c: string, m: string) =>
  (await ok(server, ThreadDocument, { c }, s)).channelMessages.edges.find((e: any) => e.node.id === m)?.node.replyCount;

describe.each(backends())('replies ($name)', (backend) => {
  const server = suiteServer(backend);

  it('are ordinary messages of the channel; the parent counts the replies still present, live as ThreadEvents', async () => {
    const [ada, bob] = [await server.signIn(), await server.signIn()];
    const name = uniqueName('room');
    const room = await joinRoom(server, ada, name);
    await joinRoom(server, bob, name);
    const parent = (await send(server, ada, room, { text: 'lunch?' })).messageId;
    const [messages, activity] = [
      await liveSubscription(server, ada, OnThreadedDocument, { c: room }),
      await liveSubscription(server, ada, OnThreadEventDocument, { c: room }),
    ];

    const first = await reply(server, bob, room, parent, 'yes');
    expect(first.replyTo).toBe(parent);
    expect(await messages.next()).toEqual({ id: first.messageId, replyTo: parent, replyCount: 0, content: { text: 'yes' } });
    expect(await activity.next()).toEqual({ __typename: 'ThreadEvent', channelId: room, messageId: parent, replyCount: 1 });
    // A reply to a reply has a thread of its own.
    const nested = await reply(server, ada, room, first.messageId, 'where?');
    expect(await activity.next()).toMatchObject({ messageId: first.messageId, replyCount: 1 });
    const second = await reply(server, bob, room, parent, 'at noon');
    expect(await activity.next()).toMatchObject({ messageId: parent, replyCount: 2 });

    expect(await historyIds(server, ada, room)).toEqual([parent, first.messageId, nested.messageId, second.messageId]);
    expect(await countOf(server, ada, room, parent)).toBe(2);
    expect(await repliesTo(server, ada, room, parent)).toEqual([first.messageId, second.messageId]);
    // Pages of one, oldest first.
    const page1 = (await ok(server, RepliesDocument, { c: room, m: parent, first: 1 }, ada)).messageReplies;
    const page2 = (await ok(server, RepliesDocument, { c: room, m: parent, first: 1, after: page1.pageInfo.endCursor }, ada))
      .messageReplies;
    expect([page1.edges[0].node.id, page2.edges[0].node.id, page2.pageInfo.hasNextPage]).toEqual([
      first.messageId,
      second.messageId,
      false,
    ]);
    // Replies count as unread like any message: bob's second one, after ada's own reply moved her mark.
    const entry = (await ok(server, InboxDocument, { first: 100 }, ada)).inbox.edges.find((e: any) => e.node.channelId === room).node;
    expect(entry).toMatchObject({ unreadCount: 1, lastMessage: { id: second.messageId } });

    // Removing a reply takes it out of the count, live and in history; the parent's removal leaves the thread.
    await ok(server, S.remove, { c: room, m: first.messageId }, bob);
    expect(await activity.next()).toMatchObject({ messageId: parent, replyCount: 1 });
    expect(await countOf(server, ada, room, parent)).toBe(1);
    expect(await repliesTo(server, ada, room, parent)).toEqual([second.messageId]);
    await ok(server, S.remove, { c: room, m: parent }, ada);
    expect(await repliesTo(server, bob, room, parent)).toEqual([second.messageId]);
    messages.close();
    activity.close();
  });

  it('are refused without a stored message, across channels, to a removed message or a group event, and nothing is stored', async () => {
    const [ada, bob] = [await server.signIn(), await server.signIn()];
    const name = uniqueName('room');
    const room = await joinRoom(server, ada, name);
    const other = await joinRoom(server, ada, uniqueName('other'));
    await joinRoom(server, bob, name, { persistence: false });
    const parent = (await send(server, ada, room, { text: 'parent' })).messageId;
    const elsewhere = (await send(server, ada, other, { text: 'elsewhere' })).messageId;
    const gone = (await send(server, ada, room, { text: 'gone' })).messageId;
    await ok(server, S.remove, { c: room, m: gone }, ada);
    const before = await historyIds(server, ada, room);

    const cases: [Session, string][] = [
      [bob, parent], // persistence off
      [ada, elsewhere], // another channel's message
      [ada, gone], // removed
      [ada, 'no-such-message'],
    ];
    for (const [s, r] of cases) {
      const error = await refused(server, ReplyDocument, { c: room, content: { text: 'x' }, r }, s);
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'replyTo' });
    }
    expect(await historyIds(server, ada, room)).toEqual(before);
    expect(await countOf(server, ada, room, parent)).toBe(0);

    // A group event (ada joining the group) is not a message to reply to.
    const groupId = await createGroup(server, ada);
    await ok(server, S.joinGroup, { g: groupId }, bob);
    const group = `group:${groupId}`;
    await ok(server, JoinGroupChannelDocument, { g: groupId }, ada);
    const event = (await ok(server, ThreadDocument, { c: group }, ada)).channelMessages.edges[0].node.id;
    const onEvent = await refused(server, ReplyDocument, { c: group, content: { text: 'x' }, r: event }, ada);
    expect(onEvent.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'replyTo' });
    // A thread is read with the channel's own access rules.
    const outsider = await server.signIn();
    const denied = await refused(server, RepliesDocument, { c: group, m: event }, outsider);
    expect(['FORBIDDEN', 'NOT_FOUND']).toContain(denied.extensions?.code);
  });
});
