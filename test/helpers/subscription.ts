import type { Client } from 'graphql-ws';

type Item = { kind: 'next'; value: any } | { kind: 'error'; error: unknown } | { kind: 'complete' };

/**
 * One subscription's events, in order. `next()` waits for the next event up
 * to a deadline; nothing here sleeps for a fixed time.
 */
export class Subscription {
  private items: Item[] = [];
  private waiters: (() => void)[] = [];
  private readonly dispose: () => void;
  /** Resolves once the server has acknowledged the subscription with its first event, or errored. */

  constructor(client: Client, query: string, variables: Record<string, unknown>) {
    this.dispose = client.subscribe(
      { query, variables },
      {
        next: (value) => this.add({ kind: 'next', value }),
        error: (error) => this.add({ kind: 'error', error }),
        complete: () => this.add({ kind: 'complete' }),
      },
    );
  }

  private add(item: Item) {
    this.items.push(item);
    for (const w of this.waiters.splice(0)) w();
  }

  private async take(timeoutMs: number): Promise<Item> {
    const deadline = Date.now() + timeoutMs;
    while (this.items.length === 0) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no subscription event within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.items.shift()!;
  }

  /** The next result's data (the subscription field's value), failing on errors. */
  async next(timeoutMs = 5000): Promise<any> {
    const item = await this.take(timeoutMs);
    if (item.kind !== 'next')
      throw new Error(`expected an event, got ${item.kind}: ${JSON.stringify(item.kind === 'error' ? item.error : null)}`);
    if (item.value.errors) throw new Error(`event carried errors: ${JSON.stringify(item.value.errors)}`);
    const data = item.value.data;
    return data[Object.keys(data)[0]!];
  }

  /** The error that ended the subscription (the GraphQL errors array, or a close event). */
  async error(timeoutMs = 5000): Promise<any> {
    const item = await this.take(timeoutMs);
    if (item.kind === 'error') return item.error;
    if (item.kind === 'next' && item.value.errors) return item.value.errors;
    throw new Error(`expected an error, got ${JSON.stringify(item)}`);
  }

  /** Resolves when the server completes the subscription. */
  async complete(timeoutMs = 5000): Promise<void> {
    const item = await this.take(timeoutMs);
    if (item.kind !== 'complete') throw new Error(`expected complete, got ${JSON.stringify(item)}`);
  }

  /** Events received and not yet taken. */
  get pending(): number {
    return this.items.length;
  }

  close() {
    this.dispose();
  }
}
