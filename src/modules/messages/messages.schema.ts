import { builder } from '../../schema/builder.js';
import { exposeChannelFields } from '../../schema/channel-fields.js';
import { channelFromId } from '../../domain/channel-ref.js';
import { viewerOf, type Context } from '../../schema/context.js';
import { resolveHooked } from '../../schema/hooked.js';
import { isNewStored, type ChatMessage } from '../../domain/types.js';
import { decodeCursor, encodeCursor, resumePoint } from './cursor.js';
import { MAX_FIRST } from '../../lib/page.js';
import { channelMessages, messageReplies } from './history.service.js';
import { validateContent } from './content.js';
import type { MessageAck } from './message-shape.js';
import { MAX_MENTIONS, sendMessage } from './messages.service.js';
import { MAX_QUERY, searchMessages } from './search.service.js';
import { messageFeed } from './subscriptions.service.js';
import { MessageKind, messageKind } from '../../schema/kinds.js';

export const ChannelMessageRef = builder.objectRef<ChatMessage>('ChannelMessage').implement({
  description: 'A message in a channel: a chat message, an edit or removal of one, or a group event the server wrote.',
  fields: (t) => ({
    id: t.exposeID('id', {
      shared: true,
      description: 'The message id; an edit (UPDATE) or removal (REMOVE) carries the id of the message it changes.',
    }),
    channelId: t.exposeID('channelId', { shared: true, description: 'The channel it was sent in.' }),
    kind: t.field({ shared: true, type: MessageKind, description: 'What the message is.', resolve: (m) => messageKind(m.code) }),
    code: t.exposeInt('code', {
      shared: true,
      description: 'The kind as a number, as Nakama clients expect: 0 chat, 1 update, 2 remove, 3..9 group events.',
    }),
    senderId: t.exposeID('senderId', { shared: true, description: 'Who sent it; for group events, the user who acted.' }),
    username: t.exposeString('username', { shared: true, description: "The sender's username when it was sent." }),
    content: t.expose('content', {
      shared: true,
      type: 'JSONObject',
      description: 'The JSON object the sender sent; for group events, `userId` and `actorId`.',
    }),
    createTime: t.expose('createTime', { shared: true, type: 'DateTime', description: 'When it was first sent.' }),
    updateTime: t.expose('updateTime', { shared: true, type: 'DateTime', description: 'When it was last edited (createTime if never).' }),
    persistent: t.exposeBoolean('persistent', { shared: true, description: 'Whether the message is kept in history.' }),
    clientMessageId: t.exposeString('clientMessageId', {
      shared: true,
      nullable: true,
      description: "The sender's own id for the message, as given to sendMessage: an optimistic UI matches its pending message with it.",
    }),
    mentions: t.exposeIDList('mentions', {
      shared: true,
      description: 'The users this chat message mentions: of those named to sendMessage, the ones who had the channel in their inbox.',
    }),
    replyTo: t.exposeID('replyTo', {
      shared: true,
      nullable: true,
      description: 'The message of the same channel this one replies to (messageReplies lists a thread).',
    }),
    replyCount: t.exposeInt('replyCount', {
      shared: true,
      description:
        'Replies to this message still present: as of the read in history, 0 on a new message; changes arrive as ThreadEvents in channelActivity.',
    }),
    cursor: t.string({
      shared: true,
      nullable: true,
      description:
        "This message's position in history, for new stored messages (null for updates, removes and messages never stored). Pass the last one received as `after` to resume with nothing lost.",
      resolve: (m) => (isNewStored(m) ? encodeCursor(m.channelId, m.seq) : null),
    }),
    ...exposeChannelFields(t),
  }),
});

export const ChannelMessageAckRef = builder.objectRef<MessageAck>('ChannelMessageAck').implement({
  description: 'What the sender gets back when a message was accepted: its id and times, not its content.',
  fields: (t) => ({
    channelId: t.exposeID('channelId', { description: 'The channel it was sent in.' }),
    id: t.exposeID('messageId', { description: 'The message id (as messageId), so a normalized cache can key the acknowledgement.' }),
    messageId: t.exposeID('messageId', { description: 'The id of the message; the same id arrives on the live ChannelMessage.' }),
    kind: t.field({ type: MessageKind, description: 'What the message is.', resolve: (m) => messageKind(m.code) }),
    code: t.exposeInt('code', { description: 'The kind as a number (see ChannelMessage.code).' }),
    username: t.exposeString('username', { description: "The sender's username." }),
    createTime: t.expose('createTime', { type: 'DateTime', description: 'When it was first sent.' }),
    updateTime: t.expose('updateTime', { type: 'DateTime', description: 'When it was last edited.' }),
    persistent: t.exposeBoolean('persistent', { description: 'Whether the message is kept in history.' }),
    clientMessageId: t.exposeString('clientMessageId', {
      nullable: true,
      description: 'The client message id given to sendMessage, if any.',
    }),
    replyTo: t.exposeID('replyTo', { nullable: true, description: 'The message it replies to, as given to sendMessage.' }),
    ...exposeChannelFields(t),
  }),
});

/** A message's channel and content as sendMessage and updateMessage take them: content within MAX_MESSAGE_BYTES. */
export function messageInput(ctx: Context, input: { channelId: string; content: unknown }) {
  const content = validateContent(input.content, ctx.deps.config.MAX_MESSAGE_BYTES);
  return { ref: channelFromId(input.channelId), content };
}

const ChannelMessageConnection = builder.connectionObject({ type: ChannelMessageRef, name: 'ChannelMessageConnection' }, {});

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
      channelId: t.arg.id({
        required: true,
        description: 'The channel; joining is not needed, access is (rooms: anyone; groups: members; direct chats: the two users).',
      }),
      first: t.arg.int({ defaultValue: 20, description: `1..${MAX_FIRST}` }),
      after: t.arg.string({ description: 'An edge cursor, pageInfo.endCursor or cacheableCursor.' }),
      forward: t.arg.boolean({ defaultValue: false, description: 'true: oldest to newest.' }),
    },
    resolve: (_, a, ctx) =>
      resolveHooked(
        ctx,
        'channelMessages',
        {
          parse: (i) => {
            const ref = channelFromId(i.channelId);
            return { ...i, ref, after: i.after == null ? null : decodeCursor(i.after, ref.id), cursor: i.after };
          },
          show: (p) => ({ channelId: p.ref.id, first: p.first, after: p.cursor, forward: p.forward }),
        },
        { channelId: a.channelId, first: a.first ?? 20, after: a.after ?? null, forward: a.forward ?? false },
        (viewer, p) => channelMessages(ctx.deps, viewer, p),
      ),
  }),
);

builder.queryField('messageReplies', (t) =>
  t.field({
    type: ChannelMessageConnection,
    description: 'The replies to one message, oldest first. Access as channelMessages (joining is not needed).',
    args: {
      channelId: t.arg.id({ required: true, description: 'The channel of the message.' }),
      messageId: t.arg.id({ required: true, description: 'The message whose replies to list.' }),
      first: t.arg.int({ defaultValue: 20, description: `1..${MAX_FIRST}` }),
      after: t.arg.string({ description: 'pageInfo.endCursor of the previous page.' }),
    },
    resolve: (_, a, ctx) => {
      const ref = channelFromId(a.channelId);
      const after = a.after == null ? null : decodeCursor(a.after, ref.id);
      return messageReplies(ctx.deps, viewerOf(ctx), { ref, messageId: a.messageId, first: a.first ?? 20, after });
    },
  }),
);

builder.queryField('searchMessages', (t) =>
  t.field({
    type: ChannelMessageConnection,
    description:
      "Chat messages whose text matches, newest first: in your inbox's channels, or in the one channel channelId names (access as channelMessages). Words are matched by PostgreSQL's full-text search (SEARCH_LANGUAGE); quotes and operators are read as web search syntax, never as an error.",
    args: {
      query: t.arg.string({ required: true, description: `1..${MAX_QUERY} characters.` }),
      channelId: t.arg.id({ description: 'One channel you may read; omitted: every channel of your inbox.' }),
      first: t.arg.int({ defaultValue: 20, description: `1..${MAX_FIRST}` }),
      after: t.arg.string({ description: 'pageInfo.endCursor of the previous page.' }),
    },
    resolve: (_, a, ctx) =>
      searchMessages(ctx.deps, viewerOf(ctx), {
        query: a.query,
        ref: a.channelId == null ? null : channelFromId(a.channelId),
        first: a.first ?? 20,
        after: a.after ?? null,
      }),
  }),
);

builder.mutationField('sendMessage', (t) =>
  t.field({
    type: ChannelMessageAckRef,
    description:
      'Sends a message to a channel this session has joined: stored (unless the session joined with persistence: false) and delivered to every joined session in order.',
    args: {
      channelId: t.arg.id({ required: true, description: 'A channel this session has joined.' }),
      content: t.arg({ type: 'JSONObject', required: true, description: 'Any JSON object up to MAX_MESSAGE_BYTES (4 KiB by default).' }),
      clientMessageId: t.arg.string({
        description:
          'Your own id for the message, 1..128 characters: a retry with the same id in the same channel is acknowledged with the first message, stored and delivered once.',
      }),
      replyTo: t.arg.id({
        description:
          "A chat message of the same channel to reply to: the reply is an ordinary message of the channel, and the parent's replyCount counts it. Needs a stored message.",
      }),
      mentions: t.arg.idList({
        description: `Users to mention, at most ${MAX_MENTIONS}: those with the channel in their inbox are listed on the message and, unless they block you, get a MENTION notification and count it in mentionCount; others are dropped. Needs a stored message.`,
      }),
    },
    resolve: (_, a, ctx) =>
      resolveHooked(
        ctx,
        'sendMessage',
        { limit: 'send', parse: (i) => messageInput(ctx, i), show: (p) => ({ channelId: p.ref.id, content: p.content }) },
        { channelId: a.channelId, content: a.content },
        (viewer, p) =>
          sendMessage(ctx.deps, viewer, {
            ...p,
            clientMessageId: a.clientMessageId ?? null,
            mentions: a.mentions ?? null,
            replyTo: a.replyTo ?? null,
          }),
      ),
  }),
);

builder.subscriptionField('channelMessage', (t) =>
  t.field({
    type: ChannelMessageRef,
    description:
      'Messages of one joined channel, or (without channelId) of every channel this session joins. With after: stored messages after that cursor first, then live.',
    args: {
      channelId: t.arg.id({ description: 'One joined channel; omitted: every channel this session joins, including later ones.' }),
      after: t.arg.string({
        description: 'A cursor: first replay the stored messages after it, then go on live with no gap and no duplicate.',
      }),
    },
    subscribe: (_, a, ctx) => messageFeed(ctx.deps, viewerOf(ctx), resumePoint(a.channelId ?? null, a.after ?? null), ctx.outbox),
    shared: true,
    resolve: (m) => m,
  }),
);
