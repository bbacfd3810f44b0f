import type { Deps } from '../deps.js';
import type { Caller } from './registry.js';
import type { HookInputs, HookOperation, HookResults } from './types.js';

/**
 * Runs an operation between its hooks: before hooks may change or refuse the
 * input before `run` stores or publishes anything; after hooks see the result
 * without being able to fail it.
 */
export async function withHooks<Op extends HookOperation>(
  deps: Deps,
  op: Op,
  caller: Caller,
  input: HookInputs[Op],
  run: (input: HookInputs[Op]) => Promise<HookResults[Op]>,
): Promise<HookResults[Op]> {
  if (!deps.hooks.has(op)) return run(input);
  const final = await deps.hooks.runBefore(op, caller, input);
  const result = await run(final);
  deps.hooks.runAfter(op, caller, final, result);
  return result;
}
