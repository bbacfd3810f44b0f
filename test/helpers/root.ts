import { fileURLToPath } from 'node:url';

/** The repository's root directory, for tests that read its files or start its scripts. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
