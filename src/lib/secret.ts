import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The token signing secret: JWT_SECRET when given; otherwise one generated
 * on first start and kept in the data directory, so tokens survive restarts.
 */
export function loadSecret(configured: string | undefined, dataDir: string): string {
  if (configured) return configured;
  if (dataDir.startsWith('memory://')) return randomSecret();
  const dir = resolve(dataDir);
  const path = join(dir, 'jwt-secret');
  const existing = secretInDataDir(dataDir);
  if (existing) return existing;
  mkdirSync(dir, { recursive: true });
  const secret = randomSecret();
  try {
    writeFileSync(path, secret, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    // Another worker of this machine wrote it first: use theirs.
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(path, 'utf8').trim();
    throw e;
  }
  return secret;
}

export const randomSecret = () => randomBytes(32).toString('base64url');

/** The secret an earlier start generated in the data directory, if any. */
export function secretInDataDir(dataDir: string): string | null {
  if (dataDir.startsWith('memory://')) return null;
  try {
    return readFileSync(join(resolve(dataDir), 'jwt-secret'), 'utf8').trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    return null;
  }
}
