import { readFileSync } from 'node:fs';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import config from '../../codegen.js';
import { ROOT } from '../helpers/root.js';
import { join } from 'node:path';

describe('typed documents (codegen.ts)', () => {
  it('are what graphql-codegen makes of schema.graphql: the test suite’s and the web chat’s', { timeout: 60_000 }, async () => {
    const files = await generate({ ...config, cwd: ROOT, silent: true }, false);
    expect(files.map((f: { filename: string }) => f.filename).sort()).toEqual(Object.keys(config.generates).sort());
    for (const file of files) {
      const committed = readFileSync(join(ROOT, file.filename), 'utf8');
      expect(committed, `${file.filename} is stale: run \`npm run codegen\` and commit it`).toBe(file.content);
    }
  });
});
