// Scenario "history" (issue 8, item 4): a page of 100 stored messages at any
// depth of a 1,000,000-message channel (100,000 with --quick) on PostgreSQL,
// through the API, beside the SQL alone. The channel is a room Parley creates
// (joinChat over HTTP); its messages are written by one INSERT … SELECT
// generate_series (seq 1..N, ids ordered like uuidv7) with the Channel row's
// lastSeq set to N, then VACUUM ANALYZE. The database (parley_bench_history_<N>
// at BENCH_DATABASE_URL or local) is kept and reused by later runs.
// Pages: channelMessages(first: 100, after) over HTTP POST (node:http, kept alive), newest first, at
// four depths (newest page; after 1%, 50% of the channel; the oldest page),
// 1 and 4 requests in flight, in two rounds (order rotated). The SQL alone: the
// keyset SELECT Parley's query amounts to (LIMIT 101) through pg from this
// process, at the same depths and concurrencies. One row per depth and
// subject, at 4 in flight; 1 in flight in the note.
// Alone: node --import tsx bench/scenarios/history.ts [--quick]
import pg from 'pg';
import { graphqlHttp, httpLoad, signIn } from '../lib/clients.js';
import { progress } from '../lib/deliveries.js';
import { INSPECT_ARGS, profileUntil } from '../lib/inspector.js';
import { sizes } from '../lib/options.js';
import { ensureDatabase, pgUnreachable, pgWhere } from '../lib/postgres.js';
import type { BenchRow } from '../lib/result.js';
import { closedLoop, interleaved, round, summary, type Subject } from '../lib/rounds.js';
import { startServer, type Server } from '../lib/servers.js';
import { formatTable, isMain } from '../lib/table.js';

const PAGE = 100;
const CHANNEL = 'room:history';
const CONCURRENCY = [1, 4] as const;
const REPORTED = 4;
const cursor = (seq: number) => Buffer.from(JSON.stringify([CHANNEL, String(seq)])).toString('base64url');
const PAGE_QUERY = `query($ch: ID!, $after: String) { channelMessages(channelId: $ch, first: ${PAGE}, after: $after) {
  edges { cursor node { id channelId code senderId username content createTime updateTime } } pageInfo { hasNextPage endCursor } } }`;
const SQL = `SELECT "id", "channelId", "seq", "code", "senderId", "username", "content", "createTime", "updateTime" FROM "Message"
  WHERE "channelId" = $1 AND "seq" < $2 ORDER BY "seq" DESC LIMIT ${PAGE + 1}`;

/** Depths as the `after` position: the page returned holds seqs after-1 … after-100 (newest: after N). */
const depths = (n: number) => [
  { label: 'newest', after: n + 1 },
  { label: '1% deep', after: n - n / 100 + 1 },
  { label: '50% deep', after: n / 2 + 1 },
  { label: 'oldest', after: PAGE + 1 },
];

/** Seeds the channel with n messages unless a previous run did; returns what it did, for the note. */
async function seed(pool: pg.Pool, n: number): Promise<string> {
  const { rows } = await pool.query<{ lastSeq: string; count: string }>(
    `SELECT "lastSeq", (SELECT count(*) FROM "Message" WHERE "channelId" = $1) AS count FROM "Channel" WHERE id = $1`,
    [CHANNEL],
  );
  if (Number(rows[0]?.lastSeq) === n && Number(rows[0]?.count) === n) return 'seeded database reused';
  const started = performance.now();
  const user = (await pool.query<{ id: string; username: string }>('SELECT id, username FROM "User" ORDER BY "createTime" LIMIT 1'))
    .rows[0]!;
  await pool.query('DELETE FROM "Message" WHERE "channelId" = $1', [CHANNEL]);
  await pool.query(
    `INSERT INTO "Message" (id, "channelId", seq, code, "senderId", username, content, "createTime", "updateTime")
    SELECT '01900000-0000-7000-8000-' || lpad(to_hex(g), 12, '0'), $1, g, 0, $2, $3,
      jsonb_build_object('text', 'hello ' || g || ', a message about as long as people type in a chat'),
      (now() AT TIME ZONE 'utc') - ($4 - g) * interval '1 second', (now() AT TIME ZONE 'utc') - ($4 - g) * interval '1 second'
    FROM generate_series(1, $4::bigint) AS g`,
    [CHANNEL, user.id, user.username, n],
  );
  await pool.query('UPDATE "Channel" SET "lastSeq" = $2 WHERE id = $1', [CHANNEL, n]);
  await pool.query('VACUUM ANALYZE "Message"');
  return `seeded ${n.toLocaleString('en-US')} messages in ${((performance.now() - started) / 1000).toFixed(0)} s`;
}

type Page = { channelMessages: { edges: { cursor: string }[] } };

export async function run(opts: { quick: boolean }): Promise<BenchRow[]> {
  const s = sizes(opts.quick);
  const n = opts.quick ? 100_000 : 1_000_000;
  const noPg = await pgUnreachable();
  const subjectName = (api: boolean, label: string) => `${api ? 'Parley page of 100' : 'SQL alone (pg)'}, ${label}`;
  if (noPg) {
    return depths(n).flatMap(({ label }) =>
      [true, false].map((api) => ({
        scenario: 'history',
        subject: subjectName(api, label),
        reference: !api,
        note: `skipped: no PostgreSQL at ${pgWhere()} (${noPg})`,
      })),
    );
  }
  const { url } = await ensureDatabase(`parley_bench_history_${n}`);
  let server: Server | undefined;
  let client: ReturnType<typeof httpLoad> | undefined;
  const pool = new pg.Pool({ connectionString: url, max: REPORTED, idleTimeoutMillis: 0 });
  try {
    progress('history: starting Parley on PostgreSQL');
    server = await startServer('parley', s.profileDir ? INSPECT_ARGS : [], { DATABASE_URL: url });
    const token = await signIn(server, `reader-${process.pid}-${Date.now()}`);
    await graphqlHttp(server, 'mutation { joinChat(target: "history", type: ROOM) { id } }', {}, token);
    progress(`history: seeding ${n.toLocaleString('en-US')} messages (unless a previous run did)`);
    const seeded = await seed(pool, n);
    progress(`history: ${seeded}`);

    const srv = server;
    const load = (client = httpLoad(srv, token, Math.max(...CONCURRENCY)));
    const subjects: (Subject & { label: string; api: boolean; c: number })[] = [];
    for (const { label, after } of depths(n)) {
      const variables = { ch: CHANNEL, after: after > n ? null : cursor(after) };
      // Each depth returns the 100 messages expected, checked once through both paths.
      const page = await graphqlHttp<Page>(srv, PAGE_QUERY, variables, token);
      const sql = await pool.query<{ seq: string }>(SQL, [CHANNEL, after]);
      const seqs = [page.channelMessages.edges[0]?.cursor, page.channelMessages.edges.at(-1)?.cursor].map(
        (c) => JSON.parse(Buffer.from(c ?? '', 'base64url').toString() || '[]')[1],
      );
      if (
        page.channelMessages.edges.length !== PAGE ||
        seqs[0] !== String(after - 1) ||
        seqs[1] !== String(after - PAGE) ||
        sql.rows[0]?.seq !== String(after - 1)
      ) {
        throw new Error(
          `history at ${label}: expected seqs ${after - 1}…${after - PAGE}, got ${page.channelMessages.edges.length} edges ${seqs.join('…')}, SQL from ${sql.rows[0]?.seq}`,
        );
      }
      for (const c of CONCURRENCY) {
        subjects.push({
          label,
          api: true,
          c,
          name: `api ${label} ×${c}`,
          serverPid: srv.pid,
          run: (sec) => closedLoop(c, sec, () => load.post(PAGE_QUERY, variables)),
        });
        subjects.push({
          label,
          api: false,
          c,
          name: `sql ${label} ×${c}`,
          run: (sec) => closedLoop(c, sec, () => pool.query(SQL, [CHANNEL, after])),
        });
      }
    }
    const stopProfile = await profileUntil(srv, s.profileDir, 'history');
    const results = await interleaved(subjects, { rounds: 2, seconds: s.seconds, warmupSeconds: Math.min(s.warmupSeconds, 0.5) }, (line) =>
      progress(`history/${line}`),
    );
    const profile = await stopProfile();
    if (profile) progress(`history: CPU profile of Parley (every subject's window, SQL ones idle) in ${profile}`);

    const rows: BenchRow[] = [];
    const get = (label: string, api: boolean, c: number) => [...results].find(([x]) => x.label === label && x.api === api && x.c === c)![1];
    for (const { label } of depths(n)) {
      const sqlRate = get(label, false, REPORTED).failed ? undefined : summary(get(label, false, REPORTED)).rate;
      for (const api of [true, false]) {
        const base = { scenario: 'history', subject: subjectName(api, label), reference: !api };
        const [m, m1] = [get(label, api, REPORTED), get(label, api, 1)];
        if (m.failed || m1.failed) {
          rows.push({ ...base, note: `failed: ${m.failed ?? m1.failed}` });
          continue;
        }
        const [r, r1] = [summary(m), summary(m1)];
        const notes = [
          `${REPORTED} requests in flight${api ? ' (HTTP POST /graphql, keep-alive)' : ', SELECT … LIMIT 101 from this process'}`,
          `at 1 in flight: p50 ${r1.p50Ms.toFixed(2)} / p99 ${r1.p99Ms.toFixed(2)} ms, ${Math.round(r1.rate)} pages/s`,
          `${n.toLocaleString('en-US')}-message channel`,
          ...(api ? [`${r.serverCpuMsPerOp.toFixed(2)} srv CPU-ms/page`] : []),
          `PostgreSQL CPU ${(r.pgCpuMsPerOp * 1000).toFixed(0)} µs/page (all its processes)`,
          ...r.notes,
          ...(rows.length === 0 ? [seeded] : []),
          ...(api && profile ? ['CPU profiler on (slower)'] : []),
        ];
        rows.push({
          ...base,
          rate: round(r.rate),
          rateUnit: 'pages/s',
          share: sqlRate ? round(r.rate / sqlRate, 3) : undefined,
          p50Ms: round(r.p50Ms, 2),
          p99Ms: round(r.p99Ms, 2),
          serverCpuPct: round(r.serverCpuPct),
          clientCpuPct: round(r.clientCpuPct),
          note: notes.join('; '),
        });
      }
    }
    return rows;
  } finally {
    client?.close();
    await pool.end();
    await server?.stop();
  }
}

if (isMain(import.meta.url)) console.log(formatTable(await run({ quick: process.argv.includes('--quick') })));
