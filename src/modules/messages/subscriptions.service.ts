import type { Deps } from '../../deps.js';
import type { ChannelRef } from '../../domain/channel-ref.js';
import type { SharedBudget } from '../../lib/queue.js';
import { openFeed } from '../../realtime/feed.js';
import { visibleChange } from '../../realtime/presence.js';
import { isNewStored, MessageCode, type ChannelEvent, type ChatMessage, type PresenceChange } from '../../domain/types.js';
import { channelFromId } from '../../domain/channel-ref.js';
import type { Viewer } from '../../domain/viewer.js';
import { storedAfter } from './history.service.js';
import { followBlocks } from '../blocks/blocks.service.js';

/**
 * Live messages of one joined channel, or of every channel the session joins.
 * With `after`, first the stored messages after that cursor, then live ones,
 * with no gap and no duplicate at the seam.
 */
export async function messageFeed(
  deps: Deps,
  viewer: Viewer,
  /** See resumePoint: the channel followed (null: every joined one), and the sequence to replay after. */
  input: { ref: ChannelRef | null; after: bigint | null },
  budget: SharedBudget | null = null,
): Promise<AsyncIterableIterator<ChatMessage>> {
  const { ref, after } = input;
  const channelId = ref?.id ?? null;
  // Messages from users the viewer blocks are dropped live (history keeps them); server events are not theirs.
  const blocks = await followBlocks(deps, viewer.userId);
  const fromBlocked = (m: ChatMessage) => m.code <= MessageCode.REMOVE && blocks.has(m.senderId);
  let live;
  try {
    live = await openFeed(
      deps,
      viewer,
      channelId,
      (e) => (e.type === 'message' && !fromBlocked(e.message) ? e.message : null),
      budget,
      (cid, from) => storedEvents(deps, channelFromId(cid), from),
    );
  } catch (e) {
    blocks.close();
    throw e;
  }
  live.onEnd(blocks.close);
  if (after === null || ref === null) return live;
  return endable(replayThenLive(deps, ref, after, live), live);
}

/**
 * An async generator's return() waits until it next yields, and a quiet
 * channel may never yield again: ending the live feed first releases it.
 */
function endable<T>(gen: AsyncGenerator<T>, live: AsyncIterableIterator<T>): AsyncIterableIterator<T> {
  return {
    next: () => gen.next(),
    async return() {
      await live.return?.();
      return gen.return(undefined);
    },
    async throw(e: unknown) {
      await live.return?.();
      return gen.throw(e);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

async function* storedEvents(deps: Deps, ref: ChannelRef, after: bigint): AsyncGenerator<ChannelEvent> {
  for await (const message of storedAfter(deps, ref, after)) yield { type: 'message', message };
}

async function* replayThenLive(deps: Deps, ref: ChannelRef, after: bigint, live: AsyncIterableIterator<ChatMessage>) {
  let last = after;
  try {
    // The live feed is already listening, so anything stored from here on is either replayed or arrives live.
    for await (const m of storedAfter(deps, ref, after)) {
      yield m;
      last = BigInt(m.seq!);
    }
    for await (const m of live) {
      if (isNewStored(m) && BigInt(m.seq) <= last) continue;
      yield m;
    }
  } finally {
    await live.return?.();
  }
}

export async function presenceFeed(
  deps: Deps,
  viewer: Viewer,
  input: { ref: ChannelRef | null },
  budget: SharedBudget | null = null,
): Promise<AsyncIterableIterator<PresenceChange>> {
  return openFeed(
    deps,
    viewer,
    input.ref?.id ?? null,
    (e) => (e.type === 'presence' ? visibleChange(e.change, viewer.sessionId) : null),
    budget,
  );
}
