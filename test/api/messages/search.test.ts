import { describe, expect, it } from 'vitest';
import { channelFromId } from '../../../src/domain/channel-ref.js';
import { MessageCode } from '../../../src/domain/types.js';
import { insertMessages } from '../../../src/modules/messages/insert-batch.js';
import { searchStatements } from '../../../src/modules/messages/search.service.js';
import { backends } from '../../helpers/backends.js';
import { joinRoom, send, suiteServer, uniqueName, type Session, type TestServer } from '../../helpers/server.js';
import { createGroup, ok, refused, S } from '../../helpers/social.js';
import { JoinDirectDocument, JoinGroupChannelDocument, SearchDocument } from '../../generated/operations.js';

const found = async (server: TestServer, s: Session, q: string, c?: string) =>
  (await ok(server, SearchDocument, { q, c, first: 100 }, s)).searchMessages.edges.map((e: any) => e.node.id);

describe.each(backends())('searchMessages ($name)', (backend) => {
  const server = suiteServer(backend);

  it('finds words in the string values of chat messages in your inbox, newest first, in pages', async () => {
    const [ada, bob] = [await server.signIn(), await server.signIn()];
    const word = uniqueName('zebra').replace(/[^a-z0-9]/gi, '');
    const name = uniqueName('room');
    const room = await joinRoom(server, ada, name);
    await joinRoom(server, bob, name);
    const first = (await send(server, ada, room, { text: `the ${word} crossed` })).messageId;
    const nested = (await send(server, bob, room, { text: 'photo', meta: { caption: `a ${word} at dusk`, n: 7 } })).messageId;
    await send(server, ada, room, { text: 'nothing to see', [word]: 'only a key' });
    const third = (await send(server, ada, room, { text: `${word.toUpperCase()} again` })).messageId;

    // Keys are not text; case does not matter; newest first.
    expect(await found(server, bob, word)).toEqual([third, nested, first]);
    const page1 = (await ok(server, SearchDocument, { q: word, first: 2 }, bob)).searchMessages;
    const page2 = (await ok(server, SearchDocument, { q: word, first: 2, after: page1.pageInfo.endCursor }, bob)).searchMessages;
    expect([...page1.edges, ...page2.edges].map((e: any) => e.node.id)).toEqual([third, nested, first]);
    expect([page1.pageInfo.hasNextPage, page2.pageInfo.hasNextPage]).toEqual([true, false]);
    // Both words must be there; one channel only when asked.
    expect(await found(server, bob, `${word} dusk`)).toEqual([nested]);
    expect(await found(server, bob, word, room)).toEqual([third, nested, first]);
    // Odd syntax is read as words, never an error.
    for (const q of [`"${word}`, `${word} & | ! (`, `-${word}`, `"${word} crossed"`]) {
      expect((await server.gql(SearchDocument, { q }, bob.token)).errors, q).toBeUndefined();
    }
    expect(await found(server, bob, `"${word} crossed"`)).toEqual([first]);
  });

  it("never finds what the user could not page: other rooms, others' direct chats, removed messages, groups after a kick", async () => {
    const [ada, bob, cy] = [await server.signIn(), await server.signIn(), await server.signIn()];
    const word = uniqueName('quokka').replace(/[^a-z0-9]/gi, '');
    const room = await joinRoom(server, ada, uniqueName('room'));
    await send(server, ada, room, { text: `${word} in a room bob never joined` });
    const direct = (await ok(server, JoinDirectDocument, { u: cy.userId }, ada)).joinChat.id;
    await send(server, ada, direct, { text: `${word} between ada and cy` });
    const groupId = await createGroup(server, ada);
    await ok(server, S.joinGroup, { g: groupId }, bob);
    await ok(server, JoinGroupChannelDocument, { g: groupId }, ada);
    const group = `group:${groupId}`;
    const inGroup = (await send(server, ada, group, { text: `${word} for the group` })).messageId;
    const removed = (await send(server, ada, group, { text: `${word} said and taken back` })).messageId;
    await ok(server, S.remove, { c: group, m: removed }, ada);

    expect(await found(server, bob, word)).toEqual([inGroup]);
    expect(await found(server, cy, word)).toHaveLength(1);
    await ok(server, S.kick, { g: groupId, u: [bob.userId] }, ada);
    expect(await found(server, bob, word)).toEqual([]);
    for (const c of [group, direct]) {
      const error = await refused(server, SearchDocument, { q: word, c }, bob);
      expect(['FORBIDDEN', 'NOT_FOUND']).toContain(error.extensions?.code);
    }
    for (const q of ['', '   ', 'x'.repeat(201)]) {
      const error = await refused(server, SearchDocument, { q }, bob);
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'query' });
    }
  });

  it('is served by the search index', { timeout: 60_000 }, async () => {
    const ada = await server.signIn();
    const room = await joinRoom(server, ada, uniqueName('room'));
    const { db, config } = server.app.deps;
    // Enough messages that the planner weighs the index against reading the channel.
    for (let done = 0; done < 3000; done += 500) {
      const items = Array.from({ length: 500 }, (_, i) => ({
        channelId: room,
        code: MessageCode.CHAT,
        senderId: ada.userId,
        username: ada.username,
        content: { text: `filler message ${done + i} about the weather` },
      }));
      await insertMessages(db, channelFromId(room), items);
    }
    await send(server, ada, room, { text: 'a needle in the haystack' });
    await db.query('ANALYZE "Message"', []);
    const sql = searchStatements(config.SEARCH_LANGUAGE);
    for (const [statement, scope] of [
      [sql.inbox, ada.userId],
      [sql.channel, room],
    ] as const) {
      const rows = await db.query<Record<string, string>>(`EXPLAIN ${statement}`, [scope, 'needle', 21, null, null]);
      expect(rows.map((r) => r['QUERY PLAN']).join('\n')).toContain(`Message_search_${config.SEARCH_LANGUAGE}`);
    }
    expect(await found(server, ada, 'needle')).toHaveLength(1);
  });
});
