import type { DirectSink } from '../schema/context.js';

/** A source stream that can hand its events over as they come (BoundedQueue). */
export interface Pipeable extends AsyncIterableIterator<unknown> {
  pipe(sink: (event: unknown) => void): Promise<void>;
  fail(error: unknown): void;
}

export function isPipeable(stream: object): stream is Pipeable {
  return typeof (stream as Partial<Pipeable>).pipe === 'function' && typeof (stream as Partial<Pipeable>).fail === 'function';
}

export function isPromise<T>(x: T | Promise<T>): x is Promise<T> {
  return typeof (x as Partial<Promise<T>>)?.then === 'function';
}

const DONE: IteratorResult<never> = { value: undefined, done: true };

// Direct streams by the context of their operation, until the transport takes them.
const handedOver = new WeakMap<object, DirectStream>();

/** Leaves the direct stream of an operation for its transport to take (takeDirectStream). */
export function handOver(context: unknown, stream: DirectStream): void {
  if (typeof context === 'object' && context !== null) handedOver.set(context, stream);
}

/**
 * The direct stream an operation's subscribe made, for the transport to
 * iterate as is. Envelop wraps every subscription's iterator (masking each
 * result, reporting errors to plugins), several objects and promises that
 * live as long as the subscription; a direct stream yields nothing and masks
 * its own error, so those wrappers have nothing to do.
 */
export function takeDirectStream(context: unknown): DirectStream | undefined {
  if (typeof context !== 'object' || context === null) return undefined;
  const stream = handedOver.get(context);
  handedOver.delete(context);
  return stream;
}

/**
 * Writes each event's shared payload to the socket as the event arrives: no
 * async iterator step, promise or result object per subscriber. What the
 * transport iterates yields nothing and only settles when the stream ends
 * (then graphql-ws sends `complete`, or `error` if the stream failed).
 *
 * A class rather than closures: one of these lives as long as each
 * subscription, and fields on one object cost less memory than a closure per
 * method and a promise per handler.
 */
export class DirectStream implements AsyncIterableIterator<never> {
  /** Payloads still being computed, so later events wait their turn. */
  private pending: (Buffer | Promise<Buffer>)[] | null = null;
  private failure: Error | null = null;
  /** Never rejects, so a stream that fails before the transport asks for it is not an unhandled rejection. */
  private readonly ended: Promise<void>;

  constructor(
    private readonly stream: Pipeable,
    private readonly direct: DirectSink,
    private readonly payloadFor: (event: unknown) => Buffer | Promise<Buffer>,
    /** The error the client sees when the stream fails, masked. */
    toError: (error: unknown) => Error,
  ) {
    this.ended = stream.pipe((event) => this.onEvent(event)).then(undefined, (error) => void (this.failure = toError(error)));
  }

  private onEvent(event: unknown) {
    let payload: Buffer | Promise<Buffer>;
    try {
      payload = this.payloadFor(event);
    } catch (err) {
      this.stream.fail(err);
      return;
    }
    if (this.pending === null && !isPromise(payload)) return this.write(payload);
    (this.pending ??= []).push(payload);
    if (this.pending.length === 1) void this.drain();
  }

  private write(payload: Buffer) {
    if (!this.direct.write(payload)) this.stream.fail(new Error('Subscription ended: the connection fell too far behind.'));
  }

  private async drain() {
    try {
      while (this.pending && this.pending.length) {
        this.write(await this.pending[0]!);
        this.pending.shift();
      }
      this.pending = null;
    } catch (err) {
      this.pending = null;
      this.stream.fail(err);
    }
  }

  next(): Promise<IteratorResult<never>> {
    return this.ended.then(() => {
      if (this.failure) throw this.failure;
      return DONE;
    });
  }

  async return(): Promise<IteratorResult<never>> {
    await this.stream.return?.();
    return DONE;
  }

  async throw(error: unknown): Promise<IteratorResult<never>> {
    await this.stream.return?.();
    throw error;
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}
