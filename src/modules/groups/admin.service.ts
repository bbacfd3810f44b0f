import type { Prisma } from '../../db/index.js';
import type { Deps } from '../../deps.js';
import type { Group } from '../../generated/prisma/client.js';
import { badInput, forbidden } from '../../lib/errors.js';
import { MessageCode } from '../../domain/types.js';
import { NotificationCode } from '../notifications/notifications.service.js';
import type { Viewer } from '../../domain/viewer.js';
import { existingUserIds } from '../users/user-ids.js';
import { changeGroup, emptyPlan, loadGroupView, type GroupView, type Plan } from './group-tx.js';
import { isMember, rank, requireAdmin, requireRankAtMost, type GroupRole } from './roles.js';

type Tx = Prisma.TransactionClient;
/** Decides what happens to one target; may throw, which undoes the whole call. */
type Step = (ctx: { tx: Tx; group: Group; actor: GroupRole; userId: string; role: GroupRole | null; plan: Plan }) => Promise<void>;

/**
 * The shape every admin operation shares: the targets must exist, the actor
 * must be an admin, and each target is handled in turn inside one transaction,
 * so a refusal for any target changes nothing at all.
 */
async function administer(
  deps: Deps,
  viewer: Viewer,
  groupId: string,
  userIds: readonly string[],
  action: string,
  step: Step,
): Promise<GroupView> {
  const ids = await existingUserIds(deps, userIds);
  await changeGroup(deps, viewer, groupId, async (tx, group) => {
    const plan = emptyPlan();
    const me = await tx.groupMember.findUnique({ where: { groupId_userId: { groupId, userId: viewer.userId } } });
    requireAdmin(me?.role, action);
    const rows = await tx.groupMember.findMany({ where: { groupId, userId: { in: ids } } });
    const roles = new Map(rows.map((r) => [r.userId, r.role]));
    for (const userId of ids) await step({ tx, group, actor: me!.role, userId, role: roles.get(userId) ?? null, plan });
    return plan;
  });
  return loadGroupView(deps, groupId);
}

const key = (groupId: string, userId: string) => ({ groupId_userId: { groupId, userId } });

function notSelf(viewer: Viewer, userId: string, what: string) {
  if (userId === viewer.userId) throw badInput(`You cannot ${what} yourself; use leaveGroup to leave.`);
}

function requireMemberTarget(role: GroupRole | null, userId: string): asserts role is GroupRole {
  if (!isMember(role)) throw badInput(`User ${userId} is not a member of this group.`);
}

/** Adds users as members, accepting pending join requests and lifting bans; each gets a notification. */
export function addGroupUsers(deps: Deps, viewer: Viewer, groupId: string, userIds: readonly string[]) {
  return administer(deps, viewer, groupId, userIds, 'add users', async ({ tx, group, userId, role, plan }) => {
    if (isMember(role)) return;
    if (role) await tx.groupMember.update({ where: key(groupId, userId), data: { role: 'MEMBER', updateTime: new Date() } });
    else await tx.groupMember.create({ data: { groupId, userId, role: 'MEMBER' } });
    plan.events.push({ code: MessageCode.GROUP_ADD, userId });
    plan.notifications.push({
      userId,
      code: NotificationCode.GROUP_ADD,
      subject: `You were added to ${group.name}`,
      content: { groupId, userId, actorId: viewer.userId },
      senderId: viewer.userId,
    });
  });
}

/** Removes members (event 6) and declines join requests; bans stay. */
export function kickGroupUsers(deps: Deps, viewer: Viewer, groupId: string, userIds: readonly string[]) {
  return administer(deps, viewer, groupId, userIds, 'kick users', async ({ tx, actor, userId, role, plan }) => {
    notSelf(viewer, userId, 'kick');
    if (!role || role === 'BANNED') return;
    requireRankAtMost(actor, role, userId);
    await tx.groupMember.delete({ where: key(groupId, userId) });
    if (isMember(role)) {
      plan.events.push({ code: MessageCode.GROUP_KICK, userId });
      plan.removed.push(userId);
    }
  });
}

/** Bans users, members or not; a banned member loses membership at once (event 8). */
export function banGroupUsers(deps: Deps, viewer: Viewer, groupId: string, userIds: readonly string[]) {
  return administer(deps, viewer, groupId, userIds, 'ban users', async ({ tx, actor, userId, role, plan }) => {
    notSelf(viewer, userId, 'ban');
    if (role === 'BANNED') return;
    if (role) {
      requireRankAtMost(actor, role, userId);
      await tx.groupMember.update({ where: key(groupId, userId), data: { role: 'BANNED', updateTime: new Date() } });
    } else {
      await tx.groupMember.create({ data: { groupId, userId, role: 'BANNED' } });
    }
    if (isMember(role)) {
      plan.events.push({ code: MessageCode.GROUP_BAN, userId });
      plan.removed.push(userId);
    }
  });
}

const UP: Partial<Record<GroupRole, GroupRole>> = { MEMBER: 'ADMIN', ADMIN: 'SUPERADMIN' };
const DOWN: Partial<Record<GroupRole, GroupRole>> = { SUPERADMIN: 'ADMIN', ADMIN: 'MEMBER' };

/** Raises members one rank (event 7), never above the actor's own; superadmins stay. */
export function promoteGroupUsers(deps: Deps, viewer: Viewer, groupId: string, userIds: readonly string[]) {
  return administer(deps, viewer, groupId, userIds, 'promote users', async ({ tx, actor, userId, role, plan }) => {
    requireMemberTarget(role, userId);
    const next = UP[role];
    if (!next) return;
    if (rank(next) > rank(actor)) throw forbidden(`Promoting ${userId} would make them ${next}, above your rank (${actor}).`);
    await tx.groupMember.update({ where: key(groupId, userId), data: { role: next, updateTime: new Date() } });
    plan.events.push({ code: MessageCode.GROUP_PROMOTE, userId });
  });
}

/** Lowers members one rank (event 9); members stay members; a group keeps at least one superadmin. */
export function demoteGroupUsers(deps: Deps, viewer: Viewer, groupId: string, userIds: readonly string[]) {
  return administer(deps, viewer, groupId, userIds, 'demote users', async ({ tx, actor, userId, role, plan }) => {
    requireMemberTarget(role, userId);
    const next = DOWN[role];
    if (!next) return;
    requireRankAtMost(actor, role, userId);
    await tx.groupMember.update({ where: key(groupId, userId), data: { role: next, updateTime: new Date() } });
    plan.events.push({ code: MessageCode.GROUP_DEMOTE, userId });
  });
}
