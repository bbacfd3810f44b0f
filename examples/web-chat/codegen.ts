import { fileURLToPath } from 'node:url';
import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed documents for the web chat, from the server's committed schema.graphql.
// Run from anywhere: npx graphql-codegen --config examples/web-chat/codegen.ts
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

const config: CodegenConfig = {
  schema: here('../../schema.graphql'),
  documents: [here('src/operations.graphql')],
  generates: {
    [here('src/generated/operations.ts')]: {
      // typescript-operations emits the enums and scalars the operations use;
      // without the `typescript` plugin the file holds only those, so schema
      // changes elsewhere leave it as it is.
      plugins: ['typescript-operations', 'typed-document-node'],
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
