import type { GroupRole } from '../../generated/prisma/client.js';
import { forbidden, notFound } from '../../lib/errors.js';

export type { GroupRole };

/** Roles that make a user a member: they may join the channel, read history and receive. */
export const MEMBER_ROLES: GroupRole[] = ['SUPERADMIN', 'ADMIN', 'MEMBER'];

const RANK: Record<GroupRole, number> = { SUPERADMIN: 3, ADMIN: 2, MEMBER: 1, JOIN_REQUEST: 0, BANNED: 0 };

export function rank(role: GroupRole | null | undefined): number {
  return role ? RANK[role] : 0;
}

export function isMember(role: GroupRole | null | undefined): boolean {
  return rank(role) >= 1;
}

export function isAdmin(role: GroupRole | null | undefined): boolean {
  return rank(role) >= 2;
}

/** Admins and the superadmin manage members; anyone else is refused. */
export function requireAdmin(role: GroupRole | null | undefined, action: string): void {
  if (!isMember(role)) throw forbidden(`Only members of this group may ${action}; you are not one.`);
  if (!isAdmin(role)) throw forbidden(`Only the group's admins may ${action}.`);
}

/** Nobody acts on a rank above their own, nor raises anyone above it. */
export function requireRankAtMost(actor: GroupRole, target: GroupRole, userId: string): void {
  if (rank(target) > rank(actor)) throw forbidden(`User ${userId} is ${target}, above your rank (${actor}).`);
}

export function groupNotFound(groupId: string) {
  return notFound(`No group with id "${groupId}".`);
}
