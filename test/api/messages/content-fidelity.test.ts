import { describe, expect, it } from 'vitest';
import { backends } from '../../helpers/backends.js';
import { contents } from '../../helpers/random-json.js';
import { feedsLive, joinRoom, Q, send, subscribe, suiteServer, uniqueName } from '../../helpers/server.js';
import { ok, S } from '../../helpers/social.js';
import { sse } from '../../helpers/sse.js';

const MAX_MESSAGE_BYTES = 32_768;
/** TEST_SEED=n runs other objects; a failure's title names the seed that reproduces it. */
const SEED = Number(process.env.TEST_SEED ?? 20261207);

describe.each(backends())('content reaches every reader exactly as sent ($name)', (backend) => {
  const server = suiteServer(backend, { MAX_MESSAGE_BYTES, MAX_BODY_BYTES: 4 * MAX_MESSAGE_BYTES });

  const historyById = async (token: string, c: string) => {
    const byId = new Map<string, unknown>();
    let after: string | null = null;
    for (;;) {
      const page: any = (await server.gql(Q.history, { c, first: 100, forward: true, after }, token)).data.channelMessages;
      for (const e of page.edges) byId.set(e.node.id, e.node.content);
      if (!page.pageInfo.hasNextPage) return byId;
      after = page.pageInfo.endCursor;
    }
  };

  it(`live over WebSocket and SSE, resumed with after, and edited, equals history (seed ${SEED})`, async () => {
    const [ada, bob] = [await server.signIn(), await server.signIn()];
    const name = uniqueName('room');
    const room = await joinRoom(server, ada, name);
    await joinRoom(server, bob, name);
    const ws = subscribe(server.ws(bob), Q.onMessage, { c: room });
    const stream = await sse(server.url, bob.token, Q.onMessage, { c: room });
    await feedsLive(server, bob, 2);

    const sent = contents(SEED, 60, MAX_MESSAGE_BYTES);
    const ids: string[] = [];
    for (const content of sent) ids.push((await send(server, ada, room, content)).messageId);
    const edits = contents(SEED + 1, 10, MAX_MESSAGE_BYTES);
    for (const [n, content] of edits.entries()) await ok(server, S.update, { c: room, m: ids[n * 5]!, content }, ada);

    const history = await historyById(bob.token, room);
    expect(history.size).toBe(sent.length);
    // What was sent is what history holds (edits aside), before any live copy is compared with it.
    for (const [n, id] of ids.entries()) if (n % 5 || n / 5 >= edits.length) expect(history.get(id), `message ${n}`).toEqual(sent[n]);
    for (const [n, content] of edits.entries()) expect(history.get(ids[n * 5]!), `edit ${n}`).toEqual(content);

    const events = sent.length + edits.length;
    const live = { ws: [] as any[], sse: [] as any[] };
    for (let n = 0; n < events; n++) live.ws.push(await ws.next());
    for (let n = 0; n < events; n++) {
      const r = await stream.next();
      expect(r.errors).toBeUndefined();
      live.sse.push(r.data!.channelMessage);
    }
    for (const [path, got] of Object.entries(live)) {
      const edited = new Map<string, unknown>();
      for (const [n, m] of got.entries()) {
        if (n < sent.length) expect(m.content, `${path}: message ${n}`).toEqual(sent[n]);
        else edited.set(m.id, m.content);
      }
      for (const [id, content] of edited) expect(content, `${path}: edit of ${id}`).toEqual(history.get(id));
    }

    // Resumed after the first message: the replay of the rest is history's content.
    const resumed = subscribe(server.ws(bob), Q.onMessage, { c: room, after: live.ws[0].cursor });
    for (const id of ids.slice(1)) {
      const m = await resumed.next();
      expect(m.id).toBe(id);
      expect(m.content, `resumed ${id}`).toEqual(history.get(id));
    }
    stream.abort();
  }, 60_000);
});
