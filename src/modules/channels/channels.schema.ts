import { withHooks } from '../../hooks/run.js';
import { builder } from '../../schema/builder.js';
import { viewerOf } from '../../schema/context.js';
import type { Presence, PresenceChange } from '../../realtime/types.js';
import { presenceFeed } from '../messages/subscriptions.service.js';
import type { ChannelFields as ChannelFieldsShape } from '../../realtime/types.js';
import { channelFields as channelFieldsOf } from '../messages/message-shape.js';
import { channelFields } from '../../schema/channel-fields.js';
import { channelPresences, joinChat, leaveChat, type JoinedChannel } from './channels.service.js';

export const ChannelTypeEnum = builder.enumType('ChannelType', { values: ['ROOM', 'DIRECT', 'GROUP'] as const });

export const UserPresenceRef = builder.objectRef<Presence>('UserPresence').implement({
  fields: (t) => ({
    userId: t.exposeID('userId'),
    sessionId: t.exposeID('sessionId'),
    username: t.exposeString('username'),
    persistence: t.exposeBoolean('persistence'),
  }),
});

const ChannelObject = builder.objectRef<JoinedChannel>('Channel').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    type: t.field({ type: ChannelTypeEnum, resolve: (c) => c.type }),
    ...channelFields(t),
    presences: t.field({ type: [UserPresenceRef], description: 'Other visible presences at join time.', resolve: (c) => c.presences }),
    self: t.field({ type: UserPresenceRef, resolve: (c) => c.self }),
  }),
});

const ChannelPresenceEvent = builder.objectRef<PresenceChange & ChannelFieldsShape>('ChannelPresenceEvent').implement({
  fields: (t) => ({
    channelId: t.exposeID('channelId'),
    joins: t.field({ type: [UserPresenceRef], resolve: (e) => e.joins }),
    leaves: t.field({ type: [UserPresenceRef], resolve: (e) => e.leaves }),
    ...channelFields(t),
  }),
});

builder.mutationFields((t) => ({
  joinChat: t.field({
    type: ChannelObject,
    args: {
      target: t.arg.string({ required: true, description: 'ROOM: the room name; DIRECT: the other user id; GROUP: the group id.' }),
      type: t.arg({ type: ChannelTypeEnum, required: true }),
      persistence: t.arg.boolean({ defaultValue: true, description: 'false: messages this session sends are broadcast, never stored.' }),
      hidden: t.arg.boolean({ defaultValue: false, description: 'true: this session never shows in presence lists or events.' }),
    },
    resolve: async (_, a, ctx) => {
      const viewer = viewerOf(ctx);
      await ctx.deps.rateLimits.consume('join', viewer.userId);
      const input = { target: a.target, type: a.type, persistence: a.persistence ?? true, hidden: a.hidden ?? false };
      return withHooks(ctx.deps, 'joinChat', { viewer, clientAddress: ctx.clientAddress }, input, (i) => joinChat(ctx.deps, viewer, i));
    },
  }),
  leaveChat: t.boolean({
    args: { channelId: t.arg.id({ required: true }) },
    resolve: (_, a, ctx) => {
      const viewer = viewerOf(ctx);
      const caller = { viewer, clientAddress: ctx.clientAddress };
      return withHooks(ctx.deps, 'leaveChat', caller, { channelId: a.channelId }, (i) => leaveChat(ctx.deps, viewer, i.channelId));
    },
  }),
}));

builder.queryField('channelPresences', (t) =>
  t.field({
    type: [UserPresenceRef],
    args: { channelId: t.arg.id({ required: true }) },
    resolve: (_, a, ctx) => channelPresences(ctx.deps, viewerOf(ctx), a.channelId),
  }),
);

builder.subscriptionField('channelPresence', (t) =>
  t.field({
    type: ChannelPresenceEvent,
    description: 'Joins and leaves in one joined channel, or (without channelId) in every channel this session joins.',
    args: { channelId: t.arg.id() },
    subscribe: (_, a, ctx) => presenceFeed(ctx.deps, viewerOf(ctx), { channelId: a.channelId ?? null }, ctx.outbox),
    resolve: (change) => ({ ...change, ...channelFieldsOf(change.channelId) }),
  }),
);
