import { addToInbox } from '../inbox/inbox.service.js';
import type { Deps } from '../../deps.js';
import { badInput } from '../../lib/errors.js';
import type { Presence } from '../../domain/types.js';
import type { Viewer } from '../../domain/viewer.js';
import { assertMayAccess } from './access.js';
import { groupNotFound } from '../groups/roles.js';
import { unknownUser } from '../users/user-ids.js';
import {
  directRef,
  groupRef,
  otherUser,
  parseChannelId,
  roomRef,
  validRoomName,
  ROOM_NAME_MAX,
  type ChannelRef,
  type ChannelType,
} from '../../domain/channel-ref.js';
import { afterDirectJoin } from './direct-invites.js';
import { readHead } from '../messages/history-sql.js';

export interface JoinInput {
  target: string;
  type: ChannelType;
  persistence: boolean;
  hidden: boolean;
}

export interface JoinedChannel extends ChannelRef {
  /** Other visible presences at join time. */
  presences: Presence[];
  self: Presence;
}

function refFor(viewer: Viewer, input: JoinInput): ChannelRef {
  const { target } = input;
  if (input.type === 'ROOM') {
    // One room per name however it was typed: "café" precomposed or as e + accent.
    const name = target.normalize('NFC');
    if (!validRoomName(name)) {
      throw badInput(
        `A room name is 1 to ${ROOM_NAME_MAX} characters, at least one of them visible, without control or text-direction characters.`,
      );
    }
    return roomRef(name);
  }
  if (input.type === 'GROUP') {
    if (!target || target.includes(':')) throw groupNotFound(target);
    return groupRef(target);
  }
  if (target === viewer.userId) throw badInput('A direct chat is with another user; target is your own user id.');
  if (!target || target.includes(':')) throw unknownUser(target);
  return directRef(viewer.userId, target);
}

export async function joinChat(deps: Deps, viewer: Viewer, input: JoinInput): Promise<JoinedChannel> {
  const ref = refFor(viewer, input);
  const self: Presence = {
    userId: viewer.userId,
    sessionId: viewer.sessionId,
    username: viewer.username,
    persistence: input.persistence,
    hidden: input.hidden,
  };
  // Rooms need no lock. For groups and direct chats, the access check and the
  // presence form one step under the channel's lock, so a kick, ban or block
  // that commits meanwhile removes this presence rather than missing it.
  const join = async () => {
    const hidden = ref.type === 'DIRECT' ? () => unknownUser(input.target) : undefined;
    await assertMayAccess(deps, viewer, ref, hidden);
    // Concurrent first joins of one channel race here; ON CONFLICT DO NOTHING settles it.
    await deps.prisma.channel.createMany({ data: [{ ...ref, lastSeq: 0n }], skipDuplicates: true });
    // Where this session's feeds on other processes replay from, if they start listening after messages were sent.
    await deps.presence.join(ref.id, self, await readHead(deps.db, ref.id));
    if (ref.type !== 'ROOM') {
      // The lock above is per process. Across processes, checking again after
      // the presence exists closes the race: a kick or block that commits
      // before this check is seen here, and one that commits after it removes
      // the presence itself.
      try {
        await assertMayAccess(deps, viewer, ref, hidden);
      } catch (e) {
        await deps.presence.leave(ref.id, viewer.sessionId);
        throw e;
      }
    }
    // Rooms are in the inbox of those who joined them with persistence on; a direct chat is in both users' once either joins.
    if (ref.type === 'DIRECT') await addToInbox(deps, [viewer.userId, otherUser(ref, viewer.userId)], ref);
    else if (ref.type === 'GROUP' || input.persistence) await addToInbox(deps, [viewer.userId], ref);
    if (ref.type === 'DIRECT') await afterDirectJoin(deps, viewer, ref);
  };
  if (ref.type === 'ROOM') await join();
  else await deps.channelLock.run(ref.id, join);
  deps.liveness.touch(viewer.sessionId);
  const presences = (await deps.presence.list(ref.id)).filter((p) => !p.hidden && p.sessionId !== viewer.sessionId);
  return { ...ref, presences, self };
}

/** Ends this session's presence in the channel; true whether or not it was joined (leaving is idempotent). */
export async function leaveChat(deps: Deps, viewer: Viewer, ref: ChannelRef): Promise<boolean> {
  await deps.presence.leave(ref.id, viewer.sessionId);
  return true;
}

/** The channels this session has joined (presence held now), with their presences, in no particular order. */
export async function myChannels(deps: Deps, viewer: Viewer): Promise<JoinedChannel[]> {
  const out: JoinedChannel[] = [];
  for (const id of await deps.presence.channelsOf(viewer.sessionId)) {
    const ref = parseChannelId(id);
    const self = ref && (await deps.presence.get(id, viewer.sessionId));
    if (!ref || !self) continue;
    const presences = (await deps.presence.list(id)).filter((p) => !p.hidden && p.sessionId !== viewer.sessionId);
    out.push({ ...ref, presences, self });
  }
  return out;
}

export async function channelPresences(deps: Deps, viewer: Viewer, ref: ChannelRef): Promise<Presence[]> {
  await assertMayAccess(deps, viewer, ref);
  return (await deps.presence.list(ref.id)).filter((p) => !p.hidden);
}
