import { describe, expect, it } from 'vitest';
import { channelFromId } from '../../../src/domain/channel-ref.js';
import { MessageCode } from '../../../src/domain/types.js';
import { INBOX_PAGE, UNREAD_COUNTS } from '../../../src/modules/inbox/inbox-sql.js';
import { insertMessages } from '../../../src/modules/messages/insert-batch.js';
import { backends } from '../../helpers/backends.js';
import { joinRoom, suiteServer, uniqueName, type Session, type TestServer } from '../../helpers/server.js';
import { ok } from '../../helpers/social.js';
import { UnreadCountsDocument } from '../../generated/operations.js';

interface PlanNode {
  'Actual Rows': number;
  'Actual Loops': number;
  'Shared Hit Blocks': number;
  'Shared Read Blocks': number;
  Plans?: PlanNode[];
}

/** Rows every plan node produced (over its loops), and the buffers the whole statement touched. */
async function cost(server: TestServer, sql: string, params: unknown[]) {
  const explain = async () => {
    const [row] = await server.app.deps.db.query<Record<string, unknown>>(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, params);
    const plan = row!['QUERY PLAN'];
    return ((typeof plan === 'string' ? JSON.parse(plan) : plan) as { Plan: PlanNode }[])[0]!.Plan;
  };
  await explain();
  const top = await explain();
  let rows = 0;
  const walk = (n: PlanNode) => {
    rows += n['Actual Rows'] * n['Actual Loops'];
    n.Plans?.forEach(walk);
  };
  walk(top);
  return { rows, buffers: top['Shared Hit Blocks'] + top['Shared Read Blocks'] };
}

/** `n` chat messages from `from` into the room, through the same statement sends use. */
async function fill(server: TestServer, from: Session, channelId: string, n: number) {
  const ref = channelFromId(channelId);
  for (let done = 0; done < n; done += 500) {
    const items = Array.from({ length: Math.min(500, n - done) }, (_, i) => ({
      channelId,
      code: MessageCode.CHAT,
      senderId: from.userId,
      username: from.username,
      content: { n: done + i },
    }));
    await insertMessages(server.app.deps.db, ref, items);
  }
}

describe.each(backends())('unread counts without scanning messages ($name)', (backend) => {
  const server = suiteServer(backend);

  it('reads no more rows or buffers for 10,000 unread messages than for 10', { timeout: 60_000 }, async () => {
    const [ada, few, many] = [await server.signIn(), await server.signIn(), await server.signIn()];
    const [fewName, manyName] = [uniqueName('room'), uniqueName('room')];
    const fewRoom = await joinRoom(server, ada, fewName);
    const manyRoom = await joinRoom(server, ada, manyName);
    await joinRoom(server, few, fewName);
    await joinRoom(server, many, manyName);
    await fill(server, ada, fewRoom, 10);
    await fill(server, ada, manyRoom, 10_000);
    expect((await ok(server, UnreadCountsDocument, {}, few)).unreadCounts).toEqual({ unreadCount: 10, mentionCount: 0, unreadChannels: 1 });
    expect((await ok(server, UnreadCountsDocument, {}, many)).unreadCounts).toEqual({
      unreadCount: 10_000,
      mentionCount: 0,
      unreadChannels: 1,
    });

    for (const [what, sql, params] of [
      ['inbox page', INBOX_PAGE, (s: Session) => [s.userId, 21, null, null]],
      ['unreadCounts', UNREAD_COUNTS, (s: Session) => [s.userId]],
    ] as const) {
      const small = await cost(server, sql, params(few));
      const large = await cost(server, sql, params(many));
      expect(large.rows, `${what}: rows (10 unread: ${small.rows})`).toBeLessThanOrEqual(small.rows);
      // Both rooms' messages are in the same indexes, so a lookup costs the same in either.
      expect(large.buffers, `${what}: buffers (10 unread: ${small.buffers})`).toBeLessThanOrEqual(small.buffers + 2);
    }
  });
});
