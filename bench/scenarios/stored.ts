// Scenario "stored" (issue 8, items 2 and 3): how fast Parley stores messages,
// beside what the same PostgreSQL takes from a plain application.
// One room, 10 subscribers, one sender connection with 32 sendMessage in
// flight (acknowledged sends/s; p50/p99 send→ack at that saturation): Parley
// not storing (joinChat persistence: false) and storing (persistence: true) on
// its embedded PGlite, and storing on PostgreSQL (a database made for the run,
// BENCH_DATABASE_URL or local). Item 3: the same PostgreSQL server with senders
// in 1,000 rooms (100 with --quick): 4 connections, 32 in flight each, round-robin
// over their quarter of the rooms, no subscribers. Main reference: single-row
// INSERTs into a table shaped like "Message" in the same database, from this
// process (the load) through a pg.Pool of 10 with 32 in flight; also 32-row
// INSERTs. Subjects are measured alone in interleaved rounds.
// Alone: node --import tsx bench/scenarios/stored.ts [--quick]
import pg from 'pg';
import { uuidv7 } from 'uuidv7';
import type WebSocket from 'ws';
import { inBatches, sender, signIn, subscriber, Tally, type Sender } from '../lib/clients.js';
import { progress } from '../lib/deliveries.js';
import { INSPECT_ARGS, profileUntil } from '../lib/inspector.js';
import { sendsSubject } from '../lib/load.js';
import { sizes } from '../lib/options.js';
import { freshDatabase, insertMessages, pgUnreachable, pgWhere, referenceTable } from '../lib/postgres.js';
import { until } from '../lib/proc.js';
import type { BenchRow } from '../lib/result.js';
import { closedLoop, interleaved, round, summary, type Subject } from '../lib/rounds.js';
import { liveSubscriptions, startServer, type Server } from '../lib/servers.js';
import { formatTable, isMain } from '../lib/table.js';

const IN_FLIGHT = 32;
const SUBSCRIBERS = 10;
const MANY_SENDERS = 4;
const DATABASE = 'parley_bench_stored';

/** One sender, 32 sends in flight, and as many messages' deliveries not yet received at most. */
const oneRoomLoad = (room: string) => ({
  perRoom: SUBSCRIBERS,
  senderRooms: [[room]],
  ackWindow: IN_FLIGHT,
  inFlight: IN_FLIGHT * SUBSCRIBERS,
});

interface Row {
  subject: string;
  reference: boolean;
  unit: string;
  note: string;
  pg: boolean;
}

/** Single- or multi-row INSERTs into the reference table, IN_FLIGHT statements at once. */
function inserts(name: string, pool: pg.Pool, rowsPer: number, seq: () => number): Subject {
  return {
    name,
    async run(seconds) {
      const o = await closedLoop(IN_FLIGHT, seconds, () => insertMessages(pool, 'ref', rowsPer, seq, uuidv7));
      return { ...o, count: o.count * rowsPer };
    },
  };
}

export async function run(opts: { quick: boolean }): Promise<BenchRow[]> {
  const s = sizes(opts.quick);
  const manyRooms = opts.quick ? 100 : 1000;
  const noPg = await pgUnreachable();
  const sockets: WebSocket[] = [];
  const senders: Sender[] = [];
  const servers: Server[] = [];
  let pool: pg.Pool | undefined;
  const subjects: Subject[] = [];
  const meta = new Map<Subject, Row>();
  const add = (subject: Subject, row: Row) => void (subjects.push(subject), meta.set(subject, row));

  /** 10 subscribers of `room` (their own sessions, persistence false) and one sender session. */
  const oneRoom = async (server: Server, room: string, persistence: boolean) => {
    const tally = new Tally();
    await inBatches([...Array(SUBSCRIBERS).keys()], SUBSCRIBERS, async (i) => {
      sockets.push(await subscriber(server, [room], tally, i === 0, await signIn(server, `${room.slice(5)}-sub${i}`)));
    });
    const s = await sender(server, [room], await signIn(server, `${room.slice(5)}-sender`), persistence);
    senders.push(s);
    return { tally, sender: s };
  };
  const oneRoomNote = `1 room, ${SUBSCRIBERS} subscribers, ${IN_FLIGHT} sends in flight on one graphql-ws connection; p50/p99 send→ack at that saturation`;

  try {
    progress('stored: starting Parley on PGlite' + (noPg ? '' : ' and on PostgreSQL'));
    const pgUrl = noPg ? undefined : await freshDatabase(DATABASE);
    const started = await Promise.allSettled([
      startServer('parley'),
      pgUrl ? startServer('parley', s.profileDir ? INSPECT_ARGS : [], { DATABASE_URL: pgUrl }) : undefined,
    ]);
    for (const x of started) if (x.status === 'fulfilled' && x.value) servers.push(x.value);
    for (const x of started) if (x.status === 'rejected') throw x.reason;
    const [lite, onPg] = servers as [Server, Server | undefined];

    const t = await oneRoom(lite, 'room:transient', false);
    const st = await oneRoom(lite, 'room:stored', true);
    await until('every subscription on PGlite', async () => (await liveSubscriptions(lite)) >= 2 * SUBSCRIBERS, 60_000);
    add(sendsSubject('transient', lite.pid, [t.sender], oneRoomLoad('room:transient'), t.tally), {
      subject: 'Parley not stored (PGlite)',
      reference: false,
      unit: 'sends/s',
      note: oneRoomNote,
      pg: false,
    });
    add(sendsSubject('stored-pglite', lite.pid, [st.sender], oneRoomLoad('room:stored'), st.tally), {
      subject: 'Parley stored (PGlite)',
      reference: false,
      unit: 'sends/s',
      note: oneRoomNote,
      pg: false,
    });

    if (onPg && pgUrl) {
      pool = new pg.Pool({ connectionString: pgUrl, max: 10, idleTimeoutMillis: 0 });
      await referenceTable(pool, 'ref');
      let seq = 0; // one channel, one sequence for both reference subjects
      const nextSeq = () => ++seq;
      const refNote = `from this process (the load) through a pg.Pool of 10, ${IN_FLIGHT} statements in flight, into a table shaped like "Message" (same keys and foreign key) in Parley's database; no lastSeq bump, no transaction`;
      add(inserts('insert-1', pool, 1, nextSeq), { subject: 'pg INSERT 1 row', reference: true, unit: 'rows/s', note: refNote, pg: true });
      add(inserts('insert-32', pool, 32, nextSeq), {
        subject: 'pg INSERT 32 rows',
        reference: true,
        unit: 'rows/s',
        note: `${refNote}; p50/p99 per statement`,
        pg: true,
      });

      const p = await oneRoom(onPg, 'room:stored', true);
      await until('every subscription on PostgreSQL', async () => (await liveSubscriptions(onPg)) >= SUBSCRIBERS, 60_000);
      add(sendsSubject('stored-pg', onPg.pid, [p.sender], oneRoomLoad('room:stored'), p.tally), {
        subject: 'Parley stored (PostgreSQL)',
        reference: false,
        unit: 'sends/s',
        note: oneRoomNote,
        pg: true,
      });

      const rooms = Array.from({ length: manyRooms }, (_, i) => `room:many${i}`);
      const quarters = Array.from({ length: MANY_SENDERS }, (_, j) => rooms.filter((_, i) => i % MANY_SENDERS === j));
      for (const [j, quarter] of quarters.entries()) senders.push(await sender(onPg, quarter, await signIn(onPg, `many-sender${j}`), true));
      add(
        sendsSubject('stored-pg-rooms', onPg.pid, senders.slice(-MANY_SENDERS), {
          perRoom: 0,
          senderRooms: quarters,
          ackWindow: IN_FLIGHT,
          inFlight: 0,
        }),
        {
          subject: `Parley stored (PostgreSQL), ${manyRooms.toLocaleString('en-US')} rooms`,
          reference: false,
          unit: 'sends/s',
          pg: true,
          note: `${MANY_SENDERS} connections × ${IN_FLIGHT} sends in flight, round-robin over their quarter of the rooms, no subscribers; p50/p99 send→ack`,
        },
      );
    }
    progress(`stored: ${subjects.length} subjects ready`);
    // The profile is of the Parley server on PostgreSQL: idle but for its own subjects.
    const stopProfile = servers[1] ? await profileUntil(servers[1], s.profileDir, 'stored') : async () => undefined;
    const results = await interleaved(subjects, s, (line) => progress(`stored/${line}`));
    const profile = await stopProfile();
    if (profile) progress(`stored: CPU profile of Parley on PostgreSQL in ${profile}`);

    const ref = [...results].find(([subject]) => subject.name === 'insert-1')?.[1];
    const refRate = ref && !ref.failed ? summary(ref).rate : undefined;
    const rows: BenchRow[] = [];
    for (const [subject, m] of results) {
      const row = meta.get(subject)!;
      const base = { scenario: 'stored', subject: row.subject, reference: row.reference };
      if (m.failed) {
        rows.push({ ...base, note: `failed: ${m.failed}` });
        continue;
      }
      const r = summary(m);
      const cpu = [
        r.serverCpuPct === undefined ? undefined : `${r.serverCpuMsPerOp.toFixed(3)} srv CPU-ms/send`,
        r.serverCpuPct === undefined ? undefined : `${r.serverWritesPerOp.toFixed(2)} srv write calls/send`,
        row.pg
          ? `PostgreSQL CPU ${r.pgCpuPct.toFixed(0)}% (${(r.pgCpuMsPerOp * 1000).toFixed(0)} µs/${row.reference ? 'row' : 'send'}, all its processes)`
          : undefined,
      ].filter(Boolean);
      rows.push({
        ...base,
        rate: round(r.rate),
        rateUnit: row.unit,
        share: refRate ? round(r.rate / refRate, 3) : undefined,
        p50Ms: round(r.p50Ms, 2),
        p99Ms: round(r.p99Ms, 2),
        serverCpuPct: round(r.serverCpuPct),
        clientCpuPct: round(r.clientCpuPct),
        note: [row.note, ...r.notes, ...cpu].join('; '),
      });
    }
    if (noPg) {
      for (const subject of [
        'pg INSERT 1 row',
        'pg INSERT 32 rows',
        'Parley stored (PostgreSQL)',
        `Parley stored (PostgreSQL), ${manyRooms} rooms`,
      ]) {
        rows.push({
          scenario: 'stored',
          subject,
          reference: subject.startsWith('pg'),
          note: `skipped: no PostgreSQL at ${pgWhere()} (${noPg})`,
        });
      }
    }
    return rows.sort((a, b) => Number(b.reference) - Number(a.reference)); // references first, else in the order made
  } finally {
    senders.forEach((x) => x.close());
    sockets.forEach((ws) => ws.terminate());
    await pool?.end();
    await Promise.all(servers.map((x) => x.stop()));
  }
}

if (isMain(import.meta.url)) console.log(formatTable(await run({ quick: process.argv.includes('--quick') })));
