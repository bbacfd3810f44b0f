import type { Deps } from '../../deps.js';
import { badInput, notFound } from '../../lib/errors.js';

export const MAX_USER_IDS = 100;

/** The distinct ids of a list argument, each naming an existing user; otherwise nothing happens and the error names the first unknown id. */
export async function existingUserIds(deps: Deps, userIds: readonly string[]): Promise<string[]> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) throw badInput('userIds must name at least one user.');
  if (ids.length > MAX_USER_IDS) throw badInput(`userIds may name at most ${MAX_USER_IDS} users.`);
  const found = new Set((await deps.prisma.user.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((u) => u.id));
  const missing = ids.find((id) => !found.has(id));
  if (missing !== undefined) throw unknownUser(missing);
  return ids;
}

/** The one error for "no such user", also used where a block must not be revealed. */
export function unknownUser(userId: string) {
  return notFound(`No user with id "${userId}".`);
}
