import type { Deps } from '../../deps.js';
import { forbidden } from '../../lib/errors.js';
import { checkFirst, decodeKey, toPage, type Page } from '../../lib/page.js';
import type { Viewer } from '../../domain/viewer.js';
import { groupNotFound, toView, withMemberCount, type GroupView } from './group-tx.js';
import { isAdmin, isMember, MEMBER_ROLES, type GroupRole } from './roles.js';

/** The groups the viewer is a member of (not pending requests or bans), oldest group first. */
export async function myGroups(deps: Deps, viewer: Viewer, input: { first: number; after: string | null }): Promise<Page<GroupView>> {
  const first = checkFirst(input.first);
  const after = input.after === null ? null : decodeKey('group', input.after);
  const rows = await deps.prisma.groupMember.findMany({
    where: { userId: viewer.userId, role: { in: MEMBER_ROLES }, ...(after === null ? {} : { groupId: { gt: after } }) },
    orderBy: { groupId: 'asc' },
    take: first + 1,
    include: { group: { include: withMemberCount } },
  });
  return toPage(
    'group',
    rows,
    first,
    input.after,
    (r) => r.groupId,
    (r) => toView(r.group),
  );
}

export interface GroupMemberView {
  groupId: string;
  user: { id: string; username: string; createTime: Date };
  role: GroupRole;
}

/**
 * A group's users with their roles, for its members. Members see members;
 * admins also see join requests (to accept them) and bans.
 */
export async function groupMembers(
  deps: Deps,
  viewer: Viewer,
  input: { groupId: string; first: number; after: string | null },
): Promise<Page<GroupMemberView>> {
  const first = checkFirst(input.first);
  const kind = `member:${input.groupId}`;
  const after = input.after === null ? null : decodeKey(kind, input.after);
  const mine = await deps.prisma.groupMember.findUnique({ where: { groupId_userId: { groupId: input.groupId, userId: viewer.userId } } });
  if (!isMember(mine?.role)) {
    // Only a refusal looks the group up: a membership row already proves it exists.
    const group = await deps.prisma.group.findUnique({ where: { id: input.groupId }, select: { id: true } });
    if (!group) throw groupNotFound(input.groupId);
    throw forbidden('Only members of this group may list its members.');
  }
  const roles = isAdmin(mine?.role) ? undefined : { in: MEMBER_ROLES };
  const rows = await deps.prisma.groupMember.findMany({
    where: { groupId: input.groupId, ...(roles ? { role: roles } : {}), ...(after === null ? {} : { userId: { gt: after } }) },
    orderBy: { userId: 'asc' },
    take: first + 1,
    include: { user: true },
  });
  return toPage(
    kind,
    rows,
    first,
    input.after,
    (r) => r.userId,
    (r) => ({ groupId: input.groupId, user: r.user, role: r.role }),
  );
}
