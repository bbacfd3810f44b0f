import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../helpers/backends.js';
import { feedsLive, Q, send, subscribe, type Session, suiteServer } from '../../helpers/server.js';
import type { Subscription } from '../../helpers/subscription.js';
import { ok, refused, rolesOf, S } from '../../helpers/social.js';
import type { Operation } from '../../helpers/operation.js';

type Actor = 'superadmin' | 'admin' | 'member' | 'joinRequest' | 'banned' | 'stranger' | 'blocked';
type Op = 'join' | 'history' | 'send' | 'receive' | 'updateOther' | 'removeOther' | 'add' | 'kick' | 'promote' | 'demote' | 'ban';

const OPS: Op[] = ['join', 'history', 'send', 'receive', 'updateOther', 'removeOther', 'add', 'kick', 'promote', 'demote', 'ban'];
const ADMIN: Op[] = OPS.filter((o) => o !== 'updateOther');
const MEMBER: Op[] = ['join', 'history', 'send', 'receive'];

/** Every cell: what each actor may do in a group channel. Everything else is refused with FORBIDDEN. */
const ALLOWED: Record<Actor, Op[]> = {
  superadmin: ADMIN,
  admin: ADMIN,
  member: MEMBER,
  joinRequest: [],
  banned: [],
  stranger: [],
  // A member the superadmin blocks: a block limits what the blocker receives, not the member's rights.
  blocked: MEMBER,
};

const EVENT: Partial<Record<Op, { code: number; role: string | undefined }>> = {
  add: { code: 4, role: 'MEMBER' },
  kick: { code: 6, role: undefined },
  promote: { code: 7, role: 'ADMIN' },
  demote: { code: 9, role: 'MEMBER' },
  ban: { code: 8, role: 'BANNED' },
};

describe.each(backends())('authorization matrix ($name)', (backend) => {
  const server = suiteServer(backend);

  describe.each(Object.keys(ALLOWED) as Actor[])('%s', (actorKind) => {
    let owner: Session, observer: Session, actor: Session;
    let g: string, c: string;
    let watcher: Subscription;

    beforeAll(async () => {
      const users = await Promise.all(Array.from({ length: 8 }, () => server.signIn()));
      const [o, admin, member, obs, requester, banned, stranger, blocked] = users as Session[];
      [owner, observer] = [o!, obs!];
      g = (await ok(server, S.createGroup, { n: `matrix-${actorKind}-${o!.userId}`, o: false }, owner)).createGroup.id;
      c = `group:${g}`;
      await ok(server, S.add, { g, u: [admin!.userId, member!.userId, observer.userId, blocked!.userId] }, owner);
      await ok(server, S.promote, { g, u: [admin!.userId] }, owner);
      await ok(server, S.joinGroup, { g }, requester!);
      await ok(server, S.ban, { g, u: [banned!.userId] }, owner);
      await ok(server, S.block, { u: [blocked!.userId] }, owner);
      actor = { superadmin: owner, admin, member, joinRequest: requester, banned, stranger, blocked }[actorKind]!;
      server.ws(actor); // keeps the actor's presences alive for the whole row
      await ok(server, Q.join, { t: g, type: 'GROUP' }, observer);
      watcher = subscribe(server.ws(observer), Q.onMessage, { c });
      await feedsLive(server, observer, 1);
    });
    afterAll(() => watcher?.close());

    const mayJoin = ALLOWED[actorKind].includes('join');
    const joinIfMember = async () => {
      if (mayJoin) await ok(server, Q.join, { t: g, type: 'GROUP' }, actor);
    };
    /** Nothing was delivered or stored: the observer's next event, and the newest stored message, is a marker sent now. */
    const quiet = async () => {
      const marker = await send(server, observer, c, { marker: true });
      expect((await watcher.next()).id).toBe(marker.messageId);
      const newest = (await ok(server, Q.history, { c, first: 1 }, observer)).channelMessages.edges[0].node;
      expect(newest.id).toBe(marker.messageId);
    };
    const observerSays = async () => {
      const m = await send(server, observer, c, { text: 'from the observer' });
      expect((await watcher.next()).id).toBe(m.messageId);
      return m.messageId as string;
    };
    /** A fresh user in the given role, its events consumed. */
    const target = async (role: 'STRANGER' | 'MEMBER' | 'ADMIN') => {
      const t = await server.signIn();
      if (role === 'STRANGER') return t;
      await ok(server, S.add, { g, u: [t.userId] }, owner);
      expect((await watcher.next()).code).toBe(4);
      if (role === 'ADMIN') {
        await ok(server, S.promote, { g, u: [t.userId] }, owner);
        expect((await watcher.next()).code).toBe(7);
      }
      return t;
    };
    const expectRefused = async (query: Operation, vars: Record<string, unknown>) => {
      expect((await refused(server, query, vars, actor)).extensions?.code).toBe('FORBIDDEN');
    };

    const cells: Record<Op, (allowed: boolean) => Promise<void>> = {
      async join(allowed) {
        if (allowed) {
          expect((await ok(server, Q.join, { t: g, type: 'GROUP' }, actor)).joinChat).toMatchObject({ id: c, groupId: g });
          return;
        }
        await expectRefused(Q.join, { t: g, type: 'GROUP' });
        const present = (await ok(server, Q.presences, { c }, observer)).channelPresences;
        expect(present.map((p: any) => p.userId)).not.toContain(actor.userId);
        await quiet();
      },
      async history(allowed) {
        if (allowed) expect((await ok(server, Q.history, { c }, actor)).channelMessages.edges.length).toBeGreaterThan(0);
        else await expectRefused(Q.history, { c });
      },
      async send(allowed) {
        await joinIfMember();
        if (allowed) {
          const ack = (await ok(server, Q.send, { c, content: { text: 'from the actor' } }, actor)).sendMessage;
          expect((await watcher.next()).id).toBe(ack.messageId);
          return;
        }
        await expectRefused(Q.send, { c, content: { text: 'from the actor' } });
        await quiet();
      },
      async receive(allowed) {
        await joinIfMember();
        const before = server.app.deps.feeds.count(actor.sessionId);
        const sub = subscribe(server.ws(actor), Q.onMessage, { c });
        try {
          if (!allowed) {
            expect((await sub.error())[0].extensions.code).toBe('FORBIDDEN');
            return;
          }
          await feedsLive(server, actor, before + 1);
          const id = await observerSays();
          expect((await sub.next()).id).toBe(id);
        } finally {
          sub.close();
        }
      },
      async updateOther() {
        const id = await observerSays();
        await joinIfMember();
        await expectRefused(S.update, { c, m: id, content: { text: 'rewritten' } });
        await quiet();
        const stored = (await ok(server, Q.history, { c, first: 5 }, observer)).channelMessages.edges.map((e: any) => e.node);
        expect(stored.find((m: any) => m.id === id).content).toEqual({ text: 'from the observer' });
      },
      async removeOther(allowed) {
        const id = await observerSays();
        await joinIfMember();
        if (allowed) {
          expect((await ok(server, S.remove, { c, m: id }, actor)).removeMessage.code).toBe(2);
          expect(await watcher.next()).toMatchObject({ id, code: 2 });
        } else {
          await expectRefused(S.remove, { c, m: id });
          await quiet();
        }
        const ids = (await ok(server, Q.history, { c, first: 5 }, observer)).channelMessages.edges.map((e: any) => e.node.id);
        expect(ids.includes(id)).toBe(!allowed);
      },
      add: (allowed) => adminCell('add', S.add, 'STRANGER', allowed),
      kick: (allowed) => adminCell('kick', S.kick, 'MEMBER', allowed),
      promote: (allowed) => adminCell('promote', S.promote, 'MEMBER', allowed),
      demote: (allowed) => adminCell('demote', S.demote, 'ADMIN', allowed),
      ban: (allowed) => adminCell('ban', S.ban, 'MEMBER', allowed),
    };

    async function adminCell(op: Op, query: Operation, role: 'STRANGER' | 'MEMBER' | 'ADMIN', allowed: boolean) {
      const t = await target(role);
      const before = (await rolesOf(server, owner, g))[t.userId];
      if (allowed) {
        await ok(server, query, { g, u: [t.userId] }, actor);
        const { code, role: after } = EVENT[op]!;
        expect(await watcher.next()).toMatchObject({ code, senderId: actor.userId, content: { userId: t.userId, actorId: actor.userId } });
        expect((await rolesOf(server, owner, g))[t.userId]).toBe(after);
        return;
      }
      await expectRefused(query, { g, u: [t.userId] });
      expect((await rolesOf(server, owner, g))[t.userId]).toBe(before);
      await quiet();
    }

    it.each(OPS)(`${actorKind} × %s`, async (op) => {
      await cells[op](ALLOWED[actorKind].includes(op));
    });
  });
});
