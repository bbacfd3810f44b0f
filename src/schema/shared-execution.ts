import { buildExecutionContext, execute } from '@graphql-tools/executor';
import { mapAsyncIterator } from '@graphql-tools/utils';
import {
  createSourceEventStream,
  getNamedType,
  getOperationAST,
  GraphQLError,
  print,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Types whose field resolvers read only their parent object (never the
 * context, the viewer or a loader), so one execution of a selection on the
 * same event is right for every subscriber. Whatever the viewer may see is
 * settled in the source streams (blocks, hidden presences), which then yield
 * an object of their own per viewer: such events simply are not shared.
 * A field added to one of these types that reads the context must take its
 * type out of this list.
 */
const CONTEXT_FREE_TYPES = new Set(['ChannelMessage', 'ChannelPresenceEvent', 'UserPresence', 'Notification']);
/** Root subscription fields whose `resolve` reads only the event. */
const CONTEXT_FREE_ROOTS = new Set(['channelMessage', 'channelPresence', 'notification']);

export interface SharedExecutionStats {
  /** Selections executed for an event (once per event, document and variables when shared). */
  executed: number;
  /** Deliveries that reused another subscriber's execution. */
  reused: number;
}

/**
 * Subscribers that receive the same event object with the same document,
 * operation name and variables share one execution of the selection, instead
 * of one per subscriber (the cost that bounds fan-out). The result is shared
 * read-only: the plugins after it (error masking, graphql-ws, SSE) build new
 * objects from it.
 */
export function sharedExecutionPlugin(): { plugin: Plugin; stats: SharedExecutionStats } {
  const stats: SharedExecutionStats = { executed: 0, reused: 0 };
  // Keyed by the event's identity, so entries go when the event is collected.
  const results = new WeakMap<object, Map<string, ExecutionResult | Promise<ExecutionResult>>>();
  const printed = new WeakMap<DocumentNode, string>();
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

  function sharedSubscribe(args: ExecutionArgs) {
    // Arguments that fail (e.g. variables that do not coerce) get the executor's own answer, before any resolver runs.
    if (Array.isArray(buildExecutionContext(args))) return null;
    let doc = printed.get(args.document);
    if (doc === undefined) printed.set(args.document, (doc = print(args.document)));
    const key = `${args.operationName ?? ''}\n${stableStringify(args.variableValues ?? {})}\n${doc}`;
    return (async () => {
      const stream = await createSourceEventStream(args);
      if (!isAsyncIterable(stream)) return stream;
      return mapAsyncIterator(
        stream,
        (event: unknown) => {
          if (typeof event !== 'object' || event === null) {
            stats.executed++;
            return execute({ ...args, rootValue: event }) as ExecutionResult | Promise<ExecutionResult>;
          }
          let byKey = results.get(event);
          if (!byKey) results.set(event, (byKey = new Map()));
          const hit = byKey.get(key);
          if (hit) {
            stats.reused++;
            return hit;
          }
          stats.executed++;
          const result = execute({ ...args, rootValue: event }) as ExecutionResult | Promise<ExecutionResult>;
          byKey.set(key, result);
          return result;
        },
        // The same error as the executor's own subscribe gives when the source stream throws (e.g. a slow consumer).
        (error: unknown) => {
          const e = error instanceof Error ? error : new Error(String(error));
          const operation = getOperationAST(args.document, args.operationName);
          throw new GraphQLError(e.message, { originalError: e, ...(operation ? { nodes: [operation] } : {}) });
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

/** Whether every field the operation selects (fragments included) is on the allow-list above. */
function contextFree(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined): boolean {
  const operation = getOperationAST(document, operationName);
  if (operation?.operation !== 'subscription') return false;
  const subscriptionType = schema.getSubscriptionType();
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
        const parent = typeInfo.getParentType();
        const parentName = parent ? getNamedType(parent).name : '';
        if (parent === subscriptionType ? !CONTEXT_FREE_ROOTS.has(node.name.value) : !CONTEXT_FREE_TYPES.has(parentName)) ok = false;
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
