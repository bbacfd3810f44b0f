import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from '../lib/logger.js';
import { HookRegistry } from './registry.js';
import type { HookModule, ParleyHooks } from './types.js';

/**
 * Imports HOOKS_MODULE (a path relative to the working directory) and returns
 * its hooks. Any failure is rethrown naming the module, so start-up stops
 * with the module's own error.
 */
export async function loadHooksModule(path: string, log: Logger): Promise<ParleyHooks> {
  const url = pathToFileURL(resolve(process.cwd(), path)).href;
  try {
    const mod = (await import(url)) as { default?: HookModule };
    const exported = mod.default;
    if (exported === undefined) throw new TypeError('it has no default export; export default { before: {...}, after: {...} }');
    const hooks = typeof exported === 'function' ? await exported({ log: log.child({ hooksModule: path }), env: process.env }) : exported;
    if (typeof hooks !== 'object' || hooks === null) throw new TypeError('its default export did not give an object of hooks');
    new HookRegistry([hooks], log); // only to check the shape here, where the error can name the module
    return hooks;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`HOOKS_MODULE ${path} failed to load: ${reason}`, { cause: err });
  }
}
