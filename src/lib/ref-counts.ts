/** A function that does its work the first time it is called and nothing after, however many paths end the same thing. */
export function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}

/** How many holders each key has now (open connections of a session, sockets of an address); keys with none are not kept. */
export class RefCounts<K> {
  private readonly counts = new Map<K, number>();

  /** Adds a holder of `key`. Its release counts once however often it is called; `onLast` runs when the key's last holder releases. */
  hold(key: K, onLast?: () => void): () => void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    return once(() => {
      const left = (this.counts.get(key) ?? 1) - 1;
      if (left > 0) return void this.counts.set(key, left);
      this.counts.delete(key);
      onLast?.();
    });
  }

  count(key: K): number {
    return this.counts.get(key) ?? 0;
  }

  keys(): IterableIterator<K> {
    return this.counts.keys();
  }

  clear(): void {
    this.counts.clear();
  }
}
