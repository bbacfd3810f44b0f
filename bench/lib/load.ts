// Sending and waiting: the saturated and paced phases of a delivery measurement.
import { Tally, type Sender } from './clients.js';
import type { Subject } from './rounds.js';

export interface Load {
  /** Subscribers in every room: the deliveries each message makes. */
  perRoom: number;
  /** One list per sender connection: the rooms it sends to, round-robin. */
  senderRooms: string[][];
  /** Sends per sender awaiting the server's acknowledgement. */
  ackWindow: number;
  /**
   * Deliveries sent but not yet received, over all senders, at most. Needed
   * besides the ack window because a reference server acknowledges once its
   * frames are queued, not delivered: without it a server faster than the
   * client would buffer without bound and the figures would be about memory.
   */
  inFlight: number;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const STALL_MS = 5000;

/** Waits until `expected` frames arrived, or none for STALL_MS; returns how many are missing. */
export async function drain(tally: Tally, expected: number): Promise<number> {
  const since = performance.now();
  let stalled = false;
  const watch = (async () => {
    while (tally.frames < expected && performance.now() - Math.max(tally.last, since) < STALL_MS) await sleep(100);
    stalled = tally.frames < expected;
  })();
  await Promise.race([tally.reach(expected), watch]);
  return stalled ? expected - tally.frames : 0;
}

function noteError(errors: string[], e: Error) {
  if (errors.length < 5) errors.push(e.message.slice(0, 300));
}

/** Sends as fast as both windows allow for `seconds`; returns messages accepted and when the first went out. */
export async function saturate(load: Load, senders: Sender[], tally: Tally, seconds: number, errors: string[]) {
  const first = performance.now();
  const end = first + seconds * 1000;
  let sent = 0;
  const loop = async (s: Sender, rooms: string[], next: { i: number }) => {
    while (performance.now() < end) {
      const ahead = sent * load.perRoom - tally.frames - load.inFlight;
      if (ahead > 0) {
        await Promise.race([tally.reach(tally.frames + ahead), sleep(20)]);
        continue;
      }
      sent++;
      await s.send(rooms[next.i++ % rooms.length]!).catch((e: Error) => {
        sent--;
        noteError(errors, e);
      });
    }
  };
  await Promise.all(
    senders.flatMap((s, j) => {
      const next = { i: 0 };
      return Array.from({ length: load.ackWindow }, () => loop(s, load.senderRooms[j]!, next));
    }),
  );
  return { sent, first };
}

/** Sends at `rate` messages/s for `seconds`, round-robin over senders, whatever the acknowledgements. */
export async function pace(load: Load, senders: Sender[], rate: number, seconds: number, errors: string[]) {
  const total = Math.max(1, Math.round(rate * seconds));
  const start = performance.now();
  const next = senders.map(() => 0);
  const pending: Promise<void>[] = [];
  let sent = 0;
  let failed = 0;
  while (sent < total) {
    // Timers fire about every millisecond: what is due goes out at once, in small bursts at high rates.
    const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
    for (; sent < due; sent++) {
      const j = sent % senders.length;
      const rooms = load.senderRooms[j]!;
      pending.push(
        senders[j]!.send(rooms[next[j]!++ % rooms.length]!).catch((e: Error) => {
          failed++;
          noteError(errors, e);
        }),
      );
    }
    await sleep(1);
  }
  await Promise.all(pending);
  return { sent: sent - failed };
}

/**
 * A request/response subject (bench/lib/rounds.ts) of Parley sends: `saturate`
 * for a window, counting acknowledged sends and timing send→ack; with a tally
 * (its subscribers'), also the deliveries that did not arrive.
 */
export function sendsSubject(name: string, serverPid: number, senders: Sender[], load: Load, tally?: Tally): Subject {
  return {
    name,
    serverPid,
    async run(seconds) {
      const latencies: number[] = [];
      const errors: string[] = [];
      const timed = senders.map((s) => ({
        ...s,
        send: (room: string) => {
          const t = performance.now();
          return s.send(room).then(() => void latencies.push(performance.now() - t));
        },
      }));
      const counter = tally ?? new Tally();
      counter.reset();
      const { sent, first } = await saturate(load, timed, counter, seconds, errors);
      const wallMs = performance.now() - first;
      const expected = tally ? sent * load.perRoom : 0;
      const missing = tally ? await drain(tally, expected) : 0;
      if (tally?.errors.length) errors.push(...tally.errors);
      return { count: sent, wallMs, latencies, errors, expected, missing };
    },
  };
}
