import { channelFromId } from '../../domain/channel-ref.js';
import { builder } from '../../schema/builder.js';
import { exposeChannelFields } from '../../schema/channel-fields.js';
import { viewerOf } from '../../schema/context.js';
import { ChannelTypeEnum } from '../channels/channels.schema.js';
import { ChannelMessageRef } from '../messages/messages.schema.js';
import { inboxFeed } from './inbox-feed.js';
import { channelReads, type ReadState } from './receipts.service.js';
import { hideChannel, inboxPage, markRead, unreadCounts, type InboxEntry, type UnreadCounts } from './inbox.service.js';

// Every field here is the viewing user's own (counts, mark, what their blocks hide): none is shared between subscribers.
const InboxEntryRef = builder.objectRef<InboxEntry>('InboxEntry').implement({
  description: "A conversation in the user's inbox: a group's channel, a direct chat, or a room joined with persistence on.",
  fields: (t) => ({
    id: t.exposeID('channelId', { description: 'The channel id.' }),
    channelId: t.exposeID('channelId', { description: 'The channel id.' }),
    type: t.field({ type: ChannelTypeEnum, description: 'Room, direct chat or group.', resolve: (e) => e.type }),
    title: t.exposeString('title', { description: "The room's name, the group's name, or the other user's username." }),
    lastMessage: t.field({
      type: ChannelMessageRef,
      nullable: true,
      description: 'The newest chat message still present (never one of a user you block).',
      resolve: (e) => e.lastMessage,
    }),
    lastActivityTime: t.expose('lastActivityTime', {
      type: 'DateTime',
      description: 'When the newest chat message arrived, or when the channel entered the inbox if that is later: the inbox order.',
    }),
    unreadCount: t.exposeInt('unreadCount', {
      description: 'Chat messages from other users newer than your read mark and still present (not of users you block).',
    }),
    mentionCount: t.exposeInt('mentionCount', { description: 'Of the unread messages, the ones that mention you.' }),
    lastReadMessageId: t.exposeID('lastReadMessageId', {
      nullable: true,
      description: 'Where your read mark is; null before the first mark.',
    }),
    hidden: t.exposeBoolean('hidden', { description: 'Hidden with hideChannel, and no new chat message since.' }),
    removed: t.exposeBoolean('removed', { description: 'In inboxUpdate: the entry left the inbox. Always false in queries.' }),
    ...exposeChannelFields(t),
  }),
});

const UnreadCountsRef = builder.objectRef<UnreadCounts>('UnreadCounts').implement({
  description: 'Totals over the entries of your inbox that show.',
  fields: (t) => ({
    unreadCount: t.exposeInt('unreadCount', { description: 'Unread chat messages over all of them.' }),
    mentionCount: t.exposeInt('mentionCount', { description: 'Unread messages that mention you, over all of them.' }),
    unreadChannels: t.exposeInt('unreadChannels', { description: 'How many have at least one unread message.' }),
  }),
});

const InboxConnection = builder.connectionObject({ type: InboxEntryRef, name: 'InboxConnection' }, {});

builder.queryFields((t) => ({
  inbox: t.field({
    type: InboxConnection,
    description:
      'Your conversations, most recent activity first: the channels of your groups, your direct chats (once either user joined), and the rooms you joined with persistence on. Hidden entries stay out until a new chat message arrives or you join again.',
    args: {
      first: t.arg.int({ defaultValue: 20, description: '1..100' }),
      after: t.arg.string({ description: 'pageInfo.endCursor of the previous page.' }),
    },
    resolve: (_, a, ctx) => inboxPage(ctx.deps, viewerOf(ctx), { first: a.first ?? 20, after: a.after ?? null }),
  }),
  unreadCounts: t.field({
    type: UnreadCountsRef,
    description: 'Unread totals over your whole inbox (counted without reading the messages).',
    resolve: (_, __, ctx) => unreadCounts(ctx.deps, viewerOf(ctx)),
  }),
}));

builder.mutationFields((t) => ({
  markRead: t.field({
    type: InboxEntryRef,
    description:
      'Moves your read mark (one per channel, shared by all your sessions) to messageId, or to the newest message when it is omitted. A mark never moves back. Sending a chat message moves your mark to it.',
    args: {
      channelId: t.arg.id({ required: true, description: 'A channel in your inbox.' }),
      messageId: t.arg.id({ description: 'A message of that channel; omitted: its newest message.' }),
    },
    resolve: (_, a, ctx) => markRead(ctx.deps, viewerOf(ctx), channelFromId(a.channelId), a.messageId ?? null),
  }),
  hideChannel: t.boolean({
    description: 'Takes a channel out of your inbox until a new chat message arrives in it or you join it again.',
    args: { channelId: t.arg.id({ required: true, description: 'A channel in your inbox.' }) },
    resolve: (_, a, ctx) => hideChannel(ctx.deps, viewerOf(ctx), channelFromId(a.channelId)),
  }),
}));

builder.subscriptionField('inboxUpdate', (t) =>
  t.field({
    type: InboxEntryRef,
    description:
      'Changes to your inbox, on every one of your sessions: a new last message, counts that changed, a read mark moved on another device, an entry hidden or added. An entry that left the inbox (you left the group, were kicked or banned) comes once with removed: true.',
    subscribe: (_, __, ctx) => inboxFeed(ctx.deps, viewerOf(ctx), ctx.outbox),
    resolve: (e) => e,
  }),
);

const ReadStateRef = builder.objectRef<ReadState>('ReadState').implement({
  description: "A member's read mark.",
  fields: (t) => ({
    userId: t.exposeID('userId', { description: 'The member.' }),
    username: t.exposeString('username', { description: 'Their username.' }),
    lastReadMessageId: t.exposeID('lastReadMessageId', { nullable: true, description: 'The message their mark is at.' }),
    readTime: t.expose('readTime', { type: 'DateTime', nullable: true, description: 'When it moved there.' }),
  }),
});

builder.queryField('channelReads', (t) =>
  t.field({
    type: [ReadStateRef],
    description:
      "Members' read marks (those who have one), most recent first: direct chats and groups (FORBIDDEN for rooms). In groups of more than 100 members, the 100 most recent marks.",
    args: { channelId: t.arg.id({ required: true, description: 'A direct chat or a group channel you may read.' }) },
    resolve: (_, a, ctx) => channelReads(ctx.deps, viewerOf(ctx), channelFromId(a.channelId)),
  }),
);
