import { describe, expect, it } from 'vitest';
import { backends } from '../../helpers/backends.js';
import { feedsLive, Q, send, subscribe, suiteServer } from '../../helpers/server.js';
import { createGroup, ok, refused, S } from '../../helpers/social.js';

/**
 * Losing membership takes effect at once: presences leave with an event,
 * feeds deliver nothing more, history is refused, and the event is stored.
 */
describe.each(backends())('losing group membership while subscribed ($name)', (backend) => {
  const server = suiteServer(backend);

  const cases = [
    { how: 'kicked', code: 6, act: (g: string, owner: any, bob: any) => ok(server, S.kick, { g, u: [bob.userId] }, owner), byOwner: true },
    { how: 'banned', code: 8, act: (g: string, owner: any, bob: any) => ok(server, S.ban, { g, u: [bob.userId] }, owner), byOwner: true },
    { how: 'leaving', code: 5, act: (g: string, _owner: any, bob: any) => ok(server, S.leaveGroup, { g }, bob), byOwner: false },
  ];

  it.each(cases)(
    '$how: presence leave event, nothing more delivered, history refused, event $code stored',
    async ({ code, act, byOwner }) => {
      const [owner, bob] = [await server.signIn(), await server.signIn()];
      const g = await createGroup(server, owner);
      const c = `group:${g}`;
      await ok(server, S.joinGroup, { g }, bob);
      const ownerWs = server.ws(owner);
      const bobWs = server.ws(bob);
      await ok(server, Q.join, { t: g, type: 'GROUP' }, owner);
      await ok(server, Q.join, { t: g, type: 'GROUP' }, bob);
      // bob also holds a hidden second session: it must leave too.
      const bob2 = {
        ...bob,
        ...(await ok(server, `mutation($d: String!) { authenticateDevice(deviceId: $d) { token sessionId } }`, { d: bob.deviceId }, bob))
          .authenticateDevice,
      };
      await ok(server, Q.join, { t: g, type: 'GROUP', h: true }, bob2);
      const presence = subscribe(ownerWs, Q.onPresence, { c });
      const bobMessages = subscribe(bobWs, Q.onMessage, { c });
      const bobAll = subscribe(bobWs, Q.onMessage, {});
      const bob2Ws = server.ws(bob2);
      const bob2Messages = subscribe(bob2Ws, Q.onMessage, { c });
      const bob2Presence = subscribe(bob2Ws, Q.onPresence, { c });
      await feedsLive(server, owner, 1);
      await feedsLive(server, bob, 2);
      await feedsLive(server, bob2, 2);

      await act(g, owner, bob);
      const left = await presence.next();
      expect(left.leaves.map((p: any) => p.sessionId)).toEqual([bob.sessionId]); // the hidden one is not shown
      // The hidden session itself is told its presence ended, so a client knows to re-join.
      expect((await bob2Presence.next()).leaves.map((p: any) => p.sessionId)).toContain(bob2.sessionId);
      const actorId = byOwner ? owner.userId : bob.userId;
      // The event itself still reaches bob (so a client learns why), then nothing more.
      for (const sub of [bobMessages, bobAll, bob2Messages]) {
        expect(await sub.next()).toMatchObject({ code, content: { userId: bob.userId, actorId } });
      }
      const after = await send(server, owner, c, { text: 'not for bob' });
      expect((await refused(server, Q.history, { c }, bob)).extensions?.code).toBe('FORBIDDEN');
      expect((await refused(server, Q.send, { c, content: { text: 'still here?' } }, bob)).extensions?.code).toBe('FORBIDDEN');
      expect((await refused(server, Q.join, { t: g, type: 'GROUP' }, bob)).extensions?.code).toBe('FORBIDDEN');
      const listed = (await ok(server, Q.presences, { c }, owner)).channelPresences;
      expect(listed.map((p: any) => p.userId)).toEqual([owner.userId]);

      // Back in the group and the channel: the next thing bob's open feeds get is the marker, not `after`.
      await ok(server, S.add, { g, u: [bob.userId] }, owner);
      await ok(server, Q.join, { t: g, type: 'GROUP' }, bob);
      const marker = await send(server, owner, c, { text: 'marker' });
      expect((await bobMessages.next()).id).toBe(marker.messageId);
      expect((await bobAll.next()).id).toBe(marker.messageId);
      expect(bob2Messages.pending).toBe(0);

      const history = (await ok(server, Q.history, { c, first: 10, forward: true }, owner)).channelMessages.edges.map((e: any) => e.node);
      expect(history.map((m: any) => m.code)).toEqual([3, code, 0, 4, 0]);
      expect(history[1]).toMatchObject({ senderId: actorId, content: { userId: bob.userId, actorId } });
      expect(history[2].id).toBe(after.messageId);
      for (const s of [presence, bobMessages, bobAll, bob2Messages]) s.close();
    },
  );
});
