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
  type OperationDefinitionNode,
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
  /** Set when the document must never be compiled (see needsInterpreter). */
  interpretOnly: boolean;
}

/**
 * Operations whose document was executed before run as graphql-jit compiled
 * functions: no resolve-info object, argument map or path allocated per
 * field, which was two thirds of the memory a page of history allocated and
 * most of its execution time. Queries and mutations through this plugin;
 * a subscription's events through shared execution, which calls `run` once
 * per event (and document and variables). Uses are counted per document, the
 * compiled code is kept per operation node: yoga's parser cache hands every
 * request with the same text the same document, so both go when the cache
 * drops it.
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
  const byOperation = new WeakMap<OperationDefinitionNode, CompiledQuery | null>();

  function compiled(args: ExecutionArgs): CompiledQuery | null {
    let entry = entries.get(args.document);
    if (!entry) {
      entry = { uses: 0, interpretOnly: needsInterpreter(args.document) };
      entries.set(args.document, entry);
    }
    if (entry.interpretOnly || ++entry.uses <= USES_BEFORE_COMPILING) return null;
    // No such operation: the interpreter answers with its own error, and nothing is kept for the name.
    const operation = getOperationAST(args.document, args.operationName);
    if (!operation) return null;
    let query = byOperation.get(operation);
    if (query === undefined) {
      query = compile(args);
      byOperation.set(operation, query);
    }
    return query;
  }

  function compile(args: ExecutionArgs): CompiledQuery | null {
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
      onExecute({ args, executeFn, setExecuteFn }) {
        const query = compiled(args);
        if (!query) return;
        setExecuteFn((a: ExecutionArgs) => {
          const result = runCompiled(query, a, a.rootValue);
          // Variables that do not coerce (a result without data, before any resolver ran): the
          // interpreter's own answer, whose messages graphql-jit words differently.
          const checked = (r: ExecutionResult) => (r.data === undefined ? executeFn(a) : r);
          return result instanceof Promise ? result.then(checked) : checked(result);
        });
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
    const originalError = raisedInExecution ? new Error(e.message) : e.originalError;
    return new GraphQLError(e.message, { source, positions, path: e.path, originalError, extensions: e.extensions });
  });
  return { ...result, errors };
}

/**
 * Whether a document must stay interpreted, because graphql-jit writes its
 * literal values into the code it generates, as JSON:
 * - a variable inside an object or list literal: it parses custom scalar
 *   literals without variables (`content: { text: $t }` would store `{}`);
 * - a string or object key containing `__MAGIC_`: it turns such marker
 *   strings (its way to write dates, NaN and infinities) into JavaScript, so
 *   a client could run code on the server;
 * - an object key `__proto__`: in a JavaScript literal it sets the object's
 *   prototype instead of a key, so the value would change.
 * Read against graphql-jit 0.8.9, which package.json pins: before another
 * version, read how it writes literals into code.
 */
export function needsInterpreter(document: DocumentNode): boolean {
  let found = false;
  const inLiteral = (ancestors: readonly (ASTNode | readonly ASTNode[])[]) =>
    ancestors.some((a) => !Array.isArray(a) && ((a as ASTNode).kind === Kind.OBJECT || (a as ASTNode).kind === Kind.LIST));
  const stop = () => {
    found = true;
    return BREAK;
  };
  visit(document, {
    Variable: (_node, _key, _parent, _path, ancestors) => (inLiteral(ancestors) ? stop() : undefined),
    StringValue: (node) => (node.value.includes('__MAGIC_') ? stop() : undefined),
    ObjectField: (node) => (node.name.value === '__proto__' || node.name.value.includes('__MAGIC_') ? stop() : undefined),
  });
  return found;
}
