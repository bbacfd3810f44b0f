import { uuidv7 } from 'uuidv7';
import type { Prisma } from '../../db/index.js';
import type { Deps } from '../../deps.js';
import { AppError, badInput, forbidden } from '../../lib/errors.js';
import { RecentMap } from '../../lib/recent-map.js';
import { hasControlCharacters, type ChannelRef } from '../../domain/channel-ref.js';
import { readByClientIds } from './history-sql.js';
import type { BatchKind } from '../../lib/keyed-mutex.js';
import { MessageCode, type ChatMessage, type NotificationView } from '../../domain/types.js';
import { publishNotifications } from '../notifications/notifications.service.js';
import { assertMayAccess } from '../channels/access.js';
import type { Viewer } from '../../domain/viewer.js';
import { insertMessages, type NewMessage } from './insert-batch.js';
import { chatMessage, fromRow, toAck, type MessageAck } from './message-shape.js';

export async function requireJoined(deps: Deps, viewer: Viewer, ref: ChannelRef) {
  const channelId = ref.id;
  const presence = await deps.presence.get(channelId, viewer.sessionId);
  if (presence) return presence;
  const expired = await deps.presence.expiredAt(channelId, viewer.sessionId);
  if (expired === null) throw forbidden(`Join channel ${channelId} with joinChat before sending to it.`);
  throw new AppError(
    'FORBIDDEN',
    `Your presence in channel ${channelId} ended at ${new Date(expired).toISOString()}: this session had no realtime connection ` +
      `(a WebSocket, or a subscription over SSE) for ${deps.config.PRESENCE_GRACE_MS} ms (PRESENCE_GRACE_MS). ` +
      'Join the channel again with joinChat, and keep a subscription open while chatting.',
    { reason: 'PRESENCE_EXPIRED' },
  );
}

/**
 * The session's presence in a channel it may write to. In a direct chat the
 * other user's block is checked first and refused like an unknown user.
 */
export async function requireSender(deps: Deps, viewer: Viewer, ref: ChannelRef) {
  if (ref.type === 'DIRECT') await assertMayAccess(deps, viewer, ref);
  return requireJoined(deps, viewer, ref);
}

/** Checked again under the channel's lock: a kick, ban or block may have ended the presence while this request waited. */
export async function stillJoined(deps: Deps, viewer: Viewer, channelId: string) {
  if (!(await deps.presence.get(channelId, viewer.sessionId))) throw forbidden(`You are no longer joined to channel ${channelId}.`);
}

interface PendingSend {
  deps: Deps;
  /** performance.now() when sendMessage was called, for the send-to-publish latency. */
  started: number;
  viewer: Viewer;
  ref: ChannelRef;
  persistence: boolean;
  content: Record<string, unknown>;
  clientMessageId: string | null;
  mentions: readonly string[];
  replyTo: string | null;
}

/** Sends that queue on a busy channel go together: one statement stores them all (see insertMessages). */
const MAX_BATCH = 256;
const SEND_BATCH: BatchKind<PendingSend, ChatMessage> = {
  max: MAX_BATCH,
  // Batches form per channel on one app's lock, so every item of a batch carries the same deps.
  run: (channelId, items) => storeAndPublish(items[0]!.deps, channelId, items),
};

/**
 * Stores (when the session joined with persistence) and broadcasts a message.
 * Storing and publishing happen under the channel's lock so that live
 * delivery follows history order; sends that wait for the lock together are
 * stored in one round trip, and each is acknowledged once its batch committed.
 * A send repeating a client message id this user already used in the channel
 * is acknowledged with the first message, and nothing new is stored or sent.
 */
export async function sendMessage(
  deps: Deps,
  viewer: Viewer,
  /** `content` has passed validateContent (at the GraphQL edge, again after a before hook). */
  input: {
    ref: ChannelRef;
    content: Record<string, unknown>;
    clientMessageId?: string | null;
    mentions?: readonly string[] | null;
    replyTo?: string | null;
  },
): Promise<MessageAck> {
  const started = performance.now();
  const { ref, content } = input;
  const clientMessageId = validClientMessageId(input.clientMessageId ?? null);
  const mentions = validMentions(input.mentions ?? null);
  const presence = await requireSender(deps, viewer, ref);
  if (mentions.length && !presence.persistence) {
    throw badInput('mentions need a stored message: this session joined the channel with persistence off.', { argument: 'mentions' });
  }
  const replyTo = input.replyTo ?? null;
  if (replyTo !== null) await checkParent(deps, ref, replyTo, presence.persistence);
  const item = { deps, started, viewer, ref, persistence: presence.persistence, content, clientMessageId, mentions, replyTo };
  return toAck(await deps.channelLock.batch(ref.id, SEND_BATCH, item));
}

function validClientMessageId(id: string | null): string | null {
  if (id !== null && (id.length < 1 || id.length > 128 || hasControlCharacters(id))) {
    throw badInput('clientMessageId must be 1 to 128 characters without control characters.');
  }
  return id;
}

/** A reply is stored and names a chat message of its own channel that is still there. */
async function checkParent(deps: Deps, ref: ChannelRef, replyTo: string, persistence: boolean) {
  const refuse = (why: string) => badInput(why, { argument: 'replyTo' });
  if (!persistence) throw refuse('replyTo needs a stored message: this session joined the channel with persistence off.');
  const [parent] = await deps.db.query<{ code: number }>(`SELECT code FROM "Message" WHERE id = $1 AND "channelId" = $2`, [
    replyTo,
    ref.id,
  ]);
  if (!parent) throw refuse(`No message "${replyTo}" in channel ${ref.id} to reply to: it was removed, or belongs to another channel.`);
  if (parent.code !== MessageCode.CHAT) throw refuse('A group event cannot be replied to.');
}

/** At most this many users named in one message. */
export const MAX_MENTIONS = 100;

function validMentions(ids: readonly string[] | null): readonly string[] {
  if (ids === null) return [];
  if (ids.length > MAX_MENTIONS) throw badInput(`mentions may name at most ${MAX_MENTIONS} users.`, { argument: 'mentions' });
  return [...new Set(ids)];
}

const retryKey = (i: PendingSend) => (i.clientMessageId === null ? null : `${i.viewer.userId}\n${i.clientMessageId}`);

async function storeAndPublish(deps: Deps, channelId: string, items: PendingSend[]): Promise<PromiseSettledResult<ChatMessage>[]> {
  // Batched by channel id, so every item names the same channel.
  const ref = items[0]!.ref;
  const joined = await Promise.allSettled(items.map((i) => stillJoined(deps, i.viewer, channelId)));
  const results: (ChatMessage | null)[] = items.map(() => null);
  /** Items answered with an earlier message: acknowledged, not published again. */
  const repeats = new Set<number>();
  const keyed = items.filter((i, n) => joined[n]!.status === 'fulfilled' && i.persistence && i.clientMessageId !== null);
  const before = keyed.length ? await storedRetries(deps, ref, keyed) : new Map<string, ChatMessage>();
  const firstInBatch = new Map<string, number>();
  /** Repeats within this batch: item -> the item whose message it gets. */
  const sameAs = new Map<number, number>();
  const toStore: number[] = [];
  items.forEach((i, n) => {
    if (joined[n]!.status === 'rejected') return;
    const key = retryKey(i);
    if (!i.persistence) {
      // Never stored, so a retry is recognised only by this process, for a few minutes.
      const seen = key ? deps.recentTransients.get(`${channelId}\n${key}`) : undefined;
      if (seen) repeats.add(n);
      results[n] = seen ?? transientMessage(ref, i);
      if (key && !seen) deps.recentTransients.set(`${channelId}\n${key}`, results[n]!);
      return;
    }
    const stored = key ? before.get(key) : undefined;
    if (stored) {
      results[n] = stored;
      repeats.add(n);
    } else if (key && firstInBatch.has(key)) {
      sameAs.set(n, firstInBatch.get(key)!);
      repeats.add(n);
    } else {
      if (key) firstInBatch.set(key, n);
      toStore.push(n);
    }
  });
  const stored = toStore.length
    ? await insertMessages(
        deps.db,
        ref,
        toStore.map((n) => newChat(channelId, items[n]!)),
      )
    : null;
  const inserted = stored?.messages ?? [];
  // A row skipped in the insert: the same retry committed meanwhile on another process.
  const skipped = toStore.filter((_, k) => inserted[k] === null).map((n) => items[n]!);
  const raced = skipped.length ? await storedRetries(deps, ref, skipped) : new Map<string, ChatMessage>();
  toStore.forEach((n, k) => {
    results[n] = inserted[k] ?? raced.get(retryKey(items[n]!)!) ?? null;
    if (!inserted[k]) repeats.add(n);
  });
  for (const [n, first] of sameAs) results[n] = results[first] ?? null;
  // Published in order without waiting in between: each transport keeps the order of publish calls.
  const published = Promise.all(
    results.map(async (m, n): Promise<PromiseSettledResult<ChatMessage>> => {
      if (joined[n]!.status === 'rejected') return joined[n] as PromiseRejectedResult;
      if (!m) return { status: 'rejected', reason: new Error(`a repeated send in ${channelId} found no stored message`) };
      if (repeats.has(n)) return { status: 'fulfilled', value: m };
      try {
        await deps.pubsub.publish('channel', channelId, { type: 'message', message: m });
        if (m.persistent) deps.counters.messagesStored++;
        else deps.counters.messagesNotStored++;
        deps.counters.sendToPublish.observe((performance.now() - items[n]!.started) / 1000);
        return { status: 'fulfilled', value: m };
      } catch (reason) {
        return { status: 'rejected', reason };
      }
    }),
  );
  // After the messages they point at, so a client that opens one finds it.
  if (stored?.mentions.length) void publishAfter(deps, published, stored.mentions);
  // Under the channel's lock with the messages, so counts arrive in the order they were reached.
  for (const t of stored?.threads ?? []) {
    await deps.pubsub
      .publish('channel', channelId, { type: 'thread', thread: { channelId, ...t } })
      .catch((err: unknown) => deps.log.warn({ err, channelId }, 'a reply count change was stored but not delivered live'));
  }
  return published;
}

async function publishAfter(deps: Deps, published: Promise<unknown>, mentions: NotificationView[]) {
  await published;
  await publishNotifications(deps, mentions).catch((e: unknown) =>
    deps.log.warn({ err: e }, 'mention notifications were stored but not delivered live'),
  );
}

/** Transient sends by retry key, for recognising a retry of one: never stored, so remembered here for a few minutes. */
export const createRecentTransients = () => new RecentMap<ChatMessage>(10_000, 5 * 60_000);

function storedRetries(deps: Deps, ref: ChannelRef, items: PendingSend[]) {
  return readByClientIds(
    deps.db,
    ref,
    items.map((i) => ({ senderId: i.viewer.userId, clientMessageId: i.clientMessageId! })),
  );
}

function newChat(channelId: string, i: PendingSend): NewMessage {
  return {
    channelId,
    code: MessageCode.CHAT,
    senderId: i.viewer.userId,
    username: i.viewer.username,
    content: i.content,
    clientMessageId: i.clientMessageId,
    mentions: i.mentions,
    replyTo: i.replyTo,
  };
}

/** Appends inside a caller's transaction (group events are stored with the membership change they describe). */
export async function appendMessage(
  tx: Prisma.TransactionClient,
  ref: ChannelRef,
  m: Omit<NewMessage, 'channelId' | 'mentions' | 'replyTo'>,
): Promise<ChatMessage> {
  if (m.code === MessageCode.CHAT) throw new Error('appendMessage stores group events; chat messages go through insertMessages');
  const channel = await tx.channel.update({
    where: { id: ref.id },
    data: { lastSeq: { increment: 1 } },
    select: { lastSeq: true, chatCount: true },
  });
  const now = new Date();
  const row = await tx.message.create({
    data: {
      id: uuidv7(),
      channelId: ref.id,
      seq: channel.lastSeq,
      chatSeq: channel.chatCount,
      createTime: now,
      updateTime: now,
      ...m,
      content: m.content as object,
    },
  });
  return fromRow(row, ref);
}

function transientMessage(ref: ChannelRef, i: PendingSend): ChatMessage {
  const { viewer, content } = i;
  const now = new Date();
  return chatMessage(ref, {
    id: uuidv7(),
    seq: null,
    code: MessageCode.CHAT,
    senderId: viewer.userId,
    username: viewer.username,
    content,
    createTime: now,
    updateTime: now,
    clientMessageId: i.clientMessageId,
    mentions: [],
    replyTo: null,
    replyCount: 0,
  });
}
