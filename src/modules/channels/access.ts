import type { Deps } from '../../deps.js';
import { badInput, notFound } from '../../lib/errors.js';
import type { Viewer } from '../users/tokens.js';
import { parseChannelId, type ChannelRef } from './channel-ref.js';

/** The channel named by an id, or NOT_FOUND; never says more about channels the viewer may not see. */
export function channelFromId(channelId: string): ChannelRef {
  const ref = parseChannelId(channelId);
  if (!ref) throw notFound(`No channel with id "${channelId}".`);
  return ref;
}

/**
 * Whether the viewer may join, peek at or follow a channel; throws the error
 * the client should see when not. Rooms are open to every signed-in user.
 */
export async function assertMayAccess(_deps: Deps, _viewer: Viewer, ref: ChannelRef): Promise<void> {
  if (ref.type === 'ROOM') return;
  throw badInput(`${ref.type} channels are not available yet.`);
}
