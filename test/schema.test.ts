import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { printedSchema } from '../src/schema/index.js';

describe('schema.graphql', () => {
  it('is the SDL the Pothos schema prints', () => {
    const committed = readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8');
    expect(committed, 'schema.graphql is stale: run `npm run schema` and commit it').toBe(printedSchema());
  });
});
