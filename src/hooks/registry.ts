import { AppError, type ErrorCode } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import type { Viewer } from '../domain/viewer.js';
import type { AfterHook, BeforeHook, HookInputs, HookOperation, HookResults, ParleyHooks, RejectCode } from './types.js';

export const HOOK_OPERATIONS: readonly HookOperation[] = [
  'joinChat',
  'leaveChat',
  'sendMessage',
  'updateMessage',
  'removeMessage',
  'channelMessages',
];

const REJECT_CODES: readonly ErrorCode[] = ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'BAD_USER_INPUT', 'CONFLICT', 'RATE_LIMITED'];

/** Who is calling, as the transport saw it. */
export interface Caller {
  viewer: Viewer;
  clientAddress: string;
}

type AnyBefore = BeforeHook<HookOperation>;
type AnyAfter = AfterHook<HookOperation>;

/**
 * The registered hooks of one app. Before hooks run in registration order,
 * each seeing the input as the previous one left it; after hooks run in the
 * background and are awaited only at shutdown.
 */
export class HookRegistry {
  private readonly before = new Map<HookOperation, AnyBefore[]>();
  private readonly after = new Map<HookOperation, AnyAfter[]>();
  private readonly pending = new Set<Promise<void>>();

  constructor(
    sets: ParleyHooks[],
    private readonly log: Logger,
    /** Called when a hook throws (not when it rejects on purpose). */
    private readonly onFailure: (operation: HookOperation, stage: 'before' | 'after') => void = () => {},
  ) {
    for (const set of sets) {
      this.add(this.before, set.before, 'before');
      this.add(this.after, set.after, 'after');
    }
  }

  /** Refuses misspelt operations and non-functions at start-up rather than silently never calling them. */
  private add<H>(into: Map<HookOperation, H[]>, hooks: object | undefined, kind: string) {
    if (hooks === undefined) return;
    if (typeof hooks !== 'object' || hooks === null) throw new TypeError(`hooks.${kind} must be an object`);
    for (const [op, fn] of Object.entries(hooks)) {
      if (!HOOK_OPERATIONS.includes(op as HookOperation)) {
        throw new TypeError(`hooks.${kind}.${op}: unknown operation; expected one of ${HOOK_OPERATIONS.join(', ')}`);
      }
      if (fn === undefined) continue;
      if (typeof fn !== 'function') throw new TypeError(`hooks.${kind}.${op} must be a function`);
      const list = into.get(op as HookOperation) ?? [];
      list.push(fn as H);
      into.set(op as HookOperation, list);
    }
  }

  has(op: HookOperation): boolean {
    return this.before.has(op) || this.after.has(op);
  }

  /** Whether before hooks may have changed an operation's input (in place or by returning changes). */
  changes(op: HookOperation): boolean {
    return this.before.has(op);
  }

  async runBefore<Op extends HookOperation>(op: Op, caller: Caller, input: HookInputs[Op]): Promise<HookInputs[Op]> {
    let current = input;
    for (const hook of (this.before.get(op) ?? []) as BeforeHook<Op>[]) {
      let changed;
      try {
        changed = await hook({ ...this.args(op, caller), input: current, reject: (code, message) => this.reject(op, code, message) });
      } catch (e) {
        if (!(e instanceof AppError)) this.onFailure(op, 'before');
        throw e;
      }
      if (changed === undefined || changed === null) continue;
      if (typeof changed !== 'object') throw new TypeError(`before hook of ${op} returned ${typeof changed}; return an object or nothing`);
      current = { ...current, ...changed };
    }
    return current;
  }

  runAfter<Op extends HookOperation>(op: Op, caller: Caller, input: HookInputs[Op], result: HookResults[Op]): void {
    for (const hook of (this.after.get(op) ?? []) as AfterHook<Op>[]) {
      const run = Promise.resolve()
        .then(() => hook({ ...this.args(op, caller), input, result }))
        .catch((err) => {
          this.onFailure(op, 'after');
          this.log.error({ err, operation: op, userId: caller.viewer.userId }, `after hook of ${op} failed`);
        })
        .finally(() => this.pending.delete(run));
      this.pending.add(run);
    }
  }

  /** Resolves when every after hook started so far has finished. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all(this.pending);
  }

  private args<Op extends HookOperation>(op: Op, caller: Caller) {
    return {
      operation: op,
      viewer: caller.viewer,
      session: { id: caller.viewer.sessionId, clientAddress: caller.clientAddress },
      log: this.log.child({ hook: op }),
    };
  }

  private reject(op: HookOperation, code: RejectCode, message: string): never {
    if (!REJECT_CODES.includes(code)) {
      // A typo in a plain-JS hook must not let the operation through; refuse with the generic code.
      this.log.warn({ operation: op, code }, `before hook of ${op} rejected with unknown code ${String(code)}; using FORBIDDEN`);
      code = 'FORBIDDEN';
    }
    throw new AppError(code, String(message || 'Refused by a server hook.'));
  }
}
