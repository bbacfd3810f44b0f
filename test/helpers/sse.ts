import type { GqlResult } from './server.js';
import { operationText, type Operation } from './operation.js';

/** One subscription over Server-Sent Events (POST, Accept: text/event-stream). */
export interface SseStream {
  /** The next `data:` event's result, waiting up to a deadline (the stream stays open if none came). */
  next(timeoutMs?: number): Promise<GqlResult>;
  /** Ends the stream from the client's side, as a closed tab would. */
  abort(): void;
}

export async function sse(url: string, token: string, query: Operation, variables: Record<string, unknown> = {}): Promise<SseStream> {
  const controller = new AbortController();
  const res = await fetch(url, {
    method: 'POST',
    signal: controller.signal,
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: operationText(query), variables }),
  });
  const events: GqlResult[] = [];
  let ended = false;
  let wake = () => {};
  // One reader for the stream's life; next() only waits on what it has parsed.
  void (async () => {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
        // Events are separated by a blank line; keep those that carry data.
        for (let end = text.indexOf('\n\n'); end >= 0; end = text.indexOf('\n\n')) {
          const data = text
            .slice(0, end)
            .split('\n')
            .find((l) => l.startsWith('data:') && l.length > 5);
          text = text.slice(end + 2);
          if (data) events.push(JSON.parse(data.slice(5)) as GqlResult);
        }
        wake();
      }
    } catch {
      // Aborted by the client.
    } finally {
      ended = true;
      wake();
    }
  })();
  return {
    async next(timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (events.length === 0) {
        if (ended) throw new Error('SSE stream ended without another event');
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no SSE event within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          wake = () => (clearTimeout(timer), resolve());
        });
      }
      return events.shift()!;
    },
    abort: () => controller.abort(),
  };
}
