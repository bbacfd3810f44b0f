/** A budget shared by several queues (one connection's subscriptions). */
export interface SharedBudget {
  take(): boolean;
  give(n?: number): void;
}

/**
 * A bounded async queue that is also an AsyncIterableIterator, the shape
 * GraphQL subscriptions consume. When a consumer falls `limit` items behind,
 * the queue ends with `overflowError` instead of growing without bound.
 */
export class BoundedQueue<T> implements AsyncIterableIterator<T> {
  private items: T[] = [];
  private waiting: ((r: IteratorResult<T>) => void) | null = null;
  private failWaiting: ((e: unknown) => void) | null = null;
  private done = false;
  private error: unknown = null;
  private cleanups: (() => void)[] = [];
  private sink: ((item: T) => void) | null = null;
  private settle: { resolve: () => void; reject: (e: unknown) => void } | null = null;

  constructor(
    private readonly limit: number,
    private readonly overflowError: () => Error,
    private readonly shared: SharedBudget | null = null,
  ) {}

  /** Ended, by end(), fail() or the consumer. */
  get isDone(): boolean {
    return this.done;
  }

  /** Runs once, when the queue ends for any reason. */
  onEnd(fn: () => void): void {
    if (this.done) fn();
    else this.cleanups.push(fn);
  }

  push(item: T): void {
    if (this.done) return;
    if (this.sink) {
      this.sink(item);
      return;
    }
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = this.failWaiting = null;
      resolve({ value: item, done: false });
      return;
    }
    if (this.items.length >= this.limit || (this.shared && !this.shared.take())) {
      this.fail(this.overflowError());
      return;
    }
    this.items.push(item);
  }

  /** Ends the stream with an error the consumer sees after the queued items. */
  fail(error: unknown): void {
    if (this.done) return;
    this.error = error;
    this.drop();
    this.finish();
    if (this.failWaiting) {
      const reject = this.failWaiting;
      this.waiting = this.failWaiting = null;
      reject(error);
    }
    if (this.settle) {
      this.error = null;
      this.settle.reject(error);
      this.settle = null;
    }
  }

  end(): void {
    if (this.done) return;
    this.finish();
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = this.failWaiting = null;
      resolve({ value: undefined, done: true });
    }
    this.settle?.resolve();
    this.settle = null;
  }

  /**
   * Hands every item to `sink` as it is pushed (those already queued first)
   * instead of keeping it for next(): no promise and no queue entry per item,
   * for consumers that write at once. Resolves when the queue ends; rejects
   * with the error it failed with.
   */
  pipe(sink: (item: T) => void): Promise<void> {
    const queued = this.items;
    this.items = [];
    this.shared?.give(queued.length);
    for (const item of queued) sink(item);
    if (this.error) {
      const e = this.error;
      this.error = null;
      return Promise.reject(e);
    }
    if (this.done) return Promise.resolve();
    this.sink = sink;
    return new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
    });
  }

  private drop(): void {
    this.shared?.give(this.items.length);
    this.items = [];
  }

  private finish(): void {
    this.done = true;
    for (const fn of this.cleanups.splice(0)) fn();
  }

  next(): Promise<IteratorResult<T>> {
    const item = this.items.shift();
    if (item !== undefined) {
      this.shared?.give();
      return Promise.resolve({ value: item, done: false });
    }
    if (this.error) {
      const e = this.error;
      this.error = null;
      return Promise.reject(e);
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failWaiting = reject;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.drop();
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error: unknown): Promise<IteratorResult<T>> {
    this.fail(error);
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/** A source stream that can hand its events over as they come (BoundedQueue). */
export interface Pipeable extends AsyncIterableIterator<unknown> {
  pipe(sink: (event: unknown) => void): Promise<void>;
  fail(error: unknown): void;
}

export function isPipeable(stream: object): stream is Pipeable {
  return typeof (stream as Partial<Pipeable>).pipe === 'function' && typeof (stream as Partial<Pipeable>).fail === 'function';
}
