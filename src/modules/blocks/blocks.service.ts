import type { Deps } from '../../deps.js';
import { badInput } from '../../lib/errors.js';
import { directRef } from '../../domain/channel-ref.js';
import type { Viewer } from '../../domain/viewer.js';
import { existingUserIds } from '../users/user-ids.js';

/**
 * Blocks users. A blocked user can no longer join or send into a direct chat
 * with the viewer (refused as if the viewer did not exist), their live
 * presences leave that chat now, and the viewer's live feeds stop showing
 * their messages in rooms and groups.
 */
export async function blockUsers(deps: Deps, viewer: Viewer, userIds: readonly string[]): Promise<boolean> {
  const ids = await existingUserIds(deps, userIds);
  if (ids.includes(viewer.userId)) throw badInput('You cannot block yourself.');
  await deps.prisma.block.createMany({ data: ids.map((blockedId) => ({ blockerId: viewer.userId, blockedId })), skipDuplicates: true });
  for (const id of ids) {
    const channelId = directRef(viewer.userId, id).id;
    // Under the channel lock, so a join that passed its access check before the block commits is removed here too.
    await deps.channelLock.run(channelId, () => deps.presence.leaveCommitted({ channelId, userId: id }));
  }
  await deps.pubsub.publish('user', viewer.userId, { type: 'blocked', userIds: ids });
  return true;
}

export async function unblockUsers(deps: Deps, viewer: Viewer, userIds: readonly string[]): Promise<boolean> {
  const ids = await existingUserIds(deps, userIds);
  await deps.prisma.block.deleteMany({ where: { blockerId: viewer.userId, blockedId: { in: ids } } });
  await deps.pubsub.publish('user', viewer.userId, { type: 'unblocked', userIds: ids });
  return true;
}

export async function blockedUsers(deps: Deps, viewer: Viewer) {
  const rows = await deps.prisma.block.findMany({
    where: { blockerId: viewer.userId },
    orderBy: [{ createTime: 'asc' }, { blockedId: 'asc' }],
    include: { blocked: true },
  });
  return rows.map((r) => r.blocked);
}

export async function hasBlocked(deps: Deps, blockerId: string, blockedId: string): Promise<boolean> {
  return (await deps.prisma.block.count({ where: { blockerId, blockedId } })) > 0;
}

export interface BlockSet {
  has(userId: string): boolean;
  close(): void;
}

/**
 * Whom a user blocks, kept current while it is open: changes published while
 * the snapshot loads are applied after it, in publish order.
 */
export async function followBlocks(deps: Deps, userId: string): Promise<BlockSet> {
  const blocked = new Set<string>();
  let pending: { type: 'blocked' | 'unblocked'; userIds: string[] }[] | null = [];
  const apply = (e: { type: 'blocked' | 'unblocked'; userIds: string[] }) => {
    for (const id of e.userIds) {
      if (e.type === 'blocked') blocked.add(id);
      else blocked.delete(id);
    }
  };
  const unsubscribe = await deps.pubsub.subscribe('user', userId, (e) => {
    if (e.type !== 'blocked' && e.type !== 'unblocked') return;
    if (pending) pending.push(e);
    else apply(e);
  });
  try {
    const rows = await deps.prisma.block.findMany({ where: { blockerId: userId }, select: { blockedId: true } });
    for (const r of rows) blocked.add(r.blockedId);
  } catch (e) {
    await unsubscribe();
    throw e;
  }
  for (const e of pending) apply(e);
  pending = null;
  return {
    has: (id) => blocked.has(id),
    close: () => void unsubscribe().catch(() => {}),
  };
}
