import type { Prisma } from '../../db/index.js';
import type { Deps } from '../../deps.js';
import type { Group } from '../../generated/prisma/client.js';
import { AppError } from '../../lib/errors.js';
import type { ChatMessage, NotificationView } from '../../domain/types.js';
import { groupRef } from '../../domain/channel-ref.js';
import { inboxChanged } from '../inbox/inbox.service.js';
import { appendMessage } from '../messages/messages.service.js';
import { createNotifications, publishNotifications, type NewNotification } from '../notifications/notifications.service.js';
import type { Viewer } from '../../domain/viewer.js';
import { groupNotFound, MEMBER_ROLES } from './roles.js';

export { groupNotFound };

/** What a membership change did, for the steps after the commit. */
export interface Plan {
  /** Server event messages (codes 3..9) about one affected user each, in order. */
  events: { code: number; userId: string }[];
  notifications: NewNotification[];
  /** Users who lost membership: their live presences leave the channel. */
  removed: string[];
}

export const emptyPlan = (): Plan => ({ events: [], notifications: [], removed: [] });

/**
 * Runs one membership change of a group. In one transaction: lock the group
 * row (so concurrent changes of one group run one after another), apply the
 * change, check a superadmin remains, store its event messages. After the
 * commit, still under the channel's lock so no message slips in between:
 * publish the events, end the removed users' presences, then notify.
 */
export async function changeGroup(
  deps: Deps,
  viewer: Viewer,
  groupId: string,
  work: (tx: Prisma.TransactionClient, group: Group) => Promise<Plan>,
): Promise<void> {
  const ref = groupRef(groupId);
  const channelId = ref.id;
  await deps.channelLock.run(channelId, async () => {
    let messages: ChatMessage[] = [];
    let notes: NotificationView[] = [];
    let removed: string[] = [];
    await deps.prisma.$transaction(async (tx) => {
      const locked = await tx.group.updateMany({ where: { id: groupId }, data: { updateTime: new Date() } });
      if (locked.count === 0) throw groupNotFound(groupId);
      const group = await tx.group.findUniqueOrThrow({ where: { id: groupId } });
      const plan = await work(tx, group);
      if (plan.events.length || plan.removed.length) {
        const superadmins = await tx.groupMember.count({ where: { groupId, role: 'SUPERADMIN' } });
        if (superadmins === 0) {
          throw new AppError('CONFLICT', 'A group needs a superadmin: promote another member to SUPERADMIN first.');
        }
      }
      messages = [];
      for (const e of plan.events) {
        messages.push(
          await appendMessage(tx, ref, {
            code: e.code,
            senderId: viewer.userId,
            username: viewer.username,
            content: { userId: e.userId, actorId: viewer.userId },
          }),
        );
      }
      notes = await createNotifications(tx, plan.notifications);
      removed = plan.removed;
    });
    // The event first, so a removed user's open feeds still show why they stop.
    for (const message of messages) await deps.pubsub.publish('channel', channelId, { type: 'message', message });
    for (const userId of removed) await deps.presence.leaveCommitted({ channelId, userId });
    // Membership moved the channel into or out of these users' inboxes (a trigger keeps InboxEntry in step).
    await inboxChanged(deps, [...new Set(messages.map((m) => String(m.content.userId)))], channelId);
    await publishNotifications(deps, notes);
  });
}

export interface GroupView {
  id: string;
  name: string;
  description: string | null;
  open: boolean;
  memberCount: number;
}

/** Counts members only, not join requests or bans. */
export const withMemberCount = { _count: { select: { members: { where: { role: { in: MEMBER_ROLES } } } } } } as const;

export function toView(g: Group & { _count: { members: number } }): GroupView {
  return { id: g.id, name: g.name, description: g.description, open: g.open, memberCount: g._count.members };
}

export async function loadGroupView(deps: Deps, groupId: string): Promise<GroupView> {
  const g = await deps.prisma.group.findUnique({ where: { id: groupId }, include: withMemberCount });
  if (!g) throw groupNotFound(groupId);
  return toView(g);
}
