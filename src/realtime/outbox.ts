/** The close code a WebSocket gets when its client stops reading (documented in the README). */
export const SLOW_CONSUMER_CLOSE_CODE = 4413;

/**
 * One connection's outgoing budget: events queued for it across all its
 * subscriptions, and direct frames written but not yet taken by the kernel
 * (graphql-ws's own sends wait to be flushed instead). When a client stops
 * reading, the budget runs out and the connection is closed instead of
 * growing the server's memory.
 */
export class Outbox {
  private used = 0;
  private overflowed = false;

  constructor(
    readonly limit: number,
    private readonly onOverflow: () => void,
  ) {}

  /** Reserves room for one queued event; false (and the connection closes) when full. */
  take(): boolean {
    if (this.overflowed) return false;
    if (this.used >= this.limit) {
      this.overflowed = true;
      this.onOverflow();
      return false;
    }
    this.used++;
    return true;
  }

  give(n = 1): void {
    this.used = Math.max(0, this.used - n);
  }

  get queued(): number {
    return this.used;
  }
}
