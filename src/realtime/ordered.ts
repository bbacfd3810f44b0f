import type { Logger } from '../lib/logger.js';
import type { PubSub, Unsubscribe } from '../pubsub/index.js';
import type { TopicKind, TopicMap } from '../pubsub/topics.js';
import { isNewStored, type ChannelEvent, type ChatMessage } from '../domain/types.js';

/** What the sequencer reads from history: committed messages are the truth it repairs from. */
export interface MessageStore {
  /** The sequence of the newest stored message of a channel (0 when none). */
  head(channelId: string): Promise<bigint>;
  /** Stored messages with after < seq < before (no upper bound when before is null), oldest first. */
  between(channelId: string, after: bigint, before: bigint | null): Promise<ChatMessage[]>;
}

type Handler = (event: ChannelEvent) => void;

interface ChannelState {
  handlers: Set<Handler>;
  /** The newest stored message delivered to this process's feeds. */
  last: bigint;
  /** Events are handled one after another, so a database fill keeps its place. */
  chain: Promise<void>;
  ready: Promise<void>;
  unsubscribe: Promise<Unsubscribe> | null;
}

/** `last` before the database could be asked: the first message sets it. */
const UNKNOWN = -1n;

/** Updates and removes reuse their message's sequence; only new rows advance it. */
const advances = isNewStored;

/**
 * Puts each channel's stored messages in sequence order, once, for every
 * subscriber of this process. Processes publish independently, so on Redis
 * seq 8 from one can overtake seq 7 from another; here a message past a gap
 * first pulls the missing ones from the database (they committed before it),
 * and a message at or below the last one delivered is dropped. The same fill
 * runs after a Redis outage, so live feeds get what was stored meanwhile.
 */
export class OrderedPubSub implements PubSub {
  private channels = new Map<string, ChannelState>();

  constructor(
    private readonly inner: PubSub,
    private readonly store: MessageStore,
    private readonly log: Logger,
  ) {}

  publish<K extends TopicKind>(kind: K, id: string, payload: TopicMap[K]): Promise<void> {
    return this.inner.publish(kind, id, payload);
  }

  async subscribe<K extends TopicKind>(kind: K, id: string, handler: (payload: TopicMap[K]) => void): Promise<Unsubscribe> {
    if (kind !== 'channel') return this.inner.subscribe(kind, id, handler);
    const h = handler as unknown as Handler;
    let state = this.channels.get(id);
    if (!state) state = this.open(id);
    state.handlers.add(h);
    await state.ready;
    const s = state;
    return async () => {
      s.handlers.delete(h);
      if (s.handlers.size > 0 || this.channels.get(id) !== s) return;
      this.channels.delete(id);
      await (
        await s.unsubscribe
      )?.();
    };
  }

  private open(channelId: string): ChannelState {
    const state: ChannelState = { handlers: new Set(), last: 0n, chain: Promise.resolve(), ready: Promise.resolve(), unsubscribe: null };
    this.channels.set(channelId, state);
    state.ready = (async () => {
      // The head is read before subscribing; whatever is stored after it and
      // published before the subscription took effect is fetched just below.
      state.last = await this.store.head(channelId).catch(() => UNKNOWN);
      state.unsubscribe = this.inner.subscribe('channel', channelId, (e) => this.enqueue(channelId, state, e));
      await state.unsubscribe;
    })();
    state.chain = state.ready.then(() => this.fill(channelId, state, null));
    return state;
  }

  /** After Redis returns: deliver what was stored while it was down. */
  catchUp(): void {
    for (const [channelId, state] of this.channels) {
      state.chain = state.chain.then(() => this.fill(channelId, state, null));
    }
  }

  private enqueue(channelId: string, state: ChannelState, event: ChannelEvent) {
    state.chain = state.chain
      .then(() => this.handle(channelId, state, event))
      .catch((err) => this.log.error({ err, channelId }, 'delivery failed'));
  }

  private async handle(channelId: string, state: ChannelState, event: ChannelEvent) {
    if (event.type === 'message' && advances(event.message)) {
      const seq = BigInt(event.message.seq!);
      if (state.last === UNKNOWN) state.last = seq - 1n;
      if (seq <= state.last) return;
      if (seq > state.last + 1n) await this.fill(channelId, state, seq);
      if (seq <= state.last) return;
      state.last = seq;
    }
    this.deliver(state, event);
  }

  /** Delivers stored messages after the last delivered one (and before `before`). */
  private async fill(channelId: string, state: ChannelState, before: bigint | null) {
    if (state.last === UNKNOWN) return;
    let missing: ChatMessage[];
    try {
      missing = await this.store.between(channelId, state.last, before);
    } catch (err) {
      this.log.warn({ err, channelId }, 'could not fetch missing messages; delivering out of sequence');
      return;
    }
    if (missing.length)
      this.log.debug({ channelId, count: missing.length, before: before?.toString() ?? null }, 'filled a gap from the database');
    for (const message of missing) {
      state.last = BigInt(message.seq!);
      this.deliver(state, { type: 'message', message });
    }
  }

  private deliver(state: ChannelState, event: ChannelEvent) {
    for (const h of [...state.handlers]) {
      try {
        h(event);
      } catch (err) {
        this.log.error({ err }, 'subscriber failed');
      }
    }
  }

  healthy(): boolean {
    return this.inner.healthy();
  }

  async close(): Promise<void> {
    this.channels.clear();
    await this.inner.close();
  }
}
