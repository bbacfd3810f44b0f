import { describe, expect, it } from 'vitest';
import { backends } from '../../helpers/backends.js';
import { joinRoom, liveSubscription, Q, send, suiteServer, uniqueName } from '../../helpers/server.js';

describe.each(backends())('a subscription to every joined channel, when a join is heard late ($name)', (backend) => {
  const server = suiteServer(backend);

  it('replays what was stored since the join before going on live, once each', async () => {
    const [ada, zoe] = [await server.signIn(), await server.signIn()];
    const room = await joinRoom(server, ada, uniqueName('room'));
    const all = await liveSubscription(server, zoe, Q.onMessage, {});
    const { deps } = server.app;
    const head = BigInt((await deps.db.query<{ s: string }>(`SELECT "lastSeq"::text AS s FROM "Channel" WHERE id = $1`, [room]))[0]!.s);
    // Sent while zoe's join is on its way to this process (as when she joins on another one).
    const early = await send(server, ada, room, { text: 'before the feed listened' });
    await deps.presence.join(
      room,
      { userId: zoe.userId, sessionId: zoe.sessionId, username: zoe.username, persistence: true, hidden: false },
      head,
    );
    const live = await send(server, ada, room, { text: 'after' });
    expect((await all.next()).id).toBe(early.messageId);
    expect((await all.next()).id).toBe(live.messageId);
    const marker = await send(server, ada, room, { text: 'marker' });
    // Nothing twice: the next event is the marker.
    expect((await all.next()).id).toBe(marker.messageId);
    all.close();
  });
});
