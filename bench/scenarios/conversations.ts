// Scenario "conversations" (issue 25, item 9): what members cost, on PostgreSQL.
// 1. Stored sends into a group of 10,000 members (1,000 with --quick), every
//    one with the channel in their inbox, beside a group of 10: one sender
//    connection each, 32 sends in flight, no subscribers. The groups are made
//    with createGroup; the other members are inserted in SQL (their inbox
//    entries come from the same trigger as any membership change).
// 2. One stored message reaching 1,000 online members of a room (100 with
//    --quick): as channelMessage, and as inboxUpdate (the members joined with
//    persistence on, so the room is in their inbox). Two rooms with their own
//    1,000 sessions each, one message in flight: a send counts once every
//    member has received its event, so both subjects do the same work per
//    message and neither coalesces.
// The database (parley_bench_conversations at BENCH_DATABASE_URL or local) is
// made fresh for each run.
// Alone: node --import tsx bench/scenarios/conversations.ts [--quick]
import pg from 'pg';
import type WebSocket from 'ws';
import { graphqlHttp, groupSender, inBatches, sender, signIn, subscriber, Tally, type Sender } from '../lib/clients.js';
import { progress } from '../lib/deliveries.js';
import { INSPECT_ARGS, profileUntil } from '../lib/inspector.js';
import { sendsSubject } from '../lib/load.js';
import { sizes } from '../lib/options.js';
import { freshDatabase, pgUnreachable, pgWhere } from '../lib/postgres.js';
import { until } from '../lib/proc.js';
import type { BenchRow } from '../lib/result.js';
import { closedLoop, interleaved, round, summary, type Subject } from '../lib/rounds.js';
import { liveSubscriptions, startServer, type Server } from '../lib/servers.js';
import { formatTable, isMain } from '../lib/table.js';

const IN_FLIGHT = 32;
const SMALL_GROUP = 10;
const DATABASE = 'parley_bench_conversations';
const INBOX_FIELDS = 'subscription { inboxUpdate { channelId unreadCount lastActivityTime lastMessage { id senderId content } } }';

/** A group made by `owner` over the API, grown to `members` in SQL; returns its id. */
async function groupOf(server: Server, pool: pg.Pool, owner: string, members: number, tag: string): Promise<string> {
  const made = await graphqlHttp<{ createGroup: { id: string } }>(
    server,
    'mutation($n: String!) { createGroup(name: $n, open: true) { id } }',
    { n: `bench-${tag}` },
    owner,
  );
  const groupId = made.createGroup.id;
  await pool.query(
    `WITH u AS (
       INSERT INTO "User" (id, username, "usernameKey")
       SELECT $1 || '-' || g, $1 || '-' || g, $1 || '-' || g FROM generate_series(2, $2::int) AS g RETURNING id)
     INSERT INTO "GroupMember" ("groupId", "userId", role) SELECT $3, id, 'MEMBER' FROM u`,
    [`bench-${tag}`, members, groupId],
  );
  return groupId;
}

/** `n` sessions in `room`, each subscribed with `query`, counting what they receive into one tally. */
async function members(server: Server, room: string, n: number, query: string | undefined, persistence: boolean, sockets: WebSocket[]) {
  const tally = new Tally();
  await inBatches([...Array(n).keys()], 50, async (i) => {
    const token = await signIn(server, `${room.slice(5)}-m${i}`);
    sockets.push(await subscriber(server, [room], tally, i === 0, token, { query, persistence }));
  });
  return tally;
}

/** One message in flight: a send completes when every member got its event. */
function fanOut(name: string, server: Server, s: Sender, room: string, tally: Tally, n: number): Subject {
  return {
    name,
    serverPid: server.pid,
    run: async (seconds) => {
      tally.reset();
      let expected = 0;
      return closedLoop(1, seconds, async () => {
        expected += n;
        await s.send(room);
        let timer: ReturnType<typeof setTimeout> | undefined;
        const late = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`${name}: ${expected - tally.frames} events missing after 10 s`)), 10_000);
        });
        await Promise.race([tally.reach(expected), late]).finally(() => clearTimeout(timer));
      });
    },
  };
}

export async function run(opts: { quick: boolean }): Promise<BenchRow[]> {
  const s = sizes(opts.quick);
  const big = opts.quick ? 1000 : 10_000;
  const online = opts.quick ? 100 : 1000;
  const names = [
    `Parley stored, group of ${SMALL_GROUP}`,
    `Parley stored, group of ${big.toLocaleString('en-US')}`,
    `channelMessage to ${online.toLocaleString('en-US')} members`,
    `inboxUpdate to ${online.toLocaleString('en-US')} members`,
  ];
  const noPg = await pgUnreachable();
  if (noPg) {
    return names.map((subject, i) => ({
      scenario: 'conversations',
      subject,
      reference: i % 2 === 0,
      note: `skipped: no PostgreSQL at ${pgWhere()} (${noPg})`,
    }));
  }
  const url = await freshDatabase(DATABASE);
  const pool = new pg.Pool({ connectionString: url, max: 2, idleTimeoutMillis: 0 });
  const senders: Sender[] = [];
  const sockets: WebSocket[] = [];
  let server: Server | undefined;
  try {
    progress('conversations: starting Parley on PostgreSQL');
    server = await startServer('parley', s.profileDir ? INSPECT_ARGS : [], { DATABASE_URL: url });
    const srv = server;
    const tag = `${process.pid}-${Date.now()}`;

    progress(`conversations: groups of ${SMALL_GROUP} and ${big}`);
    const groups = [];
    for (const size of [SMALL_GROUP, big]) {
      const owner = await signIn(srv, `owner${size}-${tag}`);
      const groupId = await groupOf(srv, pool, owner, size, `${size}-${tag}`);
      senders.push(await groupSender(srv, groupId, owner));
      groups.push(`group:${groupId}`);
    }
    const [entries] = (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "InboxEntry" WHERE "channelId" = $1`, [groups[1]]))
      .rows;
    if (entries?.n !== big) throw new Error(`conversations: expected ${big} inbox entries in the big group, found ${entries?.n}`);
    await pool.query('VACUUM ANALYZE "GroupMember", "InboxEntry", "User"');

    progress(`conversations: two rooms of ${online} online members`);
    const live = await members(srv, 'room:live', online, undefined, false, sockets);
    const inboxed = await members(srv, 'room:inboxed', online, INBOX_FIELDS, true, sockets);
    await until('every subscription', async () => (await liveSubscriptions(srv)) >= 2 * online, 120_000);
    const roomSender = await sender(srv, ['room:live', 'room:inboxed'], await signIn(srv, `room-sender-${tag}`), true);
    senders.push(roomSender);

    const load = (room: string) => ({ perRoom: 0, senderRooms: [[room]], ackWindow: IN_FLIGHT, inFlight: 0 });
    const subjects: (Subject & { i: number })[] = [
      { i: 0, ...sendsSubject('group-small', srv.pid, [senders[0]!], load(groups[0]!)) },
      { i: 1, ...sendsSubject('group-big', srv.pid, [senders[1]!], load(groups[1]!)) },
      { i: 2, ...fanOut('channelMessage', srv, roomSender, 'room:live', live, online) },
      { i: 3, ...fanOut('inboxUpdate', srv, roomSender, 'room:inboxed', inboxed, online) },
    ];
    const stopProfile = await profileUntil(srv, s.profileDir, 'conversations');
    const results = await interleaved(subjects, s, (line) => progress(`conversations/${line}`));
    const profile = await stopProfile();
    if (profile) progress(`conversations: CPU profile of Parley in ${profile}`);
    const measured = (i: number) => [...results].find(([x]) => x.i === i)![1];
    return subjects.map(({ i }) => {
      const m = measured(i);
      const base = { scenario: 'conversations', subject: names[i]!, reference: i % 2 === 0 };
      if (m.failed) return { ...base, note: `failed: ${m.failed}` };
      const r = summary(m);
      const pair = i % 2 === 1 && !measured(i - 1).failed ? summary(measured(i - 1)) : undefined;
      const sends = i < 2;
      return {
        ...base,
        rate: round(sends ? r.rate : r.rate * online),
        rateUnit: sends ? 'sends/s' : 'deliveries/s',
        share: i % 2 === 0 ? 1 : pair ? round(r.rate / pair.rate, 3) : undefined,
        p50Ms: round(r.p50Ms, 2),
        p99Ms: round(r.p99Ms, 2),
        serverCpuPct: round(r.serverCpuPct),
        clientCpuPct: round(r.clientCpuPct),
        note: [
          sends
            ? `1 connection, ${IN_FLIGHT} sends in flight, no subscribers; p50/p99 send→ack`
            : `1 stored message in flight, each done when all ${online} members received it; ${round(r.rate)} messages/s; p50/p99 send→last delivery`,
          ...r.notes,
          `${r.serverCpuMsPerOp.toFixed(3)} srv CPU-ms/${sends ? 'send' : 'message'}`,
          `PostgreSQL CPU ${(r.pgCpuMsPerOp * 1000).toFixed(0)} µs/${sends ? 'send' : 'message'}`,
        ].join('; '),
      };
    });
  } finally {
    senders.forEach((x) => x.close());
    sockets.forEach((ws) => ws.terminate());
    await pool.end();
    await server?.stop();
  }
}

if (isMain(import.meta.url)) console.log(formatTable(await run({ quick: process.argv.includes('--quick') })));
