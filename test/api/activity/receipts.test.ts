import { describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { backends } from '../../helpers/backends.js';
import {
  errorCode,
  joinRoom,
  liveSubscription,
  send,
  suiteServer,
  uniqueName,
  type Session,
  type TestServer,
} from '../../helpers/server.js';
import { createGroup, ok, S } from '../../helpers/social.js';
import {
  ChannelReadsDocument,
  JoinDirectDocument,
  JoinGroupChannelDocument,
  MarkChannelReadDocument,
  OnActivityDocument,
  SendTypingDocument,
} from '../../generated/operations.js';

const mark = (server: TestServer, s: Session, c: string, m?: string) => ok(server, MarkChannelReadDocument, { c, m }, s);

const activityOf = (server: TestServer, s: Session, c: string) => liveSubscription(server, s, OnActivityDocument, { c });

describe.each(backends())('read receipts ($name)', (backend) => {
  const server = suiteServer(backend);

  it('sends a member’s mark to the chat once per second, the last mark of that second, and lists every mark', async () => {
    const [ada, bob] = [await server.signIn(), await server.signIn()];
    const c = (await ok(server, JoinDirectDocument, { u: bob.userId }, ada)).joinChat.id;
    await ok(server, JoinDirectDocument, { u: ada.userId }, bob);
    const sent = [];
    for (const n of [1, 2, 3]) sent.push(await send(server, ada, c, { n }));
    const feed = await activityOf(server, ada, c);
    // Three marks in quick succession: one receipt, at the last of them.
    for (const m of sent) await mark(server, bob, c, m.messageId);
    expect(await feed.next()).toMatchObject({
      __typename: 'ReadEvent',
      channelId: c,
      userId: bob.userId,
      lastReadMessageId: sent[2]!.messageId,
    });
    // Nothing more about those marks: the next event is bob typing.
    await ok(server, SendTypingDocument, { c }, bob);
    expect(await feed.next()).toMatchObject({ __typename: 'TypingEvent', userId: bob.userId });

    const reads = (await ok(server, ChannelReadsDocument, { c }, ada)).channelReads;
    // Ada's mark moved with her own sends; bob's with markRead.
    expect(reads.map((r: any) => [r.userId, r.lastReadMessageId])).toEqual(
      expect.arrayContaining([
        [bob.userId, sent[2]!.messageId],
        [ada.userId, sent[2]!.messageId],
      ]),
    );
    expect(reads).toHaveLength(2);
  });

  it('lists at most the 100 most recent marks in a big group, and sends no receipts there', async () => {
    const [ada, bob] = [await server.signIn(), await server.signIn()];
    const groupId = await createGroup(server, ada);
    const c = `group:${groupId}`;
    await ok(server, S.joinGroup, { g: groupId }, bob);
    await ok(server, JoinGroupChannelDocument, { g: groupId }, ada);
    await ok(server, JoinGroupChannelDocument, { g: groupId }, bob);
    const m = await send(server, ada, c, { text: 'to many' });
    // 100 more members, straight into the database (their inbox entries follow membership), each with a mark.
    const { prisma, db } = server.app.deps;
    const ids = Array.from({ length: 100 }, () => uuidv7());
    await prisma.user.createMany({
      data: ids.map((id, i) => ({ id, username: `bulk_${id}`, usernameKey: `bulk_${id}`, deviceId: `d${i}_${id}` })),
    });
    await prisma.groupMember.createMany({ data: ids.map((userId) => ({ groupId, userId, role: 'MEMBER' as const })) });
    await db.query(`UPDATE "InboxEntry" SET "lastReadMessageId" = $1, "readTime" = now() AT TIME ZONE 'UTC' WHERE "channelId" = $2`, [
      m.messageId,
      c,
    ]);
    expect((await ok(server, ChannelReadsDocument, { c }, bob)).channelReads).toHaveLength(100);

    const feed = await activityOf(server, ada, c);
    await mark(server, bob, c);
    await ok(server, SendTypingDocument, { c }, bob);
    // 102 members: bob's mark is not sent; his typing is the next event.
    expect(await feed.next(5000)).toMatchObject({ __typename: 'TypingEvent', userId: bob.userId });
  });

  it('refuses receipts of rooms and of channels the caller may not read', async () => {
    const [ada, bob, eve] = [await server.signIn(), await server.signIn(), await server.signIn()];
    const room = await joinRoom(server, ada, uniqueName('room'));
    expect(errorCode(await server.gql(ChannelReadsDocument, { c: room }, ada.token))).toBe('FORBIDDEN');
    const c = (await ok(server, JoinDirectDocument, { u: bob.userId }, ada)).joinChat.id;
    expect(errorCode(await server.gql(ChannelReadsDocument, { c }, eve.token))).toBe('NOT_FOUND');
    const groupId = await createGroup(server, ada, false);
    expect(errorCode(await server.gql(ChannelReadsDocument, { c: `group:${groupId}` }, eve.token))).toBe('FORBIDDEN');
    expect(errorCode(await server.gql(ChannelReadsDocument, { c }))).toBe('UNAUTHENTICATED');
  });
});
