import { SignJWT } from 'jose';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { backends } from '../../helpers/backends.js';
import { feedsLive, joinRoom, Q, subscribe, uniqueName, type Session, suiteServer, errorCode } from '../../helpers/server.js';
import { sse } from '../../helpers/sse.js';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';

/** A token as the server signs them, for a session of the test's choosing and an expiry in seconds from now. */
function token(s: Pick<Session, 'userId' | 'sessionId' | 'username'>, expiresInSeconds: number) {
  return new SignJWT({ sid: s.sessionId, name: s.username })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(s.userId)
    .setIssuer('parley')
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + expiresInSeconds)
    .sign(new TextEncoder().encode(SECRET));
}

/** A raw graphql-transport-ws connection: whether init was acknowledged, and how the socket closed later. */
function connect(url: string, bearer: string) {
  const socket = new WebSocket(url, 'graphql-transport-ws');
  const acked = new Promise<boolean>((resolve) => {
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${bearer}` } })));
    socket.on('message', (data) => JSON.parse(String(data)).type === 'connection_ack' && resolve(true));
    socket.on('close', () => resolve(false));
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  socket.on('error', () => {});
  return { acked, closed, socket };
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms))]);
}

describe.each(backends())('sessions that end while connected ($name)', (backend) => {
  const server = suiteServer(backend, { JWT_SECRET: SECRET });

  it('closes a WebSocket (4403) and ends an SSE subscription when the token expires, and refuses the token afterwards', async () => {
    const ada = await server.signIn();
    const room = await joinRoom(server, ada, uniqueName('room'));
    const short = await token(ada, 5);
    const ws = connect(server.wsUrl, short);
    expect(await ws.acked).toBe(true);
    const stream = await sse(server.url, short, Q.onMessage, { c: room });
    await feedsLive(server, ada, 1);
    const closed = await within(ws.closed, 10_000, 'the socket to close at expiry');
    expect(closed.code).toBe(4403);
    expect(closed.reason).toMatch(/expired/i);
    await expect(stream.next(10_000)).rejects.toThrow(/ended/);
    expect(errorCode(await server.gql(`{ me { id } }`, {}, short))).toBe('UNAUTHENTICATED');
    expect(await connect(server.wsUrl, short).acked).toBe(false);
  });

  it('refuses a correctly signed token that names no session', async () => {
    const ada = await server.signIn();
    const made = await token({ ...ada, sessionId: 'no-such-session' }, 600);
    expect(errorCode(await server.gql(`{ me { id } }`, {}, made))).toBe('UNAUTHENTICATED');
    const ws = connect(server.wsUrl, made);
    expect(await ws.acked).toBe(false);
    expect((await ws.closed).code).toBe(4403);
  });

  it('signOut ends the session: its sockets close with 4401, others see it leave, its token is refused; other sessions go on', async () => {
    const [ada, bob] = [await server.signIn(), await server.signIn()];
    const name = uniqueName('room');
    const room = await joinRoom(server, ada, name);
    await joinRoom(server, bob, name);
    const watch = subscribe(server.ws(bob), Q.onPresence, { c: room });
    const ws = connect(server.wsUrl, ada.token);
    expect(await ws.acked).toBe(true);
    const stream = await sse(server.url, ada.token, Q.onMessage, { c: room });
    await feedsLive(server, ada, 1);

    const out = await server.gql(`mutation { signOut }`, {}, ada.token);
    expect(out.data).toEqual({ signOut: true });
    const closed = await within(ws.closed, 10_000, 'the socket to close on sign-out');
    expect(closed.code).toBe(4401);
    await expect(stream.next(10_000)).rejects.toThrow(/ended/);
    expect((await watch.next()).leaves.map((p: any) => p.sessionId)).toEqual([ada.sessionId]);
    for (const q of [`{ me { id } }`, `mutation { signOut }`]) {
      expect(errorCode(await server.gql(q, {}, ada.token))).toBe('UNAUTHENTICATED');
    }
    expect(await connect(server.wsUrl, ada.token).acked).toBe(false);
    // bob's session is untouched.
    expect((await server.gql(`{ me { id } }`, {}, bob.token)).data.me.id).toBe(bob.userId);
    watch.close();
  });

  it('revokeSessions ends every session of one user, and only theirs', async () => {
    const ada = await server.signIn();
    const again = await server.gql(`mutation($d: String!) { authenticateDevice(deviceId: $d) { token sessionId } }`, { d: ada.deviceId });
    const ada2 = again.data.authenticateDevice.token as string;
    const bob = await server.signIn();
    const sockets = [connect(server.wsUrl, ada.token), connect(server.wsUrl, ada2), connect(server.wsUrl, bob.token)];
    for (const s of sockets) expect(await s.acked).toBe(true);

    expect(await server.app.revokeSessions(ada.userId)).toBe(2);
    for (const s of sockets.slice(0, 2)) expect((await within(s.closed, 10_000, 'a revoked socket to close')).code).toBe(4401);
    for (const t of [ada.token, ada2]) expect(errorCode(await server.gql(`{ me { id } }`, {}, t))).toBe('UNAUTHENTICATED');
    expect(sockets[2]!.socket.readyState).toBe(WebSocket.OPEN);
    sockets[2]!.socket.close();
  });
});
