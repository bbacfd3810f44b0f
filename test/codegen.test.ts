import { readFileSync } from 'node:fs';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import config from '../codegen.js';

describe('test/generated/operations.ts', () => {
  it('is what graphql-codegen makes of schema.graphql and test/documents', { timeout: 60_000 }, async () => {
    const [file] = await generate({ ...config, cwd: new URL('..', import.meta.url).pathname, silent: true }, false);
    const committed = readFileSync(new URL('./generated/operations.ts', import.meta.url), 'utf8');
    expect(committed, 'typed documents are stale: run `npm run codegen` and commit them').toBe(file!.content);
  });
});
