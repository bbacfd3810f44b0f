import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../helpers/backends.js';
import { startServer, uniqueName, type TestServer, suiteServer, errorCode } from '../../helpers/server.js';

const SECRET = 'the-host-apps-shared-secret-of-32-chars-or-more';
const ISSUER = 'https://app.example.com';
const AUDIENCE = 'parley';
const AUTH = `mutation($t: String!) { authenticateToken(token: $t) { token sessionId user { id username } } }`;
const backend = backends()[0]!;

/** What the host app's backend does: sign a short-lived token for its user. */
function hostToken(
  claims: JWTPayload,
  key: Uint8Array | CryptoKey = new TextEncoder().encode(SECRET),
  header: Record<string, string> = { alg: 'HS256' },
) {
  return new SignJWT(claims)
    .setProtectedHeader(header as never)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key);
}

describe('the host app vouches for its users with a shared secret', () => {
  const server = suiteServer(backend, { AUTH_JWT_SECRET: SECRET, AUTH_JWT_ISSUER: ISSUER, AUTH_JWT_AUDIENCE: AUDIENCE });

  it("creates the user on first sign-in with the app's id, signs the same user in again with a new session, and follows a rename", async () => {
    const id = uniqueName('app-user');
    const first = (await server.gql(AUTH, { t: await hostToken({ sub: id, name: 'Grace' + id.slice(-6) }) })).data.authenticateToken;
    expect(first.user).toEqual({ id, username: 'Grace' + id.slice(-6) });
    const me = await server.gql(`{ me { id username } }`, {}, first.token);
    expect(me.data.me.id).toBe(id);
    const again = (await server.gql(AUTH, { t: await hostToken({ sub: id, name: 'Hopper' + id.slice(-6) }) })).data.authenticateToken;
    expect(again.user).toEqual({ id, username: 'Hopper' + id.slice(-6) });
    expect(again.sessionId).not.toBe(first.sessionId);
  });

  it('refuses tokens that are forged, expired, for another audience or issuer, without expiry, or with an unusable id', async () => {
    const sub = uniqueName('app-user');
    const bad = [
      await hostToken({ sub }, new TextEncoder().encode('another-secret-that-is-long-enough-32')),
      await new SignJWT({ sub })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
        .sign(new TextEncoder().encode(SECRET)),
      await new SignJWT({ sub })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(ISSUER)
        .setAudience('someone-else')
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(SECRET)),
      await new SignJWT({ sub })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('https://evil.example')
        .setAudience(AUDIENCE)
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(SECRET)),
      await new SignJWT({ sub })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .sign(new TextEncoder().encode(SECRET)),
      await hostToken({ sub: 'has:colon' }),
      await hostToken({ name: 'no id' }),
      'not-a-jwt',
    ];
    for (const t of bad) {
      const r = await server.gql(AUTH, { t });
      expect(errorCode(r), t).toBe('UNAUTHENTICATED');
    }
    const expired = await server.gql(AUTH, { t: bad[1] });
    expect(expired.errors?.[0]?.message).toMatch(/expired/);
  });

  it('refuses tokens valid for longer than AUTH_JWT_MAX_AGE_SECONDS (1 h by default), and ones issued longer ago', async () => {
    const sub = uniqueName('app-user');
    const sign = (iat: number, exp: number) =>
      new SignJWT({ sub })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .sign(new TextEncoder().encode(SECRET));
    const now = Math.floor(Date.now() / 1000);
    const forever = await server.gql(AUTH, { t: await sign(now, Date.UTC(9999, 0, 1) / 1000) });
    expect(errorCode(forever)).toBe('UNAUTHENTICATED');
    expect(forever.errors?.[0]?.message).toMatch(/AUTH_JWT_MAX_AGE_SECONDS/);
    const old = await server.gql(AUTH, { t: await sign(now - 2 * 3600, now + 60) });
    expect(errorCode(old)).toBe('UNAUTHENTICATED');
    expect(old.errors?.[0]?.message).toMatch(/issued more than 3600 s ago/);
    // An hour's token from a clock a little ahead of ours is still taken.
    expect((await server.gql(AUTH, { t: await sign(now + 20, now + 3620) })).data?.authenticateToken.user.id).toBe(sub);
  });

  it("refuses an id that belongs to a device user, so the app cannot take over someone's account", async () => {
    const device = await server.signIn();
    expect(errorCode(await server.gql(AUTH, { t: await hostToken({ sub: device.userId }) }))).toBe('CONFLICT');
  });

  it('gives a free name when the claimed one is taken or invalid', async () => {
    const taken = await server.signIn();
    const r = (await server.gql(AUTH, { t: await hostToken({ sub: uniqueName('app-user'), name: taken.username.toUpperCase() }) })).data
      .authenticateToken;
    expect(r.user.username).not.toBe(taken.username.toUpperCase());
    expect(r.user.username.toLowerCase().startsWith(taken.username.toLowerCase())).toBe(true);
    const odd = (await server.gql(AUTH, { t: await hostToken({ sub: uniqueName('app-user'), name: 'has space' }) })).data.authenticateToken;
    expect(odd.user.username).toMatch(/^user_/);
  });
});

describe("the host app's public keys (JWKS)", () => {
  let server: TestServer;
  let jwks: Server;
  let privateKey: CryptoKey;
  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    privateKey = pair.privateKey;
    const doc = JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }] });
    jwks = createServer((_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(doc));
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(jwks.address() as { port: number }).port}/.well-known/jwks.json`;
    server = await startServer(backend, { AUTH_JWKS_URL: url, AUTH_JWT_ISSUER: ISSUER, AUTH_JWT_AUDIENCE: AUDIENCE, AUTH_DEVICE: false });
  });
  afterAll(async () => {
    await server?.stop();
    jwks?.close();
  });

  it('accepts a token signed with a published key and refuses one signed with any other, or with the shared-secret algorithm', async () => {
    const id = uniqueName('app-user');
    const ok = await server.gql(AUTH, {
      t: await hostToken({ sub: id, name: 'Ada' + id.slice(-6) }, privateKey, { alg: 'ES256', kid: 'k1' }),
    });
    expect(ok.data.authenticateToken.user.id).toBe(id);
    const other = (await generateKeyPair('ES256')).privateKey;
    expect(errorCode(await server.gql(AUTH, { t: await hostToken({ sub: id }, other, { alg: 'ES256', kid: 'k1' }) }))).toBe(
      'UNAUTHENTICATED',
    );
    expect(errorCode(await server.gql(AUTH, { t: await hostToken({ sub: id }, other, { alg: 'ES256', kid: 'k2' }) }))).toBe(
      'UNAUTHENTICATED',
    );
    expect(errorCode(await server.gql(AUTH, { t: await hostToken({ sub: id }) }))).toBe('UNAUTHENTICATED');
  });

  it('answers UNAVAILABLE, not "invalid token", while the key server fails or answers something other than a key set', async () => {
    const failing: [string, (res: import('node:http').ServerResponse) => void][] = [
      ['500', (res) => res.writeHead(500).end('oops')],
      ['404', (res) => res.writeHead(404).end()],
      ['an HTML page', (res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>')],
      ['JSON that is no key set', (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"keys":"none"}')],
    ];
    let answer = failing[0]![1];
    const down = createServer((_, res) => answer(res));
    await new Promise<void>((resolve) => down.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(down.address() as { port: number }).port}/jwks.json`;
    const other = await startServer(backend, { AUTH_JWKS_URL: url, AUTH_JWT_ISSUER: ISSUER, AUTH_JWT_AUDIENCE: AUDIENCE });
    try {
      for (const [what, reply] of failing) {
        answer = reply;
        const r = await other.gql(AUTH, { t: await hostToken({ sub: uniqueName('app-user') }, privateKey, { alg: 'ES256', kid: 'k1' }) });
        expect(errorCode(r), what).toBe('UNAVAILABLE');
        expect(r.errors?.[0]?.message, what).toMatch(/could not be fetched/);
      }
    } finally {
      await other.stop();
      down.close();
    }
  });

  it('can switch authenticateDevice off', async () => {
    const r = await server.gql(`mutation { authenticateDevice(deviceId: "device-123456") { token } }`);
    expect(errorCode(r)).toBe('FORBIDDEN');
    expect(r.errors?.[0]?.message).toMatch(/AUTH_DEVICE/);
  });
});

describe('without AUTH_JWT_SECRET or AUTH_JWKS_URL', () => {
  it('says authenticateToken is off', async () => {
    const server = await startServer(backend);
    try {
      const r = await server.gql(AUTH, { t: await hostToken({ sub: 'x' }) });
      expect(errorCode(r)).toBe('FORBIDDEN');
      expect(r.errors?.[0]?.message).toMatch(/AUTH_JWT_SECRET or AUTH_JWKS_URL/);
    } finally {
      await server.stop();
    }
  });
});
