import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import {
  BREAK,
  getOperationAST,
  GraphQLError,
  Kind,
  visit,
  type ASTNode,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../lib/logger.js';

/**
 * Executions of a document by graphql-tools' interpreter before it is
 * compiled. Clients repeat their documents, so they run compiled from the
 * second use on; a document sent once (GraphiQL, a flood of distinct
 * queries) never pays for compiling, which costs one to three validations.
 */
const USES_BEFORE_COMPILING = 1;

export interface CompiledExecutionStats {
  /** Operations compiled (once per document and operation name). */
  compiled: number;
  /** Executions that ran a compiled operation. */
  runs: number;
}

interface Entry {
  uses: number;
  /** Variables inside object or list literals: graphql-jit parses custom scalar literals without them (it would store `{ text: $t }` as `{}`). */
  interpretOnly: boolean;
  byOperation: Map<string, CompiledQuery | null>;
}

/**
 * Operations whose document was executed before run as graphql-jit compiled
 * functions: no resolve-info object, argument map or path allocated per
 * field, which was two thirds of the memory a page of history allocated and
 * most of its execution time. Queries and mutations through this plugin;
 * a subscription's events through shared execution, which calls `run` once
 * per event (and document and variables). The document object is the key: yoga's
 * parser cache hands every request with the same text the same one, so
 * compiled code goes when the cache drops the document.
 */
export interface CompiledExecution {
  plugin: Plugin;
  stats: CompiledExecutionStats;
  /**
   * `args` run compiled on `rootValue` (a subscription's event, for shared
   * execution), counting as one execution of the document; null when it
   * still runs interpreted.
   */
  run(args: ExecutionArgs, rootValue: unknown): ExecutionResult | Promise<ExecutionResult> | null;
}

export function compiledExecutionPlugin(log: Logger): CompiledExecution {
  const stats: CompiledExecutionStats = { compiled: 0, runs: 0 };
  const entries = new WeakMap<DocumentNode, Entry>();

  function compiled(args: ExecutionArgs): CompiledQuery | null {
    let entry = entries.get(args.document);
    if (!entry) {
      entry = { uses: 0, interpretOnly: hasVariableInLiteral(args.document), byOperation: new Map() };
      entries.set(args.document, entry);
    }
    if (entry.interpretOnly || ++entry.uses <= USES_BEFORE_COMPILING) return null;
    const name = args.operationName ?? '';
    let query = entry.byOperation.get(name);
    if (query === undefined) {
      query = compile(args);
      entry.byOperation.set(name, query);
    }
    return query;
  }

  function compile(args: ExecutionArgs): CompiledQuery | null {
    if (!getOperationAST(args.document, args.operationName)) return null;
    try {
      const result = compileQuery(args.schema, args.document, args.operationName ?? undefined);
      if (isCompiledQuery(result)) {
        stats.compiled++;
        return result;
      }
      log.warn({ operationName: args.operationName, errors: result.errors }, 'operation not compiled; it runs interpreted');
    } catch (err) {
      log.warn({ err, operationName: args.operationName }, 'operation not compiled; it runs interpreted');
    }
    return null;
  }

  function runCompiled(query: CompiledQuery, args: ExecutionArgs, rootValue: unknown) {
    stats.runs++;
    const result = query.query(rootValue, args.contextValue, args.variableValues);
    return result instanceof Promise ? result.then((r) => located(r, args.document)) : located(result, args.document);
  }

  return {
    stats,
    run(args, rootValue) {
      const query = compiled(args);
      return query ? runCompiled(query, args, rootValue) : null;
    },
    plugin: {
      // Subscriptions do not pass here: shared execution runs their events.
      onExecute({ args, setExecuteFn }) {
        const query = compiled(args);
        if (query) setExecuteFn((a: ExecutionArgs) => runCompiled(query, a, a.rootValue));
      },
    },
  };
}

/**
 * graphql-jit's errors as graphql-js's executor makes them, so that yoga and
 * the error mask treat both alike:
 * - they carry line and column but neither the AST nodes nor the source,
 *   which yoga and the mask rebuild errors from (the locations would be
 *   lost): here they get the source and positions in it;
 * - an error it raises itself during execution (a null in a non-null field,
 *   a value a scalar cannot serialize) has no original error, which the mask
 *   takes for a validation error and shows; graphql-js wraps one, so it is
 *   masked as internal.
 */
function located(result: ExecutionResult, document: DocumentNode): ExecutionResult {
  const source = document.loc?.source;
  if (!result.errors?.length || !source) return result;
  let lineStarts: number[] | null = null;
  const errors = result.errors.map((e) => {
    const unlocated = Boolean(e.locations?.length) && !e.nodes && !e.positions;
    const raisedInExecution = e.path !== undefined && !e.originalError;
    if (!unlocated && !raisedInExecution) return e;
    lineStarts ??= [0, ...[...source.body.matchAll(/\r\n|[\n\r]/g)].map((m) => m.index + m[0].length)];
    const positions = e.locations?.map((l) => lineStarts![l.line - 1]! + l.column - 1);
    const originalError = e.originalError ?? new Error(e.message);
    return new GraphQLError(e.message, { source, positions, path: e.path, originalError, extensions: e.extensions });
  });
  return { ...result, errors };
}

function hasVariableInLiteral(document: DocumentNode): boolean {
  let found = false;
  const inLiteral = (ancestors: readonly (ASTNode | readonly ASTNode[])[]) =>
    ancestors.some((a) => !Array.isArray(a) && ((a as ASTNode).kind === Kind.OBJECT || (a as ASTNode).kind === Kind.LIST));
  visit(document, {
    Variable(_node, _key, _parent, _path, ancestors) {
      if (!inLiteral(ancestors)) return undefined;
      found = true;
      return BREAK;
    },
  });
  return found;
}
