import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * What a client app of Parley needs: typed documents for its operations,
 * with Parley's scalars as TypeScript types. Copy `clientApp` into your own
 * codegen.ts and point `schema` at Parley's schema.graphql (or its URL).
 */
export const clientApp = {
  plugins: ['typescript-operations', 'typed-document-node'],
  config: {
    // DateTime arrives as an ISO 8601 string; JSONObject (message content) as a plain object.
    scalars: { DateTime: 'string', JSONObject: 'Record<string, unknown>' },
    enumsAsTypes: true,
    useTypeImports: true,
    avoidOptionals: { field: true, inputValue: false, object: true, defaultValue: false },
  },
};

// Run: npm run codegen (a test checks both outputs are current).
const config: CodegenConfig = {
  schema: 'schema.graphql',
  generates: {
    // The example web chat: exactly the config above.
    'examples/web-chat/src/generated/operations.ts': { documents: ['examples/web-chat/src/operations.graphql'], ...clientApp },
    // The test suite's operations (test/documents), the same way.
    'test/generated/operations.ts': { documents: ['test/documents/*.graphql'], ...clientApp },
  },
};

export default config;
