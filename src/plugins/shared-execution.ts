import { buildExecutionContext, execute } from '@graphql-tools/executor';
import { mapAsyncIterator } from '@graphql-tools/utils';
import {
  createSourceEventStream,
  getOperationAST,
  GraphQLError,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../schema/context.js';
import { isSharedField } from '../schema/sharing.js';
import { isPromise } from '../lib/promise.js';
import { isPipeable } from '../lib/queue.js';

/**
 * The context a shared execution runs with: a selection is shared only when
 * every field it reaches is declared `shared` (schema/sharing.ts), and such a
 * field must not read the context. One that does fails (masked as an internal
 * error and logged) instead of sending one viewer's answer to every subscriber.
 */
const NO_CONTEXT: object = new Proxy(
  {},
  {
    get(_, key) {
      if (typeof key === 'symbol' || key === 'then') return undefined;
      throw new Error(`A field declared shared (schema/sharing.ts) read the context (${key}); it must read only its parent.`);
    },
  },
);

export interface SharedExecutionStats {
  /** Selections executed for an event (once per event, document and variables when shared). */
  executed: number;
  /** Deliveries that reused another subscriber's execution. */
  reused: number;
  /** Deliveries written straight to a WebSocket from a payload serialized once. */
  direct: number;
}

/**
 * Subscribers that receive the same event object with the same document,
 * operation name and variables share one execution of the selection, instead
 * of one per subscriber (the cost that bounds fan-out). Over SSE the result is
 * shared read-only: the plugins after it (error masking, SSE) build new
 * objects from it. Over WebSocket it is also masked and serialized once, and
 * each subscriber's frame is written straight to its socket (DirectSink).
 */
export function sharedExecutionPlugin(
  maskError: (error: unknown) => Error,
  /** Runs the selection compiled, or returns null to leave it to graphql-tools' executor. */
  compiled: (args: ExecutionArgs, event: unknown) => ExecutionResult | Promise<ExecutionResult> | null = () => null,
): { plugin: Plugin; stats: SharedExecutionStats } {
  const stats: SharedExecutionStats = { executed: 0, reused: 0, direct: 0 };
  const executeOn = (subscriberArgs: ExecutionArgs, event: unknown) => {
    const args = { ...subscriberArgs, contextValue: NO_CONTEXT };
    return compiled(args, event) ?? (execute({ ...args, rootValue: event }) as ExecutionResult | Promise<ExecutionResult>);
  };
  // Keyed by the event's identity, so entries go when the event is collected.
  const shared = new WeakMap<object, Map<string, Shared>>();
  // A number per document (yoga's parser cache hands every request with the same text the same one), for short keys.
  const documentIds = new WeakMap<DocumentNode, number>();
  let nextDocumentId = 0;
  const safe = new WeakMap<DocumentNode, Map<string, boolean>>();

  function isShareable(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined): boolean {
    let byName = safe.get(document);
    if (!byName) safe.set(document, (byName = new Map()));
    const known = byName.get(operationName ?? '');
    if (known !== undefined) return known;
    const ok = contextFree(schema, document, operationName);
    byName.set(operationName ?? '', ok);
    return ok;
  }

  /** The execution of `args` on `event`, shared by every subscriber with the same key. */
  function entryFor(args: ExecutionArgs, key: string, event: object): Shared {
    let byKey = shared.get(event);
    if (!byKey) shared.set(event, (byKey = new Map()));
    let entry = byKey.get(key);
    if (entry) {
      stats.reused++;
      return entry;
    }
    stats.executed++;
    entry = { result: executeOn(args, event), payload: null };
    byKey.set(key, entry);
    return entry;
  }

  /** The `next` payload as graphql-ws would send it (errors masked as yoga masks them), serialized once. */
  function payloadOf(entry: Shared): Buffer | Promise<Buffer> {
    if (entry.payload) return entry.payload;
    const serialize = (r: ExecutionResult) => {
      const out = r.errors ? { ...r, errors: r.errors.map((e) => toJSON(maskError(e))) } : r;
      return Buffer.from(JSON.stringify(out));
    };
    entry.payload = isPromise(entry.result) ? entry.result.then(serialize) : serialize(entry.result);
    return entry.payload;
  }

  function sharedSubscribe(args: ExecutionArgs) {
    // Arguments that fail (e.g. variables that do not coerce) get the executor's own answer, before any resolver runs.
    if (Array.isArray(buildExecutionContext(args))) return null;
    let doc = documentIds.get(args.document);
    if (doc === undefined) documentIds.set(args.document, (doc = nextDocumentId++));
    const key = `${args.operationName ?? ''}\n${stableStringify(args.variableValues ?? {})}\n${doc}`;
    const toError = (error: unknown) => {
      // The same error as the executor's own subscribe gives when the source stream throws (e.g. a slow consumer).
      const e = error instanceof Error ? error : new Error(String(error));
      const operation = getOperationAST(args.document, args.operationName);
      return new GraphQLError(e.message, { originalError: e, ...(operation ? { nodes: [operation] } : {}) });
    };
    return (async () => {
      const stream = await createSourceEventStream(args);
      if (!isAsyncIterable(stream)) return stream;
      const direct = (args.contextValue as Partial<Context> | undefined)?.direct;
      if (direct && isPipeable(stream)) {
        return direct.pipe(
          stream,
          (event) => {
            stats.direct++;
            return typeof event === 'object' && event !== null
              ? payloadOf(entryFor(args, key, event))
              : payloadOf({ result: executeOn(args, event), payload: null });
          },
          (error) => maskError(toError(error)),
        );
      }
      return mapAsyncIterator(
        stream,
        (event: unknown) => {
          if (typeof event !== 'object' || event === null) {
            stats.executed++;
            return executeOn(args, event);
          }
          return entryFor(args, key, event).result;
        },
        (error: unknown) => {
          throw toError(error);
        },
      );
    })();
  }

  const plugin: Plugin = {
    onSubscribe({ args, subscribeFn, setSubscribeFn }) {
      if (!isShareable(args.schema, args.document, args.operationName)) return;
      setSubscribeFn(((a: ExecutionArgs) => sharedSubscribe(a) ?? subscribeFn(a)) as typeof subscribeFn);
    },
  };
  return { plugin, stats };
}

interface Shared {
  result: ExecutionResult | Promise<ExecutionResult>;
  payload: Buffer | Promise<Buffer> | null;
}

function toJSON(error: Error) {
  return error instanceof GraphQLError ? error.toJSON() : { message: error.message };
}

/** Whether every field the operation selects (fragments included) is declared shared. */
function contextFree(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined): boolean {
  const operation = getOperationAST(document, operationName);
  if (operation?.operation !== 'subscription') return false;
  const typeInfo = new TypeInfo(schema);
  let ok = true;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      OperationDefinition(node) {
        // Only the chosen operation runs; the others do not matter.
        if (node !== operation) return false;
        return undefined;
      },
      Field(node) {
        if (node.name.value === '__typename') return;
        const field = typeInfo.getFieldDef();
        if (!field || !isSharedField(field)) ok = false;
      },
    }),
  );
  return ok;
}

function isAsyncIterable(x: unknown): x is AsyncIterable<unknown> {
  return typeof x === 'object' && x !== null && Symbol.asyncIterator in x;
}

/** JSON with object keys sorted, so `{a, b}` and `{b, a}` give one key. */
function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableStringify(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
