/** How tasks of one kind are run together: see KeyedMutex.batch. */
export interface BatchKind<I, R> {
  /** Most items in one batch. */
  max: number;
  /** Runs the items in order and settles each one on its own. */
  run(key: string, items: I[]): Promise<PromiseSettledResult<R>[]>;
}

interface OpenBatch {
  kind: BatchKind<unknown, unknown>;
  items: unknown[];
  settle: { resolve(v: unknown): void; reject(e: unknown): void }[];
}

/** Work serialized per key (a channel); Deps names this, not the class below. */
export interface ChannelLock {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
  /** Joins the batch of `kind` that has not started yet for the key (or opens one); resolves with this item's result. */
  batch<I, R>(key: string, kind: BatchKind<I, R>, item: I): Promise<R>;
  queued(key: string): number;
  idle(): Promise<void>;
}

/** Runs tasks with the same key one after another, in call order; different keys run freely. */
export class KeyedMutex implements ChannelLock {
  private tails = new Map<string, Promise<unknown>>();
  /** Per key, the batch that has not started yet and still takes items. */
  private open = new Map<string, OpenBatch>();
  private waiting = new Map<string, number>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    // A task queued after a batch closes it: later items must not run before this task.
    this.open.delete(key);
    this.count(key, 1);
    return this.enqueue(key, () => {
      this.count(key, -1);
      return task();
    });
  }

  /** Tasks and batch items of a key that have not started yet. */
  queued(key: string): number {
    return this.waiting.get(key) ?? 0;
  }

  private count(key: string, n: number) {
    const left = (this.waiting.get(key) ?? 0) + n;
    if (left) this.waiting.set(key, left);
    else this.waiting.delete(key);
  }

  /**
   * Queues an item like a task, but items of one kind that queue up while
   * the key is busy run as one batch when their turn comes (group commit).
   * Order holds: a batch runs where its first item queued, and any task
   * queued after that item starts a new batch for later items.
   */
  batch<I, R>(key: string, kind: BatchKind<I, R>, item: I): Promise<R> {
    let b = this.open.get(key);
    if (!b || b.kind !== kind || b.items.length >= kind.max) {
      const fresh: OpenBatch = { kind: kind as BatchKind<unknown, unknown>, items: [], settle: [] };
      this.open.set(key, fresh);
      void this.enqueue(key, async () => {
        if (this.open.get(key) === fresh) this.open.delete(key);
        this.count(key, -fresh.items.length);
        const results = await fresh.kind
          .run(key, fresh.items)
          .catch((reason: unknown) => fresh.items.map((): PromiseSettledResult<unknown> => ({ status: 'rejected', reason })));
        results.forEach((r, i) => (r.status === 'fulfilled' ? fresh.settle[i]!.resolve(r.value) : fresh.settle[i]!.reject(r.reason)));
      });
      b = fresh;
    }
    const open = b;
    this.count(key, 1);
    return new Promise<R>((resolve, reject) => {
      open.items.push(item);
      open.settle.push({ resolve: resolve as (v: unknown) => void, reject });
    });
  }

  private enqueue<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.then(
      () => {},
      () => {},
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Resolves when every task started so far has settled. */
  async idle(): Promise<void> {
    while (this.tails.size) await Promise.all(this.tails.values());
  }
}
