import { builder } from '../../schema/builder.js';
import { viewerOf } from '../../schema/context.js';
import { resolveHooked } from '../../schema/hooked.js';
import type { Presence, PresenceChange } from '../../domain/types.js';
import { presenceFeed } from '../messages/subscriptions.service.js';
import type { ChannelFields as ChannelFieldsShape } from '../../domain/types.js';
import { channelFields, channelFromId } from '../../domain/channel-ref.js';
import { exposeChannelFields } from '../../schema/channel-fields.js';
import { channelPresences, joinChat, leaveChat, myChannels, type JoinedChannel } from './channels.service.js';

export const ChannelTypeEnum = builder.enumType('ChannelType', {
  description: 'The three kinds of channel.',
  values: {
    ROOM: { description: 'A public room, named by its name: anyone may join.' },
    DIRECT: { description: 'A direct chat between two users.' },
    GROUP: { description: "A group's private channel, for its members." },
  },
});

/** A presence as the API shows it: in one channel. */
type ShownPresence = Presence & { channelId: string };
const inChannel = (channelId: string, ps: Presence[]): ShownPresence[] => ps.map((p) => ({ ...p, channelId }));

export const UserPresenceRef = builder.objectRef<ShownPresence>('UserPresence').implement({
  description: "One session's presence in one channel. A user online from several sessions has several.",
  fields: (t) => ({
    id: t.id({
      shared: true,
      description: 'Stable for this session in this channel, so a normalized cache (graphcache, Apollo) can key presences.',
      resolve: (p) => `${p.channelId}/${p.sessionId}`,
    }),
    userId: t.exposeID('userId', { shared: true, description: 'The user.' }),
    sessionId: t.exposeID('sessionId', { shared: true, description: 'The session (one login on one device).' }),
    username: t.exposeString('username', { shared: true, description: "The user's username." }),
    persistence: t.exposeBoolean('persistence', { shared: true, description: 'false: messages this session sends are not stored.' }),
  }),
});

const ChannelObject = builder.objectRef<JoinedChannel>('Channel').implement({
  description: 'A channel this session has joined, with who was there when it joined.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'room:<name>, group:<group id> or direct:<user id>:<user id>; the same whoever joins.' }),
    type: t.field({ type: ChannelTypeEnum, description: 'Room, direct chat or group.', resolve: (c) => c.type }),
    ...exposeChannelFields(t),
    presences: t.field({
      type: [UserPresenceRef],
      description: 'Other visible presences at join time; follow changes with channelPresence.',
      resolve: (c) => inChannel(c.id, c.presences),
    }),
    self: t.field({ type: UserPresenceRef, description: "This session's own presence.", resolve: (c) => ({ ...c.self, channelId: c.id }) }),
  }),
});

const ChannelPresenceEvent = builder.objectRef<PresenceChange & ChannelFieldsShape>('ChannelPresenceEvent').implement({
  description:
    'Sessions that joined and left one channel. A leave naming your own sessionId means your presence ended (left, kicked, banned, blocked, expired, signed out): join again to go on.',
  fields: (t) => ({
    channelId: t.exposeID('channelId', { shared: true, description: 'The channel.' }),
    joins: t.field({
      shared: true,
      type: [UserPresenceRef],
      description: 'Presences that started (or changed options).',
      resolve: (e) => inChannel(e.channelId, e.joins),
    }),
    leaves: t.field({
      shared: true,
      type: [UserPresenceRef],
      description: 'Presences that ended (or were replaced by a join here).',
      resolve: (e) => inChannel(e.channelId, e.leaves),
    }),
    ...exposeChannelFields(t),
  }),
});

builder.mutationFields((t) => ({
  joinChat: t.field({
    type: ChannelObject,
    description:
      "Starts this session's presence in a channel (again with other options replaces it). Needed before sending to it or subscribing to it.",
    args: {
      target: t.arg.string({ required: true, description: 'ROOM: the room name; DIRECT: the other user id; GROUP: the group id.' }),
      type: t.arg({ type: ChannelTypeEnum, required: true, description: 'What target names.' }),
      persistence: t.arg.boolean({ defaultValue: true, description: 'false: messages this session sends are broadcast, never stored.' }),
      hidden: t.arg.boolean({ defaultValue: false, description: 'true: this session never shows in presence lists or events.' }),
    },
    resolve: (_, a, ctx) =>
      resolveHooked(
        ctx,
        'joinChat',
        // The service checks the target, with what it knows of the viewer's groups and blocks.
        { limit: 'join', parse: (i) => i, show: (i) => i },
        { target: a.target, type: a.type, persistence: a.persistence ?? true, hidden: a.hidden ?? false },
        (viewer, i) => joinChat(ctx.deps, viewer, i),
      ),
  }),
  leaveChat: t.boolean({
    description: "Ends this session's presence in the channel; true whether or not it was joined.",
    args: { channelId: t.arg.id({ required: true, description: 'The channel to leave.' }) },
    resolve: (_, a, ctx) =>
      resolveHooked(
        ctx,
        'leaveChat',
        { parse: (i) => channelFromId(i.channelId), show: (ref) => ({ channelId: ref.id }) },
        { channelId: a.channelId },
        (viewer, ref) => leaveChat(ctx.deps, viewer, ref),
      ),
  }),
}));

builder.queryField('channelPresences', (t) =>
  t.field({
    type: [UserPresenceRef],
    description: 'Who is in a channel now (hidden sessions left out); answered for sessions that may join it.',
    args: { channelId: t.arg.id({ required: true, description: 'The channel.' }) },
    resolve: async (_, a, ctx) => inChannel(a.channelId, await channelPresences(ctx.deps, viewerOf(ctx), channelFromId(a.channelId))),
  }),
);

builder.queryField('myChannels', (t) =>
  t.field({
    type: [ChannelObject],
    description: 'The channels this session has joined and not left, each with who is there now: what a client re-opens after a reload.',
    resolve: (_, __, ctx) => myChannels(ctx.deps, viewerOf(ctx)),
  }),
);

builder.subscriptionField('channelPresence', (t) =>
  t.field({
    type: ChannelPresenceEvent,
    description: 'Joins and leaves in one joined channel, or (without channelId) in every channel this session joins.',
    args: { channelId: t.arg.id({ description: 'One joined channel; omitted: every channel this session joins, including later ones.' }) },
    subscribe: (_, a, ctx) =>
      presenceFeed(ctx.deps, viewerOf(ctx), { ref: a.channelId == null ? null : channelFromId(a.channelId) }, ctx.outbox),
    // Reads the event alone: once per event and document (shared execution), not per subscriber.
    shared: true,
    resolve: (change) => ({ ...change, ...channelFields(channelFromId(change.channelId)) }),
  }),
);
