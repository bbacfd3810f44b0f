import { ApolloClient, HttpLink, InMemoryCache, gql as apolloGql, split } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { cacheExchange, createClient as createUrql, fetchExchange, subscriptionExchange } from '@urql/core';
import { createClient as createWsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { backends } from '../../helpers/backends.js';
import {
  HistoryDocument,
  JoinRoomDocument,
  LiveDocument,
  SendDocument,
  SignInDocument,
  type LiveSubscription,
} from '../../generated/operations.js';
import { feedsLive, joinRoom, send, uniqueName, until, type Session, suiteServer } from '../../helpers/server.js';

// Frontends run these libraries; the server must behave as they expect.
describe.each(backends())('real client libraries ($name)', (backend) => {
  const server = suiteServer(backend);

  it('urql with graphql-ws and codegen’d typed documents: sign in, join, subscribe, send and page history', async () => {
    const anon = createUrql({ url: server.url, exchanges: [fetchExchange] });
    const auth = await anon.mutation(SignInDocument, { deviceId: uniqueName('device') }).toPromise();
    const { token, sessionId } = auth.data!.authenticateDevice;
    const ws = createWsClient({
      url: server.wsUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${token}` },
    });
    const client = createUrql({
      url: server.url,
      fetchOptions: { headers: { authorization: `Bearer ${token}` } },
      exchanges: [
        cacheExchange,
        fetchExchange,
        subscriptionExchange({
          forwardSubscription: (request) => ({
            subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
          }),
        }),
      ],
    });
    const joined = await client.mutation(JoinRoomDocument, { name: uniqueName('room') }).toPromise();
    const channelId = joined.data!.joinChat.id;
    const received: LiveSubscription['channelMessage'][] = [];
    const { unsubscribe } = client
      .subscription(LiveDocument, { channelId })
      .subscribe((r) => r.data && received.push(r.data.channelMessage));
    await feedsLive(server, { sessionId } as Session, 1);
    for (const text of ['one', 'two', 'three']) {
      const r = await client.mutation(SendDocument, { channelId, content: { text } }).toPromise();
      expect(r.error).toBeUndefined();
    }
    await until(() => received.length === 3, 5000, 'three messages through urql');
    expect(received.map((m) => m.content.text)).toEqual(['one', 'two', 'three']);
    const p1 = (await client.query(HistoryDocument, { channelId, first: 2 }, { requestPolicy: 'network-only' }).toPromise()).data!
      .channelMessages;
    expect(p1.edges.map((e) => e.node.content.text)).toEqual(['three', 'two']);
    const p2 = (await client.query(HistoryDocument, { channelId, first: 2, after: p1.pageInfo.endCursor }).toPromise()).data!
      .channelMessages;
    expect(p2.edges.map((e) => e.node.content.text)).toEqual(['one']);
    expect(p2.pageInfo.hasNextPage).toBe(false);
    const bad = await client.query(HistoryDocument, { channelId, first: 101 }).toPromise();
    expect(bad.error?.graphQLErrors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    unsubscribe();
    await ws.dispose();
  });

  it('Apollo Client with GraphQLWsLink: subscribe and read history through the cache', async () => {
    const ada = await server.signIn();
    const ws = createWsClient({
      url: server.wsUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${ada.token}` },
    });
    const link = split(
      ({ query }) => {
        const def = getMainDefinition(query);
        return def.kind === 'OperationDefinition' && def.operation === 'subscription';
      },
      new GraphQLWsLink(ws),
      new HttpLink({ uri: server.url, headers: { authorization: `Bearer ${ada.token}` } }),
    );
    const client = new ApolloClient({ link, cache: new InMemoryCache() });
    const room = await joinRoom(server, ada, uniqueName('room'));
    const received: any[] = [];
    const sub = client
      .subscribe({
        query: apolloGql`subscription Live($c: ID) { channelMessage(channelId: $c) { id channelId content createTime } }`,
        variables: { c: room },
      })
      .subscribe({ next: (r: any) => r.data && received.push(r.data.channelMessage) });
    await feedsLive(server, ada, 1);
    const ack = await send(server, ada, room, { text: 'hi apollo' });
    await until(() => received.length === 1, 5000, 'a message through Apollo');
    expect(received[0]).toMatchObject({ id: ack.messageId, content: { text: 'hi apollo' } });
    const { data } = await client.query<any>({
      query: apolloGql`query H($c: ID!) { channelMessages(channelId: $c) { edges { cursor node { id content } } pageInfo { hasNextPage endCursor } cacheableCursor } }`,
      variables: { c: room },
      fetchPolicy: 'network-only',
    });
    expect(data.channelMessages.edges.map((e: any) => e.node.id)).toEqual([ack.messageId]);
    expect(data.channelMessages.cacheableCursor).toBe(data.channelMessages.edges[0].cursor);
    sub.unsubscribe();
    client.stop();
    await ws.dispose();
  });

  it('serves subscriptions over Server-Sent Events on the same path', async () => {
    const [ada, bob] = [await server.signIn(), await server.signIn()];
    const name = uniqueName('room');
    const room = await joinRoom(server, ada, name);
    await joinRoom(server, bob, name);
    const controller = new AbortController();
    const res = await fetch(server.url, {
      method: 'POST',
      signal: controller.signal,
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${bob.token}` },
      body: JSON.stringify({ query: `subscription($c: ID) { channelMessage(channelId: $c) { id content } }`, variables: { c: room } }),
    });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    await feedsLive(server, bob, 1);
    const ack = await send(server, ada, room, { text: 'over sse' });
    const reader = res.body!.getReader();
    let text = '';
    const deadline = Date.now() + 5000;
    while (!text.includes('over sse')) {
      if (Date.now() > deadline) throw new Error(`no SSE event within 5 s; got ${text}`);
      const { value, done } = await reader.read();
      if (done) throw new Error(`stream ended: ${text}`);
      text += new TextDecoder().decode(value);
    }
    const data = text.split('\n').find((l) => l.startsWith('data:') && l.includes('over sse'))!;
    expect(JSON.parse(data.slice(5))).toEqual({ data: { channelMessage: { id: ack.messageId, content: { text: 'over sse' } } } });
    controller.abort();
    await until(() => server.app.deps.feeds.count(bob.sessionId) === 0, 5000, 'the SSE feed to close');
  });
});
