import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed documents for the operations in test/documents, generated from the
// committed schema.graphql (run: npm run codegen; a test checks it is current).
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['test/documents/*.graphql'],
  generates: {
    'test/generated/operations.ts': {
      plugins: ['typescript', 'typescript-operations', 'typed-document-node'],
      config: {
        scalars: { DateTime: 'string', JSONObject: 'Record<string, unknown>' },
        enumsAsTypes: true,
        useTypeImports: true,
        avoidOptionals: { field: true, inputValue: false, object: true, defaultValue: false },
      },
    },
  },
};

export default config;
