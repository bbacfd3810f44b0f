import type { Deps } from '../../deps.js';
import { hasBlocked } from '../blocks/blocks.service.js';
import { createNotifications, NotificationCode, publishNotifications } from '../notifications/notifications.service.js';
import type { Viewer } from '../../domain/viewer.js';
import { otherUser, type ChannelRef } from '../../domain/channel-ref.js';

/**
 * After the viewer joined a direct chat: their own open invitation (if any)
 * is answered, and the other user is invited when they have no presence
 * there. An invitation stays open until the invitee joins, so repeated joins,
 * leaves or sessions of the inviter send no further invite.
 * Runs under the channel's lock, like the join itself.
 */
export async function afterDirectJoin(deps: Deps, viewer: Viewer, ref: ChannelRef): Promise<void> {
  const other = otherUser(ref, viewer.userId);
  await deps.prisma.directInvite.deleteMany({ where: { channelId: ref.id, inviteeId: viewer.userId } });
  const present = (await deps.presence.list(ref.id)).some((p) => p.userId === other);
  // A user the viewer blocks could not accept, so they are not invited.
  if (present || (await hasBlocked(deps, viewer.userId, other))) return;
  const notes = await deps.prisma.$transaction(async (tx) => {
    const opened = await tx.directInvite.createMany({ data: [{ channelId: ref.id, inviteeId: other }], skipDuplicates: true });
    if (opened.count === 0) return [];
    return createNotifications(tx, [
      {
        userId: other,
        code: NotificationCode.DIRECT_INVITE,
        subject: `${viewer.username} wants to chat`,
        content: { channelId: ref.id, userId: viewer.userId },
        senderId: viewer.userId,
      },
    ]);
  });
  await publishNotifications(deps, notes);
}
