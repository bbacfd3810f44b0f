import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { AppError } from '../lib/errors.js';
import { unavailableDependency } from '../lib/unavailable.js';
import type { Logger } from '../lib/logger.js';

/** A new error at the place of `at` (if any): its AST nodes, or its source and positions. */
function locatedLike(at: GraphQLError | null | undefined, message: string, extensions: Record<string, unknown>): GraphQLError {
  return new GraphQLError(message, { nodes: at?.nodes, source: at?.source, positions: at?.positions, path: at?.path, extensions });
}

function withCode(error: GraphQLError, code: string): GraphQLError {
  if (error.extensions?.code) return error;
  return locatedLike(error, error.message, { ...error.extensions, code });
}

/** The one conversion of our own errors to what clients see: message, details and code in extensions. */
export function toGraphQLError(error: AppError, at?: GraphQLError | null): GraphQLError {
  return locatedLike(at, error.message, { ...error.details, code: error.code });
}

/** The code a client sees for an error; createMaskError builds the error from it, the operation log and metrics report it. */
export function errorCode(error: unknown): string {
  const gql = error instanceof GraphQLError ? error : null;
  const original = gql?.originalError ?? error;
  if (original instanceof AppError) return original.code;
  if (unavailableDependency(original)) return 'UNAVAILABLE';
  if (typeof gql?.extensions?.code === 'string') return gql.extensions.code;
  // graphql-js reports a variable that fails coercion this way, before execution.
  if (gql && gql.message.startsWith('Variable "$')) return 'BAD_USER_INPUT';
  if (gql && !gql.originalError) return 'GRAPHQL_VALIDATION_FAILED';
  return 'INTERNAL_SERVER_ERROR';
}

/**
 * What a client may see of an error: our own errors with their code, GraphQL's
 * with the code Apollo Server would give them, anything else masked and logged.
 */
export function createMaskError(log: Logger) {
  return (error: unknown): Error => {
    const gql = error instanceof GraphQLError ? error : null;
    const original = gql?.originalError ?? error;
    if (original instanceof AppError) return toGraphQLError(original, gql);
    if (gql?.extensions?.code) return gql;
    const down = unavailableDependency(original);
    if (down) {
      log.warn({ err: (original as Error).message, path: gql?.path }, `${down} did not answer`);
      return new GraphQLError(`${down === 'Redis' ? 'Redis' : 'The database'} did not answer in time; try again shortly.`, {
        path: gql?.path,
        extensions: { code: 'UNAVAILABLE' },
      });
    }
    const code = errorCode(error);
    if (gql && code !== 'INTERNAL_SERVER_ERROR') return withCode(gql, code);
    log.error({ err: original, path: gql?.path }, 'internal error');
    return new GraphQLError('Internal server error.', { path: gql?.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  };
}

/** Parse and validation failures carry Apollo-style codes on both transports. */
export function errorCodesPlugin(): Plugin {
  return {
    onParse() {
      return ({ result, replaceParseResult }) => {
        if (result instanceof GraphQLError) replaceParseResult(withCode(result, 'GRAPHQL_PARSE_FAILED'));
      };
    },
    onValidate() {
      return ({ result, setResult }) => {
        if (result.length) setResult(result.map((e) => withCode(e, 'GRAPHQL_VALIDATION_FAILED')));
      };
    },
  };
}
