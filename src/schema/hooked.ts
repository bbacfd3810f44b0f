import type { Viewer } from '../domain/viewer.js';
import { withHooks } from '../hooks/run.js';
import type { HookInputs, HookOperation, HookResults } from '../hooks/types.js';
import type { RateLimitName } from '../limits/rate-limits.js';
import { viewerOf, type Context } from './context.js';

export interface HookedSteps<Op extends HookOperation, P> {
  /** Consumed for the viewer before anything else is looked at. */
  limit?: RateLimitName;
  /** Checks and parses the input (BAD_USER_INPUT, NOT_FOUND): what the client sent, and again what before hooks changed. */
  parse: (input: HookInputs[Op]) => P;
  /** What hooks see of the parsed input, in the public hook types. */
  show: (parsed: P) => HookInputs[Op];
}

/**
 * The steps of every operation operators can hook, in one order: the viewer
 * (UNAUTHENTICATED without one), the rate limit, the input checked, the
 * before hooks, the input checked again if they may have changed it, the
 * service (`run`), the after hooks. So hooks only ever see valid input, and
 * what they change is held to the same rules as what clients send.
 */
export async function resolveHooked<Op extends HookOperation, P, R extends HookResults[Op]>(
  ctx: Context,
  op: Op,
  steps: HookedSteps<Op, P>,
  input: HookInputs[Op],
  run: (viewer: Viewer, parsed: P) => Promise<R>,
): Promise<R> {
  const viewer = viewerOf(ctx);
  if (steps.limit) await ctx.deps.rateLimits.consume(steps.limit, viewer.userId);
  const parsed = steps.parse(input);
  const caller = { viewer, clientAddress: ctx.clientAddress };
  return withHooks(ctx.hooks, op, caller, steps.show(parsed), (final, hooked) => run(viewer, hooked ? steps.parse(final) : parsed));
}
