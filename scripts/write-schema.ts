// Writes schema.graphql from the Pothos schema (run: npm run schema).
import { writeFileSync } from 'node:fs';
import { printedSchema } from '../src/schema/index.js';

const path = new URL('../schema.graphql', import.meta.url);
writeFileSync(path, printedSchema());
console.log(`wrote ${path.pathname}`);
