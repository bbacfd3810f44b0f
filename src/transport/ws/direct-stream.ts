import { isPromise } from '../../lib/promise.js';
import type { Pipeable } from '../../lib/queue.js';

/** Where a direct stream writes: one operation's `next` messages on its socket. */
export interface NextWriter {
  /** Sends one `next` message with this JSON payload; false when the connection's backlog is full (it is being closed). */
  write(payload: Buffer): boolean;
}

const DONE: IteratorResult<never> = { value: undefined, done: true };

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
    private readonly direct: NextWriter,
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
