import { readFileSync } from 'node:fs';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import config from '../codegen.js';

describe('typed documents (codegen.ts)', () => {
  it('are what graphql-codegen makes of schema.graphql: the test suite’s and the web chat’s', { timeout: 60_000 }, async () => {
    const root = new URL('..', import.meta.url);
    const files = await generate({ ...config, cwd: root.pathname, silent: true }, false);
    expect(files.map((f: { filename: string }) => f.filename).sort()).toEqual(Object.keys(config.generates).sort());
    for (const file of files) {
      const committed = readFileSync(new URL(file.filename, root), 'utf8');
      expect(committed, `${file.filename} is stale: run \`npm run codegen\` and commit it`).toBe(file.content);
    }
  });
});
