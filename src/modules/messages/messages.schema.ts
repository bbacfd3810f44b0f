import { withHooks } from '../../hooks/run.js';
import { builder } from '../../schema/builder.js';
import { channelFields } from '../../schema/channel-fields.js';
import { viewerOf } from '../../schema/context.js';
import { MessageCode, type ChatMessage } from '../../realtime/types.js';
import { encodeCursor } from './cursor.js';
import { MAX_FIRST } from '../../lib/page.js';
import { channelMessages } from './history.service.js';
import { validateContent } from './content.js';
import type { MessageAck } from './message-shape.js';
import { sendMessage } from './messages.service.js';
import { messageFeed } from './subscriptions.service.js';

export const ChannelMessageRef = builder.objectRef<ChatMessage>('ChannelMessage').implement({
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The message id.' }),
    channelId: t.exposeID('channelId'),
    code: t.exposeInt('code', { description: '0 chat, 1 update, 2 remove, 3..9 group events.' }),
    senderId: t.exposeID('senderId'),
    username: t.exposeString('username'),
    content: t.expose('content', { type: 'JSONObject' }),
    createTime: t.expose('createTime', { type: 'DateTime' }),
    updateTime: t.expose('updateTime', { type: 'DateTime' }),
    persistent: t.exposeBoolean('persistent', { description: 'Whether the message is kept in history.' }),
    cursor: t.string({
      nullable: true,
      description:
        'This message\'s position in history, for new stored messages (null for updates, removes and messages never stored). Pass the last one received as `after` to resume with nothing lost.',
      resolve: (m) => (m.seq !== null && m.code !== MessageCode.UPDATE && m.code !== MessageCode.REMOVE ? encodeCursor(m.channelId, m.seq) : null),
    }),
    ...channelFields(t),
  }),
});

export const ChannelMessageAckRef = builder.objectRef<MessageAck>('ChannelMessageAck').implement({
  fields: (t) => ({
    channelId: t.exposeID('channelId'),
    messageId: t.exposeID('messageId'),
    code: t.exposeInt('code'),
    username: t.exposeString('username'),
    createTime: t.expose('createTime', { type: 'DateTime' }),
    updateTime: t.expose('updateTime', { type: 'DateTime' }),
    persistent: t.exposeBoolean('persistent'),
    ...channelFields(t),
  }),
});

const ChannelMessageConnection = builder.connectionObject(
  { type: ChannelMessageRef, name: 'ChannelMessageConnection' },
  {},
);

// Declared with its own arguments (not t.connection) so the field has exactly the contract's arguments.
builder.objectField(ChannelMessageConnection, 'cacheableCursor', (t) =>
  t.string({
    nullable: true,
    description: 'The newest position this response covered; pass it as `after` with `forward: true` to get only newer messages.',
    resolve: (c) => (c as unknown as { cacheableCursor: string | null }).cacheableCursor,
  }),
);

builder.queryField('channelMessages', (t) =>
  t.field({
    type: ChannelMessageConnection,
    description: 'Stored messages of a channel; newest first unless forward is true. Works without joining (a peek).',
    args: {
      channelId: t.arg.id({ required: true }),
      first: t.arg.int({ defaultValue: 20, description: `1..${MAX_FIRST}` }),
      after: t.arg.string({ description: 'An edge cursor, pageInfo.endCursor or cacheableCursor.' }),
      forward: t.arg.boolean({ defaultValue: false, description: 'true: oldest to newest.' }),
    },
    resolve: (_, a, ctx) => {
      const viewer = viewerOf(ctx);
      const input = { channelId: a.channelId, first: a.first ?? 20, after: a.after ?? null, forward: a.forward ?? false };
      return withHooks(ctx.deps, 'channelMessages', { viewer, clientAddress: ctx.clientAddress }, input, (i) => channelMessages(ctx.deps, viewer, i));
    },
  }),
);

builder.mutationField('sendMessage', (t) =>
  t.field({
    type: ChannelMessageAckRef,
    args: { channelId: t.arg.id({ required: true }), content: t.arg({ type: 'JSONObject', required: true }) },
    resolve: async (_, a, ctx) => {
      const viewer = viewerOf(ctx);
      await ctx.deps.rateLimits.consume('send', viewer.userId);
      // Checked here so hooks only ever see valid content, and again in sendMessage so sanitized content fits too.
      const content = validateContent(a.content, ctx.deps.config.MAX_MESSAGE_BYTES);
      const caller = { viewer, clientAddress: ctx.clientAddress };
      return withHooks(ctx.deps, 'sendMessage', caller, { channelId: a.channelId, content }, (i) => sendMessage(ctx.deps, viewer, i));
    },
  }),
);

builder.subscriptionField('channelMessage', (t) =>
  t.field({
    type: ChannelMessageRef,
    description: 'Messages of one joined channel, or (without channelId) of every channel this session joins. With after: stored messages after that cursor first, then live.',
    args: { channelId: t.arg.id(), after: t.arg.string() },
    subscribe: (_, a, ctx) => messageFeed(ctx.deps, viewerOf(ctx), { channelId: a.channelId ?? null, after: a.after ?? null }, ctx.outbox),
    resolve: (m) => m,
  }),
);
