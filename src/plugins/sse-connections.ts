import type { Plugin } from 'graphql-yoga';
import { AppError } from '../lib/errors.js';
import type { Context, ServerContext } from '../schema/context.js';
import { once } from '../lib/ref-counts.js';
import { toGraphQLError } from './errors.js';

/**
 * A subscription over HTTP (Server-Sent Events) holds a response of its own,
 * so it counts as one realtime connection of its user for
 * MAX_CONNECTIONS_PER_USER, until the response closes. Over WebSocket the
 * socket was counted at init (there is no `res`) and its subscriptions are
 * limited by MAX_SUBSCRIPTIONS_PER_CONNECTION instead.
 */
export function sseConnectionsPlugin(): Plugin<Context & ServerContext> {
  return {
    async onSubscribe({ context, setResultAndStopExecution }) {
      const { res, viewer } = context;
      // Without a viewer the field itself refuses (UNAUTHENTICATED); there is nobody to count.
      if (!res || !viewer) return;
      let release: () => void;
      try {
        release = once(await context.deps.connections.acquire(viewer.userId));
      } catch (e) {
        if (!(e instanceof AppError) || e.code !== 'RATE_LIMITED') throw e;
        context.deps.counters.bump(context.deps.counters.rateLimited, 'connections');
        // SSE has no close code: the refusal is the stream's one result.
        const hint = ' Each subscription over Server-Sent Events counts as one; one WebSocket carries many.';
        setResultAndStopExecution({ errors: [toGraphQLError(new AppError(e.code, e.message + hint, e.details))] });
        return;
      }
      const { counters, log } = context.deps;
      counters.sseStreams++;
      log.debug({ userId: viewer.userId, sessionId: viewer.sessionId }, 'sse stream opened');
      const acquired = release;
      release = once(() => {
        counters.sseStreams--;
        log.debug({ sessionId: viewer.sessionId }, 'sse stream closed');
        acquired();
      });
      // The response closing covers every ending: completion, a client abort, a stream that failed.
      res.once('close', release);
      if (res.closed) release();
      return {
        onSubscribeResult({ result }) {
          // The resolver refused (an error result, not a stream): nothing stays open.
          if (!(Symbol.asyncIterator in result)) release();
          return { onEnd: release };
        },
      };
    },
  };
}
