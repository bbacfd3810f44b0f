// Scenario "fanout" (issue 8, item 1): one room, N WebSocket subscribers
// (1,000 by default, 100 with --quick), one sender on its own connection.
// Servers, each a fresh OS process: raw `ws` writing one prebuilt frame to
// every socket (the main reference), the same with writes corked per tick (an
// extra reference: what batching the frames of one tick per socket is worth,
// which Socket.IO partly does), Socket.IO 4.8 (io.to(room).emit), and Parley (each subscriber
// its own user and session: authenticateDevice, joinChat(persistence: false),
// channelMessage(channelId: "room:bench") over graphql-transport-ws, the same
// document for all; the sender calls sendMessage over graphql-ws).
// Windows: 32 sends awaiting acknowledgement, and at most 32 messages' worth
// of deliveries not yet received.
// Alone: node --import tsx bench/scenarios/fanout.ts [--quick]
import { deliveryRows, type Shape } from '../lib/deliveries.js';
import { sizes } from '../lib/options.js';
import type { BenchRow } from '../lib/result.js';
import { formatTable, isMain } from '../lib/table.js';

export async function run(opts: { quick: boolean }): Promise<BenchRow[]> {
  const s = sizes(opts.quick);
  const shape: Shape = {
    scenario: 'fanout',
    kinds: ['raw', 'rawCorked', 'sio', 'floor', 'floorYoga', 'parley'],
    subscribers: s.subscribers,
    roomsOf: () => ['room:bench'],
    perRoom: s.subscribers,
    senderRooms: [['room:bench']],
    ackWindow: 32,
    inFlight: 32 * s.subscribers,
    seconds: s.seconds,
    rounds: s.rounds,
    warmupSeconds: s.warmupSeconds,
    sampleEvery: 50,
  };
  return deliveryRows(shape, s.profileDir);
}

if (isMain(import.meta.url)) console.log(formatTable(await run({ quick: process.argv.includes('--quick') })));
