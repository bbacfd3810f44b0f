import type { Deps } from '../../deps.js';
import { forbidden, notFound, type AppError } from '../../lib/errors.js';
import { hasBlocked } from '../blocks/blocks.service.js';
import { groupNotFound, isMember } from '../groups/roles.js';
import type { Viewer } from '../../domain/viewer.js';
import { otherUser, type ChannelRef } from '../../domain/channel-ref.js';

/**
 * Whether the viewer may join, peek at or follow a channel; throws the error
 * the client should see when not. Rooms are open to every signed-in user;
 * a group's channel to its members (not join requests, not banned users); a
 * direct chat to its two users, unless the other one blocked the viewer.
 * For direct chats every refusal is `hidden` (by default "no such channel"),
 * so a block looks exactly like a user that does not exist.
 */
export async function assertMayAccess(deps: Deps, viewer: Viewer, ref: ChannelRef, hidden?: () => AppError): Promise<void> {
  if (ref.type === 'ROOM') return;
  if (ref.type === 'GROUP') {
    const groupId = ref.groupId!;
    const member = await deps.prisma.groupMember.findUnique({
      where: { groupId_userId: { groupId, userId: viewer.userId } },
      select: { role: true },
    });
    if (isMember(member?.role)) return;
    if (!(await deps.prisma.group.findUnique({ where: { id: groupId }, select: { id: true } }))) throw groupNotFound(groupId);
    throw forbidden(`Only members of group ${groupId} may use its channel.`);
  }
  const refuse = hidden ?? (() => notFound(`No channel with id "${ref.id}".`));
  const { userIdOne: one, userIdTwo: two } = ref;
  if (viewer.userId !== one && viewer.userId !== two) throw refuse();
  const other = otherUser(ref, viewer.userId);
  const exists = await deps.prisma.user.findUnique({ where: { id: other }, select: { id: true } });
  if (!exists || (await hasBlocked(deps, other, viewer.userId))) throw refuse();
}
