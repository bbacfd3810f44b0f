// Reference server: plain `ws`, no protocol above WebSocket. A subscriber
// connects to /?rooms=a,b and gets "ok" once it is in its rooms. A sender's
// frame {r, k, c} is turned into a message like Parley's (id, sender,
// username, content, time), serialized and framed ONCE, and the same bytes
// are written to every socket in room r: the cheapest fan-out Node can do, so
// it is the ceiling the other servers are compared with. Then {k} acks it.
// (RAW_CORK=1 also batches writes per tick, see below.)
// Run by the bench runner: PORT=… node --import tsx bench/servers/raw-ws.ts
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import * as wsModule from 'ws';
import { WebSocketServer, type WebSocket } from 'ws';

// ws exports Sender (and Socket.IO uses Sender.frame for the same purpose), but @types/ws does not declare it.
const frameOf = (wsModule as unknown as { Sender: { frame(data: Buffer, o: object): Buffer[] } }).Sender.frame;
const SENDER_ID = randomUUID();
const rooms = new Map<string, Set<WebSocket>>();

// RAW_CORK=1: sockets written to in this tick stay corked until the tick ends,
// so messages broadcast in the same tick (a sender's frames often arrive
// together) leave as one write per socket instead of one per message.
// Socket.IO gets part of this effect from Engine.IO's write buffer (a socket
// whose last write has not called back queues the next packets). Without it,
// one write per delivery, as Parley does: the main reference.
const CORK = process.env.RAW_CORK === '1';
const corked = new Set<Socket>();
const uncorkAll = () => {
  for (const socket of corked) socket.uncork();
  corked.clear();
};
function write(socket: Socket, frame: Buffer) {
  if (CORK && !corked.has(socket)) {
    if (corked.size === 0) process.nextTick(uncorkAll);
    socket.cork();
    corked.add(socket);
  }
  socket.write(frame);
}

const server = createServer();
const wss = new WebSocketServer({ server, perMessageDeflate: false });
wss.on('connection', (ws, req) => {
  const names = new URL(req.url ?? '/', 'http://x').searchParams.get('rooms')?.split(',').filter(Boolean) ?? [];
  for (const name of names) {
    let set = rooms.get(name);
    if (!set) rooms.set(name, (set = new Set()));
    set.add(ws);
  }
  ws.on('close', () => names.forEach((n) => rooms.get(n)?.delete(ws)));
  ws.on('message', (data) => {
    const { r, k, c } = JSON.parse(String(data)) as { r: string; k: number; c: unknown };
    const message = { id: randomUUID(), senderId: SENDER_ID, username: 'bench-sender', content: c, createTime: new Date().toISOString() };
    const json = JSON.stringify({ type: 'message', channelId: r, data: message });
    const frame = Buffer.concat(frameOf(Buffer.from(json), { fin: true, opcode: 1, mask: false, readOnly: false, rsv1: false }));
    // Straight to the TCP socket: nothing else is ever sent to a subscriber after "ok", so ws's own sender queue is idle.
    for (const peer of rooms.get(r) ?? []) write((peer as unknown as { _socket: Socket })._socket, frame);
    ws.send(`{"k":${k}}`);
  });
  if (names.length) ws.send('ok');
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('ready'));
process.on('SIGTERM', () => process.exit(0));
