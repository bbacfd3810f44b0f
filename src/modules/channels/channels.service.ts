import type { Deps } from '../../deps.js';
import { badInput } from '../../lib/errors.js';
import type { Presence } from '../../realtime/types.js';
import type { Viewer } from '../users/tokens.js';
import { assertMayAccess, channelFromId } from './access.js';
import { roomRef, validRoomName, ROOM_NAME_MAX, type ChannelRef, type ChannelType } from './channel-ref.js';

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

function refFor(input: JoinInput): ChannelRef {
  if (input.type === 'ROOM') {
    if (!validRoomName(input.target)) {
      throw badInput(`A room name is 1 to ${ROOM_NAME_MAX} characters without control characters.`);
    }
    return roomRef(input.target);
  }
  throw badInput(`${input.type} channels are not available yet.`);
}

export async function joinChat(deps: Deps, viewer: Viewer, input: JoinInput): Promise<JoinedChannel> {
  const ref = refFor(input);
  await assertMayAccess(deps, viewer, ref);
  // Concurrent first joins of one room race here; ON CONFLICT DO NOTHING settles it.
  await deps.prisma.channel.createMany({ data: [{ ...ref, lastSeq: 0n }], skipDuplicates: true });
  const self: Presence = {
    userId: viewer.userId,
    sessionId: viewer.sessionId,
    username: viewer.username,
    persistence: input.persistence,
    hidden: input.hidden,
  };
  await deps.presence.join(ref.id, self);
  deps.liveness.touch(viewer.sessionId);
  const presences = (await deps.presence.list(ref.id)).filter((p) => !p.hidden && p.sessionId !== viewer.sessionId);
  return { ...ref, presences, self };
}

/** Ends this session's presence in the channel; true whether or not it was joined (leaving is idempotent). */
export async function leaveChat(deps: Deps, viewer: Viewer, channelId: string): Promise<boolean> {
  channelFromId(channelId);
  await deps.presence.leave(channelId, viewer.sessionId);
  return true;
}

export async function channelPresences(deps: Deps, viewer: Viewer, channelId: string): Promise<Presence[]> {
  const ref = channelFromId(channelId);
  await assertMayAccess(deps, viewer, ref);
  return (await deps.presence.list(channelId)).filter((p) => !p.hidden);
}
