import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { printedSchema } from '../../src/schema/index.js';
import { ROOT } from '../helpers/root.js';
import { join } from 'node:path';

describe('schema.graphql', () => {
  it('is the SDL the Pothos schema prints', () => {
    const committed = readFileSync(join(ROOT, 'schema.graphql'), 'utf8');
    expect(committed, 'schema.graphql is stale: run `npm run schema` and commit it').toBe(printedSchema());
  });
});
