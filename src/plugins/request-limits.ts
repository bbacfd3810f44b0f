import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { GraphQLError, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config.js';

const CODE = 'GRAPHQL_VALIDATION_FAILED';

/**
 * Armor's validation rules throw by default, which the WebSocket path would
 * turn into a closed socket; reporting instead gives a normal GraphQL error
 * on both transports, without armor's misleading "Syntax Error: " prefix.
 */
const report = (ctx: ValidationContext | null, error: GraphQLError) => {
  ctx?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { extensions: { code: CODE } }));
};

/** Depth, alias and token limits, and the introspection switch, as yoga plugins. 0 turns a limit off. */
export function requestLimitPlugins(config: Config): Plugin[] {
  const plugins: Plugin[] = [
    EnvelopArmorPlugin({
      maxDepth: { enabled: config.MAX_QUERY_DEPTH > 0, n: config.MAX_QUERY_DEPTH, propagateOnRejection: false, onReject: [report] },
      maxAliases: { enabled: config.MAX_QUERY_ALIASES > 0, n: config.MAX_QUERY_ALIASES, propagateOnRejection: false, onReject: [report] },
      maxTokens: {
        enabled: config.MAX_QUERY_TOKENS > 0,
        n: config.MAX_QUERY_TOKENS,
        // The token limit stops the parser, so it must throw; give its error the same code as the others.
        onReject: [(_ctx: unknown, error: GraphQLError) => void Object.assign(error.extensions, { code: CODE })],
      },
      // The token limit already bounds directives and cost; these would be two more numbers to tune.
      maxDirectives: { enabled: false },
      costLimit: { enabled: false },
      // "Did you mean …" would describe the schema that disabled introspection hides.
      blockFieldSuggestion: { enabled: !config.INTROSPECTION },
    }) as Plugin,
  ];
  if (!config.INTROSPECTION) plugins.push(useDisableIntrospection());
  return plugins;
}
