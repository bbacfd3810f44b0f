import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedded } from '../../helpers/backends.js';
import { freePort } from '../../helpers/port.js';
import {
  feedsLive,
  joinRoom,
  Q,
  send,
  startServer,
  subscribe,
  uniqueName,
  until,
  type TestServer,
  errorCode,
} from '../../helpers/server.js';

const pglite = embedded;
const SEND = 'mutation Send($c: ID!, $content: JSONObject!) { sendMessage(channelId: $c, content: $content) { messageId } }';

/** One sample of a Prometheus text exposition; 0 when the series is not there yet. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = m[2]?.split(',') ?? [];
    if (wanted.every((w) => have.includes(w))) return Number(m[3]);
  }
  return 0;
}

describe('metrics', () => {
  let server: TestServer;
  let separate: TestServer;
  let metricsPort: number;
  const scrape = async (s: TestServer = server) => {
    const r = await fetch(new URL('/metrics', s.app.url));
    expect(r.headers.get('content-type')).toMatch(/^text\/plain/);
    return r.text();
  };
  beforeAll(async () => {
    metricsPort = await freePort();
    [server, separate] = await Promise.all([
      startServer(
        pglite,
        { RATE_LIMIT_SEND: { points: 6, seconds: 60 } },
        {
          hooks: {
            after: {
              sendMessage: ({ input }) => {
                if (input.content.explode) throw new Error('hook broke');
              },
            },
          },
        },
      ),
      startServer(pglite, { METRICS_PORT: metricsPort }),
    ]);
  });
  afterAll(() => Promise.all([server?.stop(), separate?.stop()]));

  it('moves with chat: operations by name and code, messages, deliveries, connections, subscriptions, refusals, hook failures', async () => {
    const before = await scrape();
    const [ada, eve, bob] = [await server.signIn(), await server.signIn(), await server.signIn()];
    const name = uniqueName('room');
    const room = await joinRoom(server, ada, name);
    await joinRoom(server, eve, name, { persistence: false });
    await joinRoom(server, bob, name);
    const sub = subscribe(server.ws(bob), Q.onMessage, { c: room });
    await feedsLive(server, bob, 1);

    for (let i = 0; i < 3; i++) await send(server, ada, room, { i });
    for (let i = 0; i < 2; i++) await send(server, eve, room, { i });
    for (let i = 0; i < 5; i++) await sub.next();
    expect(errorCode(await server.gql(SEND, { c: 'room:nowhere', content: {} }, bob.token))).toBe('FORBIDDEN');
    await send(server, ada, room, { explode: true });
    for (let i = 0; i < 3; i++) await server.gql(SEND, { c: room, content: { i } }, ada.token); // ada's 5th and 6th pass, then the limit
    await until(
      async () => sample(await scrape(), 'parley_hook_failures_total', { operation: 'sendMessage', stage: 'after' }) === 1,
      5000,
      'the hook failure',
    );

    const after = await scrape();
    const grew = (name: string, labels: Record<string, string> = {}) => sample(after, name, labels) - sample(before, name, labels);
    expect(grew('parley_messages_total', { stored: 'true' })).toBe(6);
    expect(grew('parley_messages_total', { stored: 'false' })).toBe(2);
    expect(grew('parley_deliveries_total')).toBeGreaterThanOrEqual(8);
    expect(grew('parley_operation_duration_seconds_count', { operation: 'Send', type: 'mutation', code: 'FORBIDDEN' })).toBe(1);
    expect(grew('parley_operation_duration_seconds_count', { operation: 'Send', type: 'mutation', code: 'OK' })).toBe(2);
    expect(grew('parley_operation_duration_seconds_count', { operation: 'Send', type: 'mutation', code: 'RATE_LIMITED' })).toBe(1);
    expect(grew('parley_rate_limited_total', { limit: 'send' })).toBe(1);
    expect(grew('parley_send_to_publish_seconds_count')).toBe(8);
    expect(sample(after, 'parley_websocket_connections')).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'parley_subscriptions')).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'parley_database_up')).toBe(1);
    expect(sample(after, 'parley_pubsub_up')).toBe(1);
    expect(sample(after, 'parley_process_resident_memory_bytes')).toBeGreaterThan(0);
    sub.close();
  });

  it('counts operations without a signed-in viewer under one label, whatever names they make up', async () => {
    const before = await scrape();
    const names = Array.from({ length: 150 }, (_, i) => uniqueName(`Made${i}`));
    for (const n of names) await server.gql(`query ${n} { me { id } }`);
    const after = await scrape();
    for (const n of names.slice(0, 5)) expect(after).not.toContain(n);
    const grew =
      sample(after, 'parley_operation_duration_seconds_count', { operation: 'unauthenticated', type: 'query', code: 'OK' }) -
      sample(before, 'parley_operation_duration_seconds_count', { operation: 'unauthenticated', type: 'query', code: 'OK' });
    const refused =
      sample(after, 'parley_operation_duration_seconds_count', { operation: 'unauthenticated', type: 'query', code: 'UNAUTHENTICATED' }) -
      sample(before, 'parley_operation_duration_seconds_count', { operation: 'unauthenticated', type: 'query', code: 'UNAUTHENTICATED' });
    expect(grew + refused).toBe(names.length);
    // A signed-in client's name is still its own label.
    const ada = await server.signIn();
    await server.gql('query MyName { me { id } }', {}, ada.token);
    expect(sample(await scrape(), 'parley_operation_duration_seconds_count', { operation: 'MyName', type: 'query', code: 'OK' })).toBe(1);
  });

  it('can serve on a port of its own, and then not on the API port', async () => {
    const own = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(own.status).toBe(200);
    expect(await own.text()).toContain('parley_websocket_connections');
    expect((await fetch(new URL('/metrics', separate.app.url))).status).toBe(404);
  });
});
