import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config.js';
import { embedded } from '../../helpers/backends.js';
import { startServer, type TestServer } from '../../helpers/server.js';

const pglite = embedded;
const QUERY = JSON.stringify({ query: '{ __typename }' });

/** A browser's actual request and its preflight, from `origin`. */
async function fromBrowser(server: TestServer, origin: string) {
  const post = await fetch(server.app.url, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: QUERY });
  const preflight = await fetch(server.app.url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
  });
  const cors = (r: Response) => ({
    origin: r.headers.get('access-control-allow-origin'),
    credentials: r.headers.get('access-control-allow-credentials'),
    vary: r.headers.get('vary'),
  });
  return {
    post: cors(post),
    status: post.status,
    preflight: { ...cors(preflight), headers: preflight.headers.get('access-control-allow-headers') },
  };
}

describe('CORS', () => {
  const servers: TestServer[] = [];
  let anyOrigin: TestServer, listed: TestServer, off: TestServer;
  beforeAll(async () => {
    [anyOrigin, listed, off] = await Promise.all([
      startServer(pglite),
      startServer(pglite, { CORS_ORIGINS: parseConfig({ CORS_ORIGINS: 'https://app.example, https://admin.example' }).CORS_ORIGINS }),
      startServer(pglite, { CORS_ORIGINS: ['off'] }),
    ]);
    servers.push(anyOrigin, listed, off);
  });
  afterAll(() => Promise.all(servers.map((s) => s.stop())));

  it('by default lets any origin call the API with a bearer token, never with credentials', async () => {
    const r = await fromBrowser(anyOrigin, 'https://anywhere.example');
    expect(r.post).toMatchObject({ origin: 'https://anywhere.example', credentials: null });
    expect(r.post.vary).toMatch(/Origin/);
    expect(r.preflight).toMatchObject({ origin: 'https://anywhere.example', credentials: null });
    expect(r.preflight.headers).toMatch(/authorization/);
  });

  it('with a list, gives listed origins credentials and others no CORS headers at all', async () => {
    for (const origin of ['https://app.example', 'https://admin.example']) {
      const r = await fromBrowser(listed, origin);
      expect(r.post).toMatchObject({ origin, credentials: 'true' });
      expect(r.post.vary).toMatch(/Origin/);
      expect(r.preflight).toMatchObject({ origin, credentials: 'true' });
    }
    const evil = await fromBrowser(listed, 'https://evil.example');
    expect(evil.post).toMatchObject({ origin: null, credentials: null });
    expect(evil.post.vary).toMatch(/Origin/);
    expect(evil.preflight).toMatchObject({ origin: null, credentials: null });
  });

  it('off sends no CORS headers, and same-origin and non-browser clients are unaffected', async () => {
    const r = await fromBrowser(off, 'https://app.example');
    expect(r.post).toMatchObject({ origin: null, credentials: null });
    expect(r.preflight.origin).toBeNull();
    const plain = await fetch(off.app.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: QUERY });
    expect(await plain.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('refuses a malformed CORS_ORIGINS with a message naming it', () => {
    for (const bad of ['https://app.example/path', 'app.example', '*, https://app.example', ' , ']) {
      expect(() => parseConfig({ CORS_ORIGINS: bad })).toThrow(/CORS_ORIGINS/);
    }
    expect(parseConfig({}).CORS_ORIGINS).toEqual(['*']);
  });
});
