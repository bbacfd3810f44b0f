import { channelFromId } from '../../domain/channel-ref.js';
import type { ReadChange, ThreadChange, TypingChange } from '../../domain/types.js';
import { builder } from '../../schema/builder.js';
import { viewerOf } from '../../schema/context.js';
import { activityFeed, sendTyping } from './activity.service.js';

// The same for every subscriber of the channel: shared.
const TypingEventRef = builder.objectRef<TypingChange>('TypingEvent').implement({
  description: 'A session started or stopped typing in a channel.',
  fields: (t) => ({
    channelId: t.exposeID('channelId', { shared: true, description: 'The channel.' }),
    userId: t.exposeID('userId', { shared: true, description: 'Who is typing.' }),
    username: t.exposeString('username', { shared: true, description: 'Their username.' }),
    sessionId: t.exposeID('sessionId', { shared: true, description: 'Which of their sessions.' }),
    typing: t.exposeBoolean('typing', {
      shared: true,
      description: 'true: started; false: stopped (said so, 6 s without a renewal, or left the channel).',
    }),
  }),
});

const ReadEventRef = builder.objectRef<ReadChange>('ReadEvent').implement({
  description:
    "A member's read mark moved (direct chats and groups of at most 100 members): at most one per user and channel per second, carrying the last mark of that second.",
  fields: (t) => ({
    channelId: t.exposeID('channelId', { shared: true, description: 'The channel.' }),
    userId: t.exposeID('userId', { shared: true, description: 'Whose mark.' }),
    username: t.exposeString('username', { shared: true, description: 'Their username.' }),
    lastReadMessageId: t.exposeID('lastReadMessageId', { shared: true, description: 'The message the mark is at.' }),
    readTime: t.expose('readTime', { shared: true, type: 'DateTime', description: 'When it moved there.' }),
  }),
});

const ThreadEventRef = builder.objectRef<ThreadChange>('ThreadEvent').implement({
  description: "A message's replyCount changed: a reply to it was sent or removed.",
  fields: (t) => ({
    channelId: t.exposeID('channelId', { shared: true, description: 'The channel.' }),
    messageId: t.exposeID('messageId', { shared: true, description: 'The message replied to.' }),
    replyCount: t.exposeInt('replyCount', { shared: true, description: 'Its replies still present.' }),
  }),
});

const ChannelActivity = builder.unionType('ChannelActivity', {
  description: 'What happens in a channel besides its messages: typing, read receipts and reply counts.',
  types: [TypingEventRef, ReadEventRef, ThreadEventRef],
  resolveType: (a) => ('typing' in a ? TypingEventRef : 'replyCount' in a ? ThreadEventRef : ReadEventRef),
});

builder.mutationField('sendTyping', (t) =>
  t.boolean({
    description:
      "Shows the channel's other sessions that you are typing (typing: false: that you stopped). A typing state ends by itself 6 s after the last call; calls within 2 s of the last one shown are accepted and not shown again. A hidden session's typing is never shown.",
    args: {
      channelId: t.arg.id({ required: true, description: 'A channel this session has joined.' }),
      typing: t.arg.boolean({ defaultValue: true, description: 'false when you stopped (sent, or cleared the text).' }),
    },
    resolve: (_, a, ctx) => sendTyping(ctx.deps, viewerOf(ctx), channelFromId(a.channelId), a.typing ?? true),
  }),
);

builder.subscriptionField('channelActivity', (t) =>
  t.field({
    type: ChannelActivity,
    description:
      "Typing and read receipts in one joined channel, or (without channelId) in every channel this session joins. Your own session's typing and what users you block do are left out.",
    args: { channelId: t.arg.id({ description: 'One joined channel; omitted: every channel this session joins.' }) },
    shared: true,
    subscribe: (_, a, ctx) => activityFeed(ctx.deps, viewerOf(ctx), a.channelId == null ? null : channelFromId(a.channelId), ctx.outbox),
    resolve: (e) => e,
  }),
);
