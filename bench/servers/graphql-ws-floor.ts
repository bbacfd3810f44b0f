// Reference server: the least a graphql-transport-ws chat server built on the
// stack the brief fixes can hold per subscriber. graphql-ws's `useServer` on
// `ws`, a schema of the three operations the bench's clients run (joinChat,
// sendMessage, channelMessage), no authentication, no limits, no storage:
// each subscription is graphql-js's own subscribe over one async generator,
// and sendMessage pushes the message into every generator of the room.
// FLOOR_YOGA=1 runs each operation through yoga's envelop (getEnveloped), as
// yoga's recipe for graphql-ws does and Parley does. Not a server to
// measure speed against (it executes the selection per subscriber); it is the
// memory floor that Parley's per-subscriber figure is read against.
// GET /health answers {"subscriptions": n}, like Parley's.
// Run by the bench runner: PORT=… node --import tsx bench/servers/graphql-ws-floor.ts
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { buildSchema, execute, parse, subscribe, validate, type ExecutionArgs } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';

const schema = buildSchema(`
  scalar JSONObject
  enum ChannelType { ROOM }
  type Channel { id: ID! }
  type Ack { messageId: ID! }
  type Message { id: ID! senderId: ID! username: String! content: JSONObject! createTime: String! }
  type Query { ok: Boolean }
  type Mutation {
    joinChat(target: String!, type: ChannelType!, persistence: Boolean): Channel!
    sendMessage(channelId: ID!, content: JSONObject!): Ack!
  }
  type Subscription { channelMessage(channelId: ID!): Message! }
`);

type Message = { id: string; senderId: string; username: string; content: unknown; createTime: string };
type Push = (m: Message) => void;
const rooms = new Map<string, Set<Push>>();
let live = 0;
const SENDER_ID = randomUUID();

/**
 * One subscriber's feed: a queue the room pushes into, read by graphql-js's
 * subscribe. An iterator object rather than an async generator, whose
 * return() would wait for the next message before it could end.
 */
function follow(channelId: string): AsyncIterableIterator<{ channelMessage: Message }> {
  type Result = IteratorResult<{ channelMessage: Message }>;
  const queue: Message[] = [];
  let waiting: ((r: Result) => void) | undefined;
  let set = rooms.get(channelId);
  if (!set) rooms.set(channelId, (set = new Set()));
  const room = set;
  const push: Push = (m) => {
    if (!waiting) return void queue.push(m);
    const resolve = waiting;
    waiting = undefined;
    resolve({ value: { channelMessage: m }, done: false });
  };
  room.add(push);
  live++;
  const end = (): Promise<Result> => {
    if (room.delete(push)) live--;
    waiting?.({ value: undefined, done: true });
    return Promise.resolve({ value: undefined, done: true });
  };
  return {
    next: () =>
      queue.length
        ? Promise.resolve({ value: { channelMessage: queue.shift()! }, done: false })
        : room.has(push)
          ? new Promise<Result>((resolve) => (waiting = resolve))
          : Promise.resolve({ value: undefined, done: true }),
    return: end,
    throw: end,
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

const root = {
  joinChat: ({ target }: { target: string }) => ({ id: `room:${target}` }),
  sendMessage: ({ channelId, content }: { channelId: string; content: unknown }) => {
    const message = { id: randomUUID(), senderId: SENDER_ID, username: 'bench-sender', content, createTime: new Date().toISOString() };
    for (const push of rooms.get(channelId) ?? []) push(message);
    return { messageId: message.id };
  },
  channelMessage: ({ channelId }: { channelId: string }) => follow(channelId),
};

const server = createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(req.url === '/health' ? JSON.stringify({ subscriptions: live }) : '{}');
});
const wss = new WebSocketServer({ server, path: '/graphql', perMessageDeflate: false });

/** yoga's recipe: the enveloped execute and subscribe travel in rootValue, beside the root resolvers. */
type Enveloped = { execute: typeof execute; subscribe: typeof subscribe };

if (process.env.FLOOR_YOGA === '1') {
  const yoga = createYoga({ schema, graphiql: false, logging: false });
  useServer(
    {
      execute: (args: ExecutionArgs) => (args.rootValue as Enveloped).execute(args),
      subscribe: (args: ExecutionArgs) => (args.rootValue as Enveloped).subscribe(args),
      onSubscribe: async (ctx, _id, params) => {
        const {
          schema: s,
          execute: ex,
          subscribe: sub,
          contextFactory,
          parse: p,
          validate: v,
        } = yoga.getEnveloped({ ...ctx, req: ctx.extra.request, socket: ctx.extra.socket, params });
        const document = p(params.query);
        const errors = v(s, document);
        if (errors.length) return errors;
        return {
          schema: s,
          operationName: params.operationName,
          document,
          variableValues: params.variables,
          contextValue: await contextFactory(),
          rootValue: { ...root, execute: ex, subscribe: sub },
        };
      },
    },
    wss,
  );
} else {
  useServer({ schema, roots: { mutation: root, subscription: root }, parse, validate, execute, subscribe }, wss);
}

server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('ready'));
process.on('SIGTERM', () => process.exit(0));
