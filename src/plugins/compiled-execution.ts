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
 * Queries and mutations whose document was executed before run as
 * graphql-jit compiled functions: no resolve-info object, argument map or
 * path allocated per field, which was two thirds of the memory a page of
 * history allocated and most of its execution time. Subscriptions keep
 * their own path (shared execution). The document object is the key: yoga's
 * parser cache hands every request with the same text the same one, so
 * compiled code goes when the cache drops the document.
 */
export function compiledExecutionPlugin(log: Logger): { plugin: Plugin; stats: CompiledExecutionStats } {
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
    const operation = getOperationAST(args.document, args.operationName);
    if (!operation || operation.operation === 'subscription') return null;
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

  return {
    stats,
    plugin: {
      onExecute({ args, setExecuteFn }) {
        const query = compiled(args);
        if (!query) return;
        setExecuteFn((a: ExecutionArgs) => {
          stats.runs++;
          const result = query.query(a.rootValue, a.contextValue, a.variableValues);
          return result instanceof Promise ? result.then((r) => located(r, a.document)) : located(result, a.document);
        });
      },
    },
  };
}

/**
 * graphql-jit's errors carry line and column but neither the AST nodes nor
 * the source they came from, which yoga and the error mask rebuild errors
 * from (so the locations would be lost): here they get the source and
 * positions in it, as graphql-js's own errors have.
 */
function located(result: ExecutionResult, document: DocumentNode): ExecutionResult {
  const source = document.loc?.source;
  if (!result.errors?.length || !source) return result;
  let lineStarts: number[] | null = null;
  const errors = result.errors.map((e) => {
    if (!e.locations?.length || e.nodes || e.positions) return e;
    lineStarts ??= [0, ...[...source.body.matchAll(/\r\n|[\n\r]/g)].map((m) => m.index + m[0].length)];
    const positions = e.locations.map((l) => lineStarts![l.line - 1]! + l.column - 1);
    return new GraphQLError(e.message, { source, positions, path: e.path, originalError: e.originalError, extensions: e.extensions });
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
