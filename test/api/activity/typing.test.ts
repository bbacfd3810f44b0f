import { describe, expect, it } from 'vitest';
import { backends } from '../../helpers/backends.js';
import {
  errorCode,
  joinRoom,
  liveSubscription,
  Q,
  subscribe,
  suiteServer,
  uniqueName,
  type Session,
  type TestServer,
} from '../../helpers/server.js';
import { ok, S } from '../../helpers/social.js';
import { OnActivityDocument, SendTypingDocument } from '../../generated/operations.js';

const typing = (server: TestServer, s: Session, c: string, t = true) => ok(server, SendTypingDocument, { c, typing: t }, s);

/** Users joined to one fresh room, the last one following its activity. */
async function roomWith(server: TestServer, n: number, hidden: boolean[] = []) {
  const users = [];
  for (let i = 0; i < n; i++) users.push(await server.signIn());
  const name = uniqueName('room');
  let room = '';
  for (const [i, u] of users.entries()) room = await joinRoom(server, u, name, { hidden: hidden[i] ?? false });
  const watcher = users.at(-1)!;
  const feed = await liveSubscription(server, watcher, OnActivityDocument, { c: room });
  return { users, room, name, feed };
}

describe.each(backends())('typing ($name)', (backend) => {
  const server = suiteServer(backend);

  it("shows a start once however often it is renewed, and the stop, to the channel's other sessions only", async () => {
    const { users, room, feed } = await roomWith(server, 2);
    const [ada, bob] = users as [Session, Session];
    const own = await liveSubscription(server, ada, OnActivityDocument, { c: room });
    expect(await typing(server, ada, room)).toEqual({ sendTyping: true });
    expect(await feed.next()).toEqual({
      __typename: 'TypingEvent',
      channelId: room,
      userId: ada.userId,
      username: ada.username,
      sessionId: ada.sessionId,
      typing: true,
    });
    // Renewed within 2 s: accepted, not shown again; the next event is the stop.
    expect(await typing(server, ada, room)).toEqual({ sendTyping: true });
    await typing(server, ada, room, false);
    expect(await feed.next()).toMatchObject({ userId: ada.userId, typing: false });
    // Bob types: ada sees him, and never saw her own typing.
    await typing(server, bob, room);
    expect(await own.next()).toMatchObject({ userId: bob.userId, typing: true });
  });

  it('ends a typing state by itself 6 s after the last start, and when the typist leaves', async () => {
    const { users, room, feed } = await roomWith(server, 2);
    const [ada] = users as [Session];
    await typing(server, ada, room);
    expect(await feed.next()).toMatchObject({ typing: true });
    const started = Date.now();
    expect(await feed.next(9000)).toMatchObject({ userId: ada.userId, typing: false });
    expect(Date.now() - started).toBeGreaterThanOrEqual(5000);

    // A start after the window is shown again; leaving the channel ends it.
    await typing(server, ada, room);
    expect(await feed.next()).toMatchObject({ typing: true });
    await server.gql(Q.leave, { c: room }, ada.token);
    expect(await feed.next()).toMatchObject({ userId: ada.userId, typing: false });
  });

  it('never shows hidden sessions or users the viewer blocks', async () => {
    const { users, room, feed } = await roomWith(server, 4, [true]);
    const [ghost, cy, ada, bob] = users as [Session, Session, Session, Session];
    await ok(server, S.block, { u: [cy.userId] }, bob);
    expect(await typing(server, ghost, room)).toEqual({ sendTyping: true });
    await typing(server, cy, room);
    await typing(server, ada, room);
    // Only ada's typing arrives.
    expect(await feed.next()).toMatchObject({ userId: ada.userId, typing: true });
  });

  it('refuses typing in a channel the session has not joined, and anonymous calls', async () => {
    const [ada, eve] = [await server.signIn(), await server.signIn()];
    const room = await joinRoom(server, ada, uniqueName('room'));
    expect(errorCode(await server.gql(SendTypingDocument, { c: room }, eve.token))).toBe('FORBIDDEN');
    expect(errorCode(await server.gql(SendTypingDocument, { c: 'nonsense' }, eve.token))).toBe('NOT_FOUND');
    expect(errorCode(await server.gql(SendTypingDocument, { c: room }))).toBe('UNAUTHENTICATED');
    const sub = subscribe(server.ws(eve), OnActivityDocument, { c: room });
    expect(JSON.stringify(await sub.error())).toContain('FORBIDDEN');
  });
});
