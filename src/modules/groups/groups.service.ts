import { uuidv7 } from 'uuidv7';
import { inboxChanged } from '../inbox/inbox.service.js';
import type { Deps } from '../../deps.js';
import { AppError, badInput, forbidden } from '../../lib/errors.js';
import { isUniqueViolation } from '../../lib/prisma-errors.js';
import { MessageCode } from '../../domain/types.js';
import { groupRef, hasControlCharacters } from '../../domain/channel-ref.js';
import { NotificationCode } from '../notifications/notifications.service.js';
import type { Viewer } from '../../domain/viewer.js';
import { changeGroup, emptyPlan, loadGroupView, type GroupView } from './group-tx.js';
import { isMember } from './roles.js';

export const GROUP_NAME_MAX = 128;
export const GROUP_DESCRIPTION_MAX = 1024;

/** Creates a group whose creator is its superadmin; names are unique, as in Nakama. */
export async function createGroup(
  deps: Deps,
  viewer: Viewer,
  input: { name: string; description: string | null; open: boolean },
): Promise<GroupView> {
  const name = input.name.trim();
  if (name.length < 1 || name.length > GROUP_NAME_MAX || hasControlCharacters(name)) {
    throw badInput(`A group name is 1 to ${GROUP_NAME_MAX} characters without control characters.`);
  }
  if (input.description != null && input.description.length > GROUP_DESCRIPTION_MAX) {
    throw badInput(`A group description is at most ${GROUP_DESCRIPTION_MAX} characters.`);
  }
  const id = uuidv7();
  try {
    await deps.prisma.$transaction(async (tx) => {
      await tx.group.create({ data: { id, name, description: input.description ?? null, open: input.open, creatorId: viewer.userId } });
      await tx.groupMember.create({ data: { groupId: id, userId: viewer.userId, role: 'SUPERADMIN' } });
      // The channel exists from the start so event messages always have a history to go to.
      await tx.channel.create({ data: { ...groupRef(id), lastSeq: 0n } });
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError('CONFLICT', `A group named "${name}" exists; choose another name.`);
    throw e;
  }
  await inboxChanged(deps, [viewer.userId], groupRef(id).id);
  return { id, name, description: input.description ?? null, open: input.open, memberCount: 1 };
}

/**
 * Joins an open group at once (event 3), or asks to join a closed one: the
 * group's admins get a join-request notification. Joining again is a no-op.
 */
export async function joinGroup(deps: Deps, viewer: Viewer, groupId: string): Promise<GroupView> {
  await changeGroup(deps, viewer, groupId, async (tx, group) => {
    const plan = emptyPlan();
    const mine = await tx.groupMember.findUnique({ where: { groupId_userId: { groupId, userId: viewer.userId } } });
    if (mine?.role === 'BANNED') throw forbidden('You are banned from this group.');
    if (mine) return plan; // already a member, or the request is pending
    if (group.open) {
      await tx.groupMember.create({ data: { groupId, userId: viewer.userId, role: 'MEMBER' } });
      plan.events.push({ code: MessageCode.GROUP_JOIN, userId: viewer.userId });
      return plan;
    }
    await tx.groupMember.create({ data: { groupId, userId: viewer.userId, role: 'JOIN_REQUEST' } });
    const admins = await tx.groupMember.findMany({ where: { groupId, role: { in: ['SUPERADMIN', 'ADMIN'] } }, select: { userId: true } });
    for (const a of admins) {
      plan.notifications.push({
        userId: a.userId,
        code: NotificationCode.GROUP_JOIN_REQUEST,
        subject: `${viewer.username} asked to join ${group.name}`,
        content: { groupId, userId: viewer.userId },
        senderId: viewer.userId,
      });
    }
    return plan;
  });
  return loadGroupView(deps, groupId);
}

/**
 * Leaves a group (event 5) or withdraws a join request. The last superadmin
 * cannot leave (CONFLICT) until another member is promoted. Leaving a group
 * one is not in is a no-op; a ban stays in place.
 */
export async function leaveGroup(deps: Deps, viewer: Viewer, groupId: string): Promise<boolean> {
  await changeGroup(deps, viewer, groupId, async (tx) => {
    const plan = emptyPlan();
    const mine = await tx.groupMember.findUnique({ where: { groupId_userId: { groupId, userId: viewer.userId } } });
    if (!mine || mine.role === 'BANNED') return plan;
    await tx.groupMember.delete({ where: { groupId_userId: { groupId, userId: viewer.userId } } });
    if (isMember(mine.role)) {
      plan.events.push({ code: MessageCode.GROUP_LEAVE, userId: viewer.userId });
      plan.removed.push(viewer.userId);
    }
    return plan;
  });
  return true;
}
