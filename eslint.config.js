// ESLint (flat config): the recommended rules of ESLint and typescript-eslint
// over the sources, tests, benchmarks and scripts. Formatting is Prettier's
// (npm run format:check); types and unused names are tsc's (npm run typecheck).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/', '**/dist/', 'data/', '**/generated/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      // tsc reports unused names (noUnusedLocals, noUnusedParameters) and knows type-only uses.
      '@typescript-eslint/no-unused-vars': 'off',
      // Pothos' plugin options are declared by merging into its global namespace.
      '@typescript-eslint/no-namespace': ['error', { allowDeclarations: true }],
    },
  },
  {
    // Tests and benchmarks read GraphQL responses as untyped JSON.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
