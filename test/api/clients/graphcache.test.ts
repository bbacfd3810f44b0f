import { cacheExchange } from '@urql/exchange-graphcache';
import { createClient as createUrql, fetchExchange, gql, subscriptionExchange } from '@urql/core';
import { createClient as createWsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { backends } from '../../helpers/backends.js';
import { feedsLive, startServer, uniqueName, until, type Session, type TestServer } from '../../helpers/server.js';

// The README's advice for graphcache: entities are keyed by id; events and pages are embedded.
const embedded = () => null;
const keys = {
  ChannelPresenceEvent: embedded,
  PageInfo: embedded,
  ChannelMessageConnection: embedded,
  ChannelMessageEdge: embedded,
  GroupMemberConnection: embedded,
  GroupMemberEdge: embedded,
  NotificationConnection: embedded,
  NotificationEdge: embedded,
};

const SIGN_IN = gql`
  mutation ($d: String!) {
    authenticateDevice(deviceId: $d) {
      id
      token
      sessionId
      user {
        id
        username
      }
    }
  }
`;
const JOIN = gql`
  mutation ($t: String!) {
    joinChat(target: $t, type: ROOM) {
      id
      type
      roomName
      presences {
        id
        userId
        username
      }
      self {
        id
        sessionId
      }
    }
  }
`;
const SEND = gql`
  mutation ($c: ID!, $text: String!) {
    sendMessage(channelId: $c, content: { text: $text }, clientMessageId: $text) {
      id
      messageId
      kind
      clientMessageId
    }
  }
`;
const LIVE = gql`
  subscription ($c: ID) {
    channelMessage(channelId: $c) {
      id
      kind
      content
      cursor
      clientMessageId
    }
  }
`;
const PRESENCE = gql`
  subscription ($c: ID) {
    channelPresence(channelId: $c) {
      channelId
      joins {
        id
        username
      }
      leaves {
        id
        username
      }
    }
  }
`;
const READS = gql`
  query ($c: ID!, $g: ID!, $name: String!) {
    me {
      id
      username
    }
    users(usernames: [$name]) {
      id
      username
    }
    myChannels {
      id
      type
      presences {
        id
        username
      }
      self {
        id
      }
    }
    channelPresences(channelId: $c) {
      id
      username
    }
    channelMessages(channelId: $c, first: 10) {
      edges {
        cursor
        node {
          id
          kind
          content
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
      cacheableCursor
    }
    groupMembers(groupId: $g) {
      edges {
        node {
          id
          role
          user {
            id
            username
          }
        }
      }
      pageInfo {
        hasNextPage
      }
    }
    notifications {
      edges {
        node {
          id
          kind
          code
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`;
const GROUP = gql`
  mutation ($n: String!) {
    createGroup(name: $n) {
      id
      name
      memberCount
    }
  }
`;

describe.each(backends().slice(0, 1))('urql with graphcache ($name)', (backend) => {
  let server: TestServer;
  const warnings: string[] = [];
  beforeAll(async () => {
    server = await startServer(backend);
  });
  afterAll(() => server?.stop());
  afterEach(() => vi.restoreAllMocks());

  it('normalizes every entity the chat operations return, with no missing-key warnings', async () => {
    vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void warnings.push(args.map(String).join(' ')));
    const anon = createUrql({ url: server.url, exchanges: [cacheExchange({ keys }), fetchExchange] });
    const signed = (await anon.mutation(SIGN_IN, { d: uniqueName('device') }).toPromise()).data.authenticateDevice;
    const ws = createWsClient({
      url: server.wsUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${signed.token}` },
    });
    const client = createUrql({
      url: server.url,
      fetchOptions: { headers: { authorization: `Bearer ${signed.token}` } },
      exchanges: [
        cacheExchange({ keys }),
        fetchExchange,
        subscriptionExchange({
          forwardSubscription: (request) => ({
            subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
          }),
        }),
      ],
    });
    const room = uniqueName('room');
    const joined = (await client.mutation(JOIN, { t: room }).toPromise()).data.joinChat;
    const live: string[] = [];
    const presence: unknown[] = [];
    const subs = [
      client.subscription(LIVE, { c: joined.id }).subscribe((r) => r.data && live.push(r.data.channelMessage.clientMessageId)),
      client.subscription(PRESENCE, { c: joined.id }).subscribe((r) => r.data && presence.push(r.data.channelPresence)),
    ];
    await feedsLive(server, { sessionId: signed.sessionId } as Session, 2);
    const other = await server.signIn();
    await server.gql(`mutation($t: String!) { joinChat(target: $t, type: ROOM) { id } }`, { t: room }, other.token);
    for (const text of ['a', 'b']) expect((await client.mutation(SEND, { c: joined.id, text }).toPromise()).error).toBeUndefined();
    await until(() => live.length === 2 && presence.length === 1, 5000, 'live events through urql');
    const group = (await client.mutation(GROUP, { n: uniqueName('group') }).toPromise()).data.createGroup;
    const reads = await client.query(READS, { c: joined.id, g: group.id, name: other.username }).toPromise();
    expect(reads.error).toBeUndefined();
    expect(reads.data.myChannels.map((c: any) => c.id)).toEqual([joined.id]);
    expect(reads.data.channelMessages.edges.map((e: any) => e.node.content.text)).toEqual(['b', 'a']);
    for (const s of subs) s.unsubscribe();
    await ws.dispose();
    expect(warnings).toEqual([]);
  });
});
