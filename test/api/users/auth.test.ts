import { SignJWT } from 'jose';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { backends } from '../../helpers/backends.js';
import { uniqueName, suiteServer, errorCode } from '../../helpers/server.js';

const AUTH = `mutation($d: String!, $u: String) { authenticateDevice(deviceId: $d, username: $u) { token sessionId user { id username createTime } } }`;

/** Opens a raw graphql-transport-ws connection and reports how it ended. */
function wsInit(url: string, payload: unknown): Promise<{ acked: boolean; code?: number; reason?: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-transport-ws');
    const timer = setTimeout(() => reject(new Error('no answer to connection_init within 5 s')), 5000);
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload })));
    socket.on('message', (data) => {
      if (JSON.parse(String(data)).type === 'connection_ack') {
        clearTimeout(timer);
        socket.close();
        resolve({ acked: true });
      }
    });
    socket.on('close', (code, reason) => {
      clearTimeout(timer);
      resolve({ acked: false, code, reason: String(reason) });
    });
    socket.on('error', () => {});
  });
}

describe.each(backends())('sessions ($name)', (backend) => {
  const server = suiteServer(backend);

  it('creates the user on first use, signs the same device into the same user, with a new session each time', async () => {
    const d = uniqueName('device');
    const name = uniqueName('ada');
    const first = (await server.gql(AUTH, { d, u: name })).data.authenticateDevice;
    const second = (await server.gql(AUTH, { d })).data.authenticateDevice;
    expect(first.user).toEqual(second.user);
    expect(first.user.username).toBe(name);
    expect(first.sessionId).not.toBe(second.sessionId);
    const me = await server.gql(`{ me { id username } }`, {}, second.token);
    expect(me.data.me).toEqual({ id: first.user.id, username: name });
  });

  it('treats usernames that differ only in case as the same name, keeping the spelling given', async () => {
    const name = `Ada_${uniqueName('x')}`;
    const first = (await server.gql(AUTH, { d: uniqueName('device'), u: name })).data.authenticateDevice;
    expect(first.user.username).toBe(name);
    for (const other of [name.toLowerCase(), name.toUpperCase()]) {
      const r = await server.gql(AUTH, { d: uniqueName('device'), u: other });
      expect(errorCode(r), other).toBe('CONFLICT');
    }
  });

  it('generates a unique username when none is given and refuses a taken one', async () => {
    const a = (await server.gql(AUTH, { d: uniqueName('device') })).data.authenticateDevice;
    const b = (await server.gql(AUTH, { d: uniqueName('device') })).data.authenticateDevice;
    expect(a.user.username).toMatch(/^user_/);
    expect(a.user.username).not.toBe(b.user.username);
    const taken = await server.gql(AUTH, { d: uniqueName('device'), u: a.user.username });
    expect(errorCode(taken)).toBe('CONFLICT');
  });

  it('refuses bad device ids and usernames', async () => {
    for (const vars of [
      { d: 'short' },
      { d: 'x'.repeat(129) },
      { d: 'bad\u0000device' },
      { d: uniqueName('device'), u: 'has space' },
      { d: uniqueName('device'), u: '' },
    ]) {
      const r = await server.gql(AUTH, vars);
      expect(errorCode(r), JSON.stringify(vars)).toBe('BAD_USER_INPUT');
    }
  });

  it('answers UNAUTHENTICATED over HTTP without a valid token', async () => {
    const forged = await new SignJWT({ sid: 's', name: 'n' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u')
      .setIssuer('parley')
      .sign(new TextEncoder().encode('x'.repeat(32)));
    for (const token of [undefined, 'garbage', forged]) {
      const r = await server.gql(`{ me { id } }`, {}, token);
      expect(errorCode(r), String(token)).toBe('UNAUTHENTICATED');
      const join = await server.gql(`mutation { joinChat(target: "x", type: ROOM) { id } }`, {}, token);
      expect(errorCode(join)).toBe('UNAUTHENTICATED');
    }
  });

  it('refuses a WebSocket without a valid token at connection init with 4403', async () => {
    const ada = await server.signIn();
    expect(await wsInit(server.wsUrl, { authorization: `Bearer ${ada.token}` })).toEqual({ acked: true });
    for (const payload of [undefined, {}, { authorization: 'Bearer nope' }, { authorization: ada.token }]) {
      const r = await wsInit(server.wsUrl, payload);
      expect(r, JSON.stringify(payload)).toMatchObject({ acked: false, code: 4403 });
    }
  });
});
