import type { NotificationView } from '../../domain/types.js';
import { builder } from '../../schema/builder.js';
import { viewerOf } from '../../schema/context.js';
import { NotificationKind, notificationKind } from '../../schema/kinds.js';
import { deleteNotifications, listNotifications, markNotificationsRead, notificationFeed } from './notifications.service.js';

const NotificationRef = builder.objectRef<NotificationView>('Notification').implement({
  description: 'Something the server tells one user, kept until deleted: a direct chat invite, being added to a group, a join request.',
  fields: (t) => ({
    id: t.exposeID('id', { shared: true, description: 'The notification id.' }),
    kind: t.field({ shared: true, type: NotificationKind, description: 'What it is about.', resolve: (n) => notificationKind(n.code) }),
    code: t.exposeInt('code', {
      shared: true,
      description: 'The kind as a number, as Nakama: -1 direct chat invite, -4 added to a group, -5 join request (to the group’s admins).',
    }),
    subject: t.exposeString('subject', { shared: true, description: 'A line a person can read.' }),
    content: t.expose('content', { shared: true, type: 'JSONObject', description: 'The ids involved, e.g. channelId, groupId, userId.' }),
    senderId: t.exposeID('senderId', { shared: true, nullable: true, description: 'The user who caused it, if any.' }),
    createTime: t.expose('createTime', { shared: true, type: 'DateTime', description: 'When it was stored.' }),
    read: t.exposeBoolean('read', { shared: true, description: 'Whether markNotificationsRead was called for it.' }),
  }),
});

const NotificationConnection = builder.connectionObject({ type: NotificationRef, name: 'NotificationConnection' }, {});

builder.queryField('notifications', (t) =>
  t.field({
    type: NotificationConnection,
    description: 'Your notifications, newest first.',
    args: {
      first: t.arg.int({ defaultValue: 20, description: '1..100' }),
      after: t.arg.string({ description: 'pageInfo.endCursor of the previous page.' }),
    },
    resolve: (_, a, ctx) => listNotifications(ctx.deps, viewerOf(ctx), { first: a.first ?? 20, after: a.after ?? null }),
  }),
);

builder.mutationFields((t) => ({
  markNotificationsRead: t.boolean({
    description: 'Ids that are not your notifications are ignored.',
    args: { ids: t.arg.idList({ required: true, description: 'Notification ids.' }) },
    resolve: (_, a, ctx) => markNotificationsRead(ctx.deps, viewerOf(ctx), a.ids),
  }),
  deleteNotifications: t.boolean({
    description: 'Ids that are not your notifications are ignored.',
    args: { ids: t.arg.idList({ required: true, description: 'Notification ids.' }) },
    resolve: (_, a, ctx) => deleteNotifications(ctx.deps, viewerOf(ctx), a.ids),
  }),
}));

builder.subscriptionField('notification', (t) =>
  t.field({
    type: NotificationRef,
    description: 'Your notifications as they are stored, on every session.',
    subscribe: (_, __, ctx) => notificationFeed(ctx.deps, viewerOf(ctx), ctx.outbox),
    shared: true,
    resolve: (n) => n,
  }),
);
