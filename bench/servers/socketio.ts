// Reference server: Socket.IO 4.8 with its in-memory adapter, WebSocket
// transport only. A client connects with ?rooms=a,b and joins them in its
// connection handler (before its CONNECT packet is answered). A "send" event
// {r, c} becomes a message like Parley's and is broadcast with
// io.to(r).emit('m', …), which encodes the packet once and reuses one
// prebuilt frame for every socket; then the event is acknowledged.
// Run by the bench runner: PORT=… node --import tsx bench/servers/socketio.ts
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const SENDER_ID = randomUUID();
const server = createServer();
const io = new Server(server, { transports: ['websocket'], serveClient: false, perMessageDeflate: false });
io.on('connection', (socket) => {
  const rooms = String(socket.handshake.query.rooms ?? '')
    .split(',')
    .filter(Boolean);
  if (rooms.length) void socket.join(rooms);
  socket.on('send', (m: { r: string; c: unknown }, ack?: () => void) => {
    io.to(m.r).emit('m', {
      id: randomUUID(),
      senderId: SENDER_ID,
      username: 'bench-sender',
      content: m.c,
      createTime: new Date().toISOString(),
    });
    if (typeof ack === 'function') ack();
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('ready'));
process.on('SIGTERM', () => process.exit(0));
