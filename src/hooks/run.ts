import type { Caller, HookRegistry } from './registry.js';
import type { HookInputs, HookOperation, HookResults } from './types.js';

/**
 * Runs an operation between its hooks: before hooks may change or refuse the
 * input before `run` stores or publishes anything; after hooks see the result
 * without being able to fail it. `run` learns whether before hooks ran, so
 * what the edge parsed and checked is checked again only then.
 */
export async function withHooks<Op extends HookOperation, R extends HookResults[Op]>(
  hooks: HookRegistry,
  op: Op,
  caller: Caller,
  input: HookInputs[Op],
  run: (input: HookInputs[Op], hooked: boolean) => Promise<R>,
): Promise<R> {
  if (!hooks.has(op)) return run(input, false);
  const final = await hooks.runBefore(op, caller, input);
  const result = await run(final, hooks.changes(op));
  hooks.runAfter(op, caller, final, result);
  return result;
}
