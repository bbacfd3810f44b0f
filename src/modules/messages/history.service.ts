import { checkFirst, MAX_FIRST } from '../../lib/page.js';
import type { Deps } from '../../deps.js';
import type { ChatMessage } from '../../domain/types.js';
import type { ChannelRef } from '../../domain/channel-ref.js';
import { assertMayAccess } from '../channels/access.js';
import type { Viewer } from '../../domain/viewer.js';
import { encodeCursor } from './cursor.js';
import { readHead, readMessages, readReplies } from './history-sql.js';

export interface HistoryPage {
  edges: { cursor: string; node: ChatMessage }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  cacheableCursor: string;
}

/**
 * A page of a channel's stored messages, by keyset on the channel's sequence
 * (never OFFSET), so pages stay stable while messages arrive.
 */
export async function channelMessages(
  deps: Deps,
  viewer: Viewer,
  /** `after` is the decoded cursor, `cursor` the client's own (a page without messages returns it for caching). */
  input: { ref: ChannelRef; first: number; after: bigint | null; cursor: string | null; forward: boolean },
): Promise<HistoryPage> {
  const { ref, first, forward, after } = input;
  const channelId = ref.id;
  checkFirst(first);
  await assertMayAccess(deps, viewer, ref);

  const rows = await readMessages(
    deps.db,
    ref,
    forward ? { after, before: null, forward, limit: first + 1 } : { after: null, before: after, forward, limit: first + 1 },
  );
  const page = seqPage(ref, rows, first, after);
  const newest = forward ? page.edges.at(-1) : page.edges[0];
  return { ...page, cacheableCursor: newest?.cursor ?? input.cursor ?? (await headCursor(deps, channelId)) };
}

/** Up to first + 1 stored messages in list order as a page, each cursor naming the channel and sequence. */
function seqPage(ref: ChannelRef, rows: ChatMessage[], first: number, after: bigint | null): Omit<HistoryPage, 'cacheableCursor'> {
  const edges = rows.slice(0, first).map((node) => ({ cursor: encodeCursor(ref.id, node.seq!), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: after !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/** The replies to one message of a channel, oldest first, by keyset on the channel's sequence; access as channelMessages. */
export async function messageReplies(
  deps: Deps,
  viewer: Viewer,
  input: { ref: ChannelRef; messageId: string; first: number; after: bigint | null },
): Promise<Omit<HistoryPage, 'cacheableCursor'>> {
  const { ref, first, after } = input;
  checkFirst(first);
  await assertMayAccess(deps, viewer, ref);
  return seqPage(ref, await readReplies(deps.db, ref, input.messageId, after ?? 0n, first + 1), first, after);
}

/** The position just past the newest message a channel ever had. */
async function headCursor(deps: Deps, channelId: string): Promise<string> {
  return encodeCursor(channelId, await headSeq(deps, channelId));
}

/** Stored messages after a sequence number (and before another, if given), oldest first, in pages; used to replay before going live. */
export async function* storedAfter(
  deps: Pick<Deps, 'db'>,
  ref: ChannelRef,
  after: bigint,
  before: bigint | null = null,
): AsyncGenerator<ChatMessage> {
  let from = after;
  for (;;) {
    const rows = await readMessages(deps.db, ref, { after: from, before, forward: true, limit: MAX_FIRST });
    yield* rows;
    if (rows.length < MAX_FIRST) return;
    from = BigInt(rows.at(-1)!.seq!);
  }
}

/** The sequence of a channel's newest stored message (0 when none). */
export function headSeq(deps: Pick<Deps, 'db'>, channelId: string): Promise<bigint> {
  return readHead(deps.db, channelId);
}
