// Scenario "search" (issue 26, item 6): searchMessages for a user with 100
// channels in a 1,000,000-message database (100,000 with --quick) on
// PostgreSQL, through the API, beside the same SQL alone.
// Set-up: Parley starts on parley_bench_search_<N> (BENCH_DATABASE_URL or
// local; kept, and reused when already seeded) and makes its tables and the
// search index. A reader and a writer sign in; SQL writes 100 rooms, N chat
// messages spread over them (text of a few words from a vocabulary of 5,000,
// plus one of 50 "topic" words), an inbox entry per room for the reader, and
// runs VACUUM ANALYZE. The GIN index is dropped before the insert and built
// again after it, as a first start on an existing database would.
// Queries, 1 request in flight, two rounds: a rare word (in about 0.04% of
// messages) and a common one (2%), first page of 20, over the whole inbox.
// Alone: node --import tsx bench/scenarios/search.ts [--quick]
import pg from 'pg';
import { searchVector } from '../../src/db/search-index.js';
import { searchStatements } from '../../src/modules/messages/search.service.js';
import { graphqlHttp, httpLoad, signIn } from '../lib/clients.js';
import { progress } from '../lib/deliveries.js';
import { sizes } from '../lib/options.js';
import { ensureDatabase, pgUnreachable, pgWhere } from '../lib/postgres.js';
import type { BenchRow } from '../lib/result.js';
import { closedLoop, interleaved, round, summary, type Subject } from '../lib/rounds.js';
import { startServer, type Server } from '../lib/servers.js';
import { formatTable, isMain } from '../lib/table.js';

const CHANNELS = 100;
const PAGE = 20;
const LANGUAGE = 'simple';
const QUERY = `query($q: String!) { searchMessages(query: $q, first: ${PAGE}) {
  edges { cursor node { id channelId senderId username content createTime } } pageInfo { hasNextPage endCursor } } }`;
const WORDS = { rare: 'w1234', common: 'topic17' };

/** Seeds rooms, messages and the reader's inbox unless a previous run did; returns what it did, for the note. */
async function seed(pool: pg.Pool, n: number, reader: string, writer: { id: string; username: string }): Promise<string> {
  const { rows } = await pool.query<{ count: string }>(`SELECT count(*) AS count FROM "Message" WHERE "channelId" LIKE 'room:search-%'`);
  const started = performance.now();
  if (Number(rows[0]?.count) !== n) {
    await pool.query(`DROP INDEX IF EXISTS "Message_search_${LANGUAGE}"`);
    await pool.query(`DELETE FROM "Message" WHERE "channelId" LIKE 'room:search-%'`);
    await pool.query(
      `INSERT INTO "Channel" (id, type, "roomName", "lastSeq", "chatCount") SELECT 'room:search-' || c, 'ROOM', 'search-' || c, $1::bigint / ${CHANNELS}, $1::bigint / ${CHANNELS}
       FROM generate_series(0, ${CHANNELS - 1}) AS c ON CONFLICT (id) DO NOTHING`,
      [n],
    );
    await pool.query(
      `INSERT INTO "Message" (id, "channelId", seq, "chatSeq", code, "senderId", username, content, "createTime", "updateTime")
       SELECT '01900000-0000-7000-8000-' || lpad(to_hex(g), 12, '0'), 'room:search-' || (g % ${CHANNELS}), g / ${CHANNELS} + 1, g / ${CHANNELS} + 1, 0, $1, $2,
         jsonb_build_object('text', 'w' || (g * 7 % 5000) || ' w' || (g * 13 % 5000) || ' topic' || (g % 50) || ', as people write in a chat'),
         (now() AT TIME ZONE 'utc') - ($3 - g) * interval '1 second', (now() AT TIME ZONE 'utc') - ($3 - g) * interval '1 second'
       FROM generate_series(0, $3::bigint - 1) AS g`,
      [writer.id, writer.username, n],
    );
    await pool.query(`CREATE INDEX "Message_search_${LANGUAGE}" ON "Message" USING gin (${searchVector(LANGUAGE)}) WHERE code = 0`);
  }
  await pool.query(
    `INSERT INTO "InboxEntry" ("userId", "channelId") SELECT $1, 'room:search-' || c FROM generate_series(0, ${CHANNELS - 1}) AS c`,
    [reader],
  );
  await pool.query('VACUUM ANALYZE "Message", "InboxEntry", "Channel"');
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  return Number(rows[0]?.count) === n
    ? `seeded database reused (${seconds} s)`
    : `seeded ${n.toLocaleString('en-US')} messages in ${seconds} s`;
}

type Found = { searchMessages: { edges: unknown[] } };

export async function run(opts: { quick: boolean }): Promise<BenchRow[]> {
  const s = sizes(opts.quick);
  const n = opts.quick ? 100_000 : 1_000_000;
  const names = [
    'SQL alone (pg), rare word *',
    'Parley searchMessages, rare word',
    'SQL alone (pg), common word *',
    'Parley searchMessages, common word',
  ];
  const noPg = await pgUnreachable();
  if (noPg) {
    return names.map((subject, i) => ({
      scenario: 'search',
      subject: subject.replace(' *', ''),
      reference: i % 2 === 0,
      note: `skipped: no PostgreSQL at ${pgWhere()} (${noPg})`,
    }));
  }
  const { url } = await ensureDatabase(`parley_bench_search_${n}`);
  let server: Server | undefined;
  let client: ReturnType<typeof httpLoad> | undefined;
  const pool = new pg.Pool({ connectionString: url, max: 1, idleTimeoutMillis: 0 });
  try {
    progress('search: starting Parley on PostgreSQL');
    server = await startServer('parley', [], { DATABASE_URL: url, SEARCH_LANGUAGE: LANGUAGE });
    const srv = server;
    const tag = `${process.pid}-${Date.now()}`;
    const token = await signIn(srv, `reader-${tag}`);
    await signIn(srv, `writer-${tag}`);
    const users = await pool.query<{ id: string; username: string }>('SELECT id, username FROM "User" WHERE username = ANY($1)', [
      [`reader-${tag}`, `writer-${tag}`],
    ]);
    const reader = users.rows.find((u) => u.username.startsWith('reader'))!;
    const writer = users.rows.find((u) => u.username.startsWith('writer'))!;
    progress(`search: seeding ${n.toLocaleString('en-US')} messages in ${CHANNELS} rooms (reused if there)`);
    const seeded = await seed(pool, n, reader.id, writer);
    progress(`search: ${seeded}`);

    const load = (client = httpLoad(srv, token, 1));
    const sql = searchStatements(LANGUAGE).inbox;
    for (const word of Object.values(WORDS)) {
      const page = await graphqlHttp<Found>(srv, QUERY, { q: word }, token);
      if (page.searchMessages.edges.length !== PAGE)
        throw new Error(`search: expected ${PAGE} results for ${word}, got ${page.searchMessages.edges.length}`);
    }
    const subjects: (Subject & { i: number })[] = [WORDS.rare, WORDS.rare, WORDS.common, WORDS.common].map((q, i) =>
      i % 2 === 0
        ? { i, name: `sql ${q}`, run: (sec: number) => closedLoop(1, sec, () => pool.query(sql, [reader.id, q, PAGE + 1, null, null])) }
        : { i, name: `api ${q}`, serverPid: srv.pid, run: (sec: number) => closedLoop(1, sec, () => load.post(QUERY, { q })) },
    );
    const results = await interleaved(subjects, { rounds: 2, seconds: s.seconds, warmupSeconds: Math.min(s.warmupSeconds, 0.5) }, (line) =>
      progress(`search/${line}`),
    );
    const measured = (i: number) => [...results].find(([x]) => x.i === i)![1];
    return subjects.map(({ i }) => {
      const m = measured(i);
      const base = { scenario: 'search', subject: names[i]!.replace(' *', ''), reference: i % 2 === 0 };
      if (m.failed) return { ...base, note: `failed: ${m.failed}` };
      const r = summary(m);
      const ref = i % 2 === 1 && !measured(i - 1).failed ? summary(measured(i - 1)).rate : undefined;
      return {
        ...base,
        rate: round(r.rate),
        rateUnit: 'searches/s',
        share: i % 2 === 0 ? 1 : ref ? round(r.rate / ref, 3) : undefined,
        p50Ms: round(r.p50Ms, 2),
        p99Ms: round(r.p99Ms, 2),
        serverCpuPct: round(r.serverCpuPct),
        clientCpuPct: round(r.clientCpuPct),
        note: [
          `1 request in flight${i % 2 === 1 ? ' (HTTP POST /graphql, keep-alive)' : ', the same SQL from this process'}`,
          `first page of ${PAGE} over ${CHANNELS} inbox channels, ${n.toLocaleString('en-US')} messages`,
          `PostgreSQL CPU ${(r.pgCpuMsPerOp * 1000).toFixed(0)} µs/search`,
          seeded,
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
