// Scenario "rooms" (issue 8, item 3, deliveries): many small rooms at once.
// N subscriber connections (1,000 by default, 100 with --quick) in groups of
// 10; each group shares 10 rooms, so there are N rooms, every room has exactly
// 10 subscribers and every connection follows 10 rooms. Parley: each
// subscriber session joins its 10 rooms (persistence: false) and has one
// channelMessage subscription without channelId, which follows every joined
// channel. 4 sender connections (for Parley, 4 sessions each joined to its
// quarter of the rooms) send round-robin over their rooms, so every room gets
// messages. Windows: 32 unacknowledged sends per sender, and at most
// 16 × N deliveries not yet received.
// Alone: node --import tsx bench/scenarios/rooms.ts [--quick]
import { deliveryRows, type Shape } from '../lib/deliveries.js';
import { sizes } from '../lib/options.js';
import type { BenchRow } from '../lib/result.js';
import { formatTable, isMain } from '../lib/table.js';

const GROUP = 10;
const SENDERS = 4;

export async function run(opts: { quick: boolean }): Promise<BenchRow[]> {
  const s = sizes(opts.quick);
  const groups = Math.max(1, Math.round(s.subscribers / GROUP));
  const room = (group: number, k: number) => `room:g${group}-${k}`;
  const all = Array.from({ length: groups * GROUP }, (_, i) => room(Math.floor(i / GROUP), i % GROUP));
  const shape: Shape = {
    scenario: 'rooms',
    kinds: ['raw', 'sio', 'parley'],
    subscribers: groups * GROUP,
    roomsOf: (i) => Array.from({ length: GROUP }, (_, k) => room(Math.floor(i / GROUP), k)),
    perRoom: GROUP,
    // Sender j takes every SENDERS-th room, so consecutive sends go to different groups.
    senderRooms: Array.from({ length: SENDERS }, (_, j) => all.filter((_, i) => i % SENDERS === j)),
    ackWindow: 32,
    inFlight: 16 * groups * GROUP,
    seconds: s.seconds,
    rounds: s.rounds,
    warmupSeconds: s.warmupSeconds,
    sampleEvery: 50,
  };
  return deliveryRows(shape, s.profileDir);
}

if (isMain(import.meta.url)) console.log(formatTable(await run({ quick: process.argv.includes('--quick') })));
