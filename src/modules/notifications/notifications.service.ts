import { uuidv7 } from 'uuidv7';
import type { Prisma } from '../../db/index.js';
import type { Deps } from '../../deps.js';
import type { Notification } from '../../generated/prisma/client.js';
import { badInput } from '../../lib/errors.js';
import { checkFirst, decodeKey, toPage, type Page } from '../../lib/page.js';
import type { BoundedQueue, SharedBudget } from '../../lib/queue.js';
import { feedQueue } from '../../realtime/feed.js';
import type { NotificationView } from '../../domain/types.js';
import type { Viewer } from '../../domain/viewer.js';

/** Notification codes, as Nakama numbers them. */
export const NotificationCode = {
  DIRECT_INVITE: -1,
  GROUP_ADD: -4,
  GROUP_JOIN_REQUEST: -5,
  MENTION: -6,
} as const;

export interface NewNotification {
  userId: string;
  code: number;
  subject: string;
  content: Record<string, unknown>;
  senderId: string | null;
}

function view(row: Notification): NotificationView {
  return { ...row, content: row.content as Record<string, unknown> };
}

/** Stores notifications inside the caller's transaction; publish them with `publishNotifications` after it commits. */
export async function createNotifications(tx: Prisma.TransactionClient, items: NewNotification[]): Promise<NotificationView[]> {
  const now = new Date();
  const rows = items.map((n) => ({ id: uuidv7(), createTime: now, read: false, ...n, content: n.content as object }));
  if (rows.length) await tx.notification.createMany({ data: rows });
  return rows.map((r) => view(r as unknown as Notification));
}

export async function publishNotifications(deps: Deps, list: NotificationView[]): Promise<void> {
  for (const n of list) await deps.pubsub.publish('user', n.userId, { type: 'notification', notification: n });
}

/** The viewer's notifications, newest first. */
export async function listNotifications(
  deps: Deps,
  viewer: Viewer,
  input: { first: number; after: string | null },
): Promise<Page<NotificationView>> {
  const first = checkFirst(input.first);
  const after = input.after === null ? null : decodeKey('notification', input.after);
  const rows = await deps.prisma.notification.findMany({
    where: { userId: viewer.userId, ...(after === null ? {} : { id: { lt: after } }) },
    orderBy: { id: 'desc' },
    take: first + 1,
  });
  return toPage('notification', rows, first, input.after, (r) => r.id, view);
}

function checkIds(ids: readonly string[]): string[] {
  if (ids.length > 100) throw badInput('ids may name at most 100 notifications.');
  return [...new Set(ids)];
}

/** Ids that are not the viewer's notifications are ignored, so nothing is revealed about other users'. */
export async function markNotificationsRead(deps: Deps, viewer: Viewer, ids: readonly string[]): Promise<boolean> {
  await deps.prisma.notification.updateMany({ where: { userId: viewer.userId, id: { in: checkIds(ids) } }, data: { read: true } });
  return true;
}

export async function deleteNotifications(deps: Deps, viewer: Viewer, ids: readonly string[]): Promise<boolean> {
  await deps.prisma.notification.deleteMany({ where: { userId: viewer.userId, id: { in: checkIds(ids) } } });
  return true;
}

/** Notifications for the viewer as they are stored, on every session of the user. */
export async function notificationFeed(
  deps: Deps,
  viewer: Viewer,
  /** The connection's outgoing budget (WebSocket): a client that stops reading is closed whichever feed floods it. */
  budget: SharedBudget | null = null,
): Promise<BoundedQueue<NotificationView>> {
  const queue = feedQueue<NotificationView>(deps, viewer, budget);
  const unsubscribe = await deps.pubsub
    .subscribe('user', viewer.userId, (e) => {
      if (e.type === 'notification') queue.push(e.notification);
    })
    .catch((e: unknown) => {
      queue.end();
      throw e;
    });
  queue.onEnd(() => void unsubscribe().catch(() => {}));
  // Registered once listening, as channel feeds are.
  deps.feeds.add(viewer.sessionId, queue);
  return queue;
}
