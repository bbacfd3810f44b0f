// Scenario "inbox" (issue 25, item 9): the first screen of a chat app for a
// user with 1,000 conversations, each with unread messages, on PostgreSQL.
// The reader is a new user each run; 1,000 rooms are made for them in SQL
// (Channel rows with their chat counts, 5 messages each from another user,
// an InboxEntry per room with the mark at 0), then VACUUM ANALYZE. The
// database (parley_bench_inbox at BENCH_DATABASE_URL or local) is kept, and
// grows by 1,000 rooms a run.
// Subjects, 1 request in flight, two rounds: inbox(first: 20) and
// unreadCounts over HTTP POST, and the SQL Parley runs for each (from
// src/modules/inbox/inbox-sql.ts) through pg from this process.
// Alone: node --import tsx bench/scenarios/inbox.ts [--quick]
import pg from 'pg';
import { INBOX_PAGE, UNREAD_COUNTS } from '../../src/modules/inbox/inbox-sql.js';
import { graphqlHttp, httpLoad, signIn } from '../lib/clients.js';
import { progress } from '../lib/deliveries.js';
import { sizes } from '../lib/options.js';
import { ensureDatabase, pgUnreachable, pgWhere } from '../lib/postgres.js';
import type { BenchRow } from '../lib/result.js';
import { closedLoop, interleaved, round, summary, type Subject } from '../lib/rounds.js';
import { startServer, type Server } from '../lib/servers.js';
import { formatTable, isMain } from '../lib/table.js';

const CHANNELS = 1000;
const PER_CHANNEL = 5;
const PAGE = 20;
const PAGE_QUERY = `query { inbox(first: ${PAGE}) { edges { cursor node { channelId title unreadCount lastActivityTime
  lastMessage { id senderId username content createTime } } } pageInfo { hasNextPage endCursor } } }`;
const COUNTS_QUERY = 'query { unreadCounts { unreadCount unreadChannels } }';

/** Rooms in the reader's inbox, each with PER_CHANNEL messages from the writer, none read. */
async function seed(pool: pg.Pool, reader: string, writer: { id: string; username: string }): Promise<void> {
  const prefix = `room:inbox-${reader}-`;
  await pool.query(
    `INSERT INTO "Channel" (id, type, "roomName", "lastSeq", "chatCount", "lastChatSeq", "lastChatTime", "lastChatSenderId")
     SELECT $1 || g, 'ROOM', substr($1 || g, 6), $2, $2, $2, (now() AT TIME ZONE 'utc') - g * interval '1 second', $3
     FROM generate_series(1, ${CHANNELS}) AS g`,
    [prefix, PER_CHANNEL, writer.id],
  );
  await pool.query(
    `INSERT INTO "Message" (id, "channelId", seq, "chatSeq", code, "senderId", username, content, "createTime", "updateTime")
     SELECT gen_random_uuid()::text, $1 || g, s, s, 0, $2, $3, jsonb_build_object('text', 'message ' || s || ' of room ' || g),
       (now() AT TIME ZONE 'utc') - g * interval '1 second', (now() AT TIME ZONE 'utc') - g * interval '1 second'
     FROM generate_series(1, ${CHANNELS}) AS g, generate_series(1, ${PER_CHANNEL}) AS s`,
    [prefix, writer.id, writer.username],
  );
  await pool.query(
    `INSERT INTO "InboxEntry" ("userId", "channelId", "addTime") SELECT $1, $2 || g, (now() AT TIME ZONE 'utc') - interval '1 day'
     FROM generate_series(1, ${CHANNELS}) AS g`,
    [reader, prefix],
  );
  await pool.query('VACUUM ANALYZE "Channel", "Message", "InboxEntry"');
}

type Page = { inbox: { edges: { node: { unreadCount: number } }[] } };
type Counts = { unreadCounts: { unreadCount: number; unreadChannels: number } };

export async function run(opts: { quick: boolean }): Promise<BenchRow[]> {
  const s = sizes(opts.quick);
  const names = ['Parley inbox page of 20', 'SQL alone (pg), inbox page of 20', 'Parley unreadCounts', 'SQL alone (pg), unreadCounts'];
  const noPg = await pgUnreachable();
  if (noPg) {
    return names.map((subject, i) => ({
      scenario: 'inbox',
      subject,
      reference: i % 2 === 1,
      note: `skipped: no PostgreSQL at ${pgWhere()} (${noPg})`,
    }));
  }
  const { url } = await ensureDatabase('parley_bench_inbox');
  let server: Server | undefined;
  let client: ReturnType<typeof httpLoad> | undefined;
  const pool = new pg.Pool({ connectionString: url, max: 1, idleTimeoutMillis: 0 });
  try {
    progress('inbox: starting Parley on PostgreSQL');
    server = await startServer('parley', [], { DATABASE_URL: url });
    const srv = server;
    const tag = `${process.pid}-${Date.now()}`;
    const token = await signIn(srv, `reader-${tag}`);
    await signIn(srv, `writer-${tag}`);
    const users = await pool.query<{ id: string; username: string }>('SELECT id, username FROM "User" WHERE username = ANY($1)', [
      [`reader-${tag}`, `writer-${tag}`],
    ]);
    const reader = users.rows.find((u) => u.username.startsWith('reader'))!;
    const writer = users.rows.find((u) => u.username.startsWith('writer'))!;
    progress(`inbox: seeding ${CHANNELS} conversations with ${PER_CHANNEL} unread messages each`);
    await seed(pool, reader.id, writer);

    const load = (client = httpLoad(srv, token, 1));
    const page = await graphqlHttp<Page>(srv, PAGE_QUERY, {}, token);
    const counts = await graphqlHttp<Counts>(srv, COUNTS_QUERY, {}, token);
    if (page.inbox.edges.length !== PAGE || page.inbox.edges.some((e) => e.node.unreadCount !== PER_CHANNEL)) {
      throw new Error(`inbox: expected ${PAGE} entries with ${PER_CHANNEL} unread each, got ${JSON.stringify(page).slice(0, 300)}`);
    }
    if (counts.unreadCounts.unreadCount !== CHANNELS * PER_CHANNEL || counts.unreadCounts.unreadChannels !== CHANNELS) {
      throw new Error(`inbox: expected ${CHANNELS * PER_CHANNEL} unread in ${CHANNELS} channels, got ${JSON.stringify(counts)}`);
    }
    const subjects: (Subject & { i: number })[] = [
      { i: 0, name: 'api inbox page', serverPid: srv.pid, run: (sec) => closedLoop(1, sec, () => load.post(PAGE_QUERY, {})) },
      { i: 1, name: 'sql inbox page', run: (sec) => closedLoop(1, sec, () => pool.query(INBOX_PAGE, [reader.id, PAGE + 1, null, null])) },
      { i: 2, name: 'api unreadCounts', serverPid: srv.pid, run: (sec) => closedLoop(1, sec, () => load.post(COUNTS_QUERY, {})) },
      { i: 3, name: 'sql unreadCounts', run: (sec) => closedLoop(1, sec, () => pool.query(UNREAD_COUNTS, [reader.id])) },
    ];
    const results = await interleaved(subjects, { rounds: 2, seconds: s.seconds, warmupSeconds: Math.min(s.warmupSeconds, 0.5) }, (line) =>
      progress(`inbox/${line}`),
    );
    const measured = (i: number) => [...results].find(([x]) => x.i === i)![1];
    return subjects.map(({ i }) => {
      const m = measured(i);
      const base = { scenario: 'inbox', subject: names[i]!, reference: i % 2 === 1 };
      if (m.failed) return { ...base, note: `failed: ${m.failed}` };
      const r = summary(m);
      const sqlRate = i % 2 === 0 && !measured(i + 1).failed ? summary(measured(i + 1)).rate : undefined;
      return {
        ...base,
        rate: round(r.rate),
        rateUnit: 'requests/s',
        share: i % 2 === 1 ? 1 : sqlRate ? round(r.rate / sqlRate, 3) : undefined,
        p50Ms: round(r.p50Ms, 2),
        p99Ms: round(r.p99Ms, 2),
        serverCpuPct: round(r.serverCpuPct),
        clientCpuPct: round(r.clientCpuPct),
        note: [
          `1 request in flight${i % 2 === 0 ? ' (HTTP POST /graphql, keep-alive)' : ', the same SQL from this process'}`,
          `${CHANNELS} conversations, ${PER_CHANNEL} unread each`,
          `PostgreSQL CPU ${(r.pgCpuMsPerOp * 1000).toFixed(0)} µs/request`,
          ...r.notes,
        ].join('; '),
      };
    });
  } finally {
    client?.close();
    await pool.end();
    await server?.stop();
  }
}

if (isMain(import.meta.url)) console.log(formatTable(await run({ quick: process.argv.includes('--quick') })));
