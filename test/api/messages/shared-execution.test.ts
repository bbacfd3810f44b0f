import { describe, expect, it } from 'vitest';
import { backends } from '../../helpers/backends.js';
import { feedsLive, joinRoom, Q, send, subscribe, uniqueName, suiteServer } from '../../helpers/server.js';

describe.each(backends())('shared subscription execution ($name)', (backend) => {
  const server = suiteServer(backend);

  const stats = () => server.app.stats().sharedExecution;

  it('executes a selection once per event for subscribers with the same document and variables, and apart for the others', async () => {
    const name = uniqueName('room');
    const sessions = [];
    for (let i = 0; i < 8; i++) sessions.push(await server.signIn());
    const room = await joinRoom(server, sessions[0]!, name);
    for (const s of sessions.slice(1)) await joinRoom(server, s, name);

    // Five subscribers with one document and the same variables: one execution per event.
    const same = sessions.slice(0, 5).map((s) => subscribe(server.ws(s), Q.onMessage, { c: room }));
    // Different variables (every joined channel), a different document, and one document with two variable values.
    const allChannels = subscribe(server.ws(sessions[5]!), Q.onMessage, {});
    const small = subscribe(server.ws(sessions[6]!), `subscription($c: ID) { channelMessage(channelId: $c) { id content } }`, { c: room });
    const partial = `subscription($c: ID, $full: Boolean!) { channelMessage(channelId: $c) { id username @include(if: $full) } }`;
    const withName = subscribe(server.ws(sessions[7]!), partial, { c: room, full: true });
    const withoutName = subscribe(server.ws(sessions[3]!), partial, { full: false, c: room });
    for (const [i, s] of sessions.entries()) await feedsLive(server, s, i === 3 ? 2 : 1);

    for (let n = 1; n <= 2; n++) {
      const before = stats();
      const ack = await send(server, sessions[0]!, room, { text: 'hi', n });
      const payloads = await Promise.all(same.map((s) => s.next()));
      for (const p of payloads) expect(p).toEqual(payloads[0]);
      expect(payloads[0]).toMatchObject({
        id: ack.messageId,
        channelId: room,
        code: 0,
        username: sessions[0]!.username,
        content: { text: 'hi', n },
        roomName: name,
      });
      expect(await allChannels.next()).toEqual(payloads[0]);
      expect(await small.next()).toEqual({ id: ack.messageId, content: { text: 'hi', n } });
      expect(await withName.next()).toEqual({ id: ack.messageId, username: sessions[0]!.username });
      expect(await withoutName.next()).toEqual({ id: ack.messageId });
      // One execution for the five, one each for the other four; the four others of the five reused it.
      const after = stats();
      expect(after.executed - before.executed).toBe(5);
      expect(after.reused - before.reused).toBe(4);
    }
    for (const s of [...same, allChannels, small, withName, withoutName]) s.close();
  });

  it('does not share across subscribers whose source stream gives each its own event (presence, hidden sessions filtered)', async () => {
    const name = uniqueName('room');
    const [ada, bob, cy] = [await server.signIn(), await server.signIn(), await server.signIn()];
    const room = await joinRoom(server, ada, name);
    await joinRoom(server, bob, name);
    const subs = [ada, bob].map((s) => subscribe(server.ws(s), Q.onPresence, { c: room }));
    for (const s of [ada, bob]) await feedsLive(server, s, 1);
    const before = stats();
    await joinRoom(server, cy, name);
    for (const s of subs) {
      const event = await s.next();
      expect(event).toMatchObject({ channelId: room, roomName: name, joins: [{ userId: cy.userId }], leaves: [] });
    }
    // visibleChange gives each viewer its own object, so each subscriber had its own execution.
    expect(stats().executed - before.executed).toBe(2);
    expect(stats().reused - before.reused).toBe(0);
    for (const s of subs) s.close();
  });
});
