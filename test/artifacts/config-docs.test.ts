import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, parseConfig } from '../../src/config.js';
import { ROOT } from '../helpers/root.js';
import { join } from 'node:path';

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

describe('configuration documents itself', () => {
  it('has a row in the README table and a line in .env.example for every option', () => {
    const readme = read('README.md');
    const env = read('.env.example');
    const missing = CONFIG_KEYS.filter((k) => !readme.includes(`| \`${k}\` |`) || !new RegExp(`^# ${k}=`, 'm').test(env));
    expect(missing, 'document these options in README.md "Configuration" and .env.example').toEqual([]);
  });

  it('accepts every value .env.example shows', () => {
    const values = Object.fromEntries([...read('.env.example').matchAll(/^# ([A-Z_]+)=(.*)$/gm)].map(([, k, v]) => [k!, v!]));
    // JWT_SECRET's example is a placeholder of the right length; the rest are the defaults.
    expect(() => parseConfig(values)).not.toThrow();
  });
});
