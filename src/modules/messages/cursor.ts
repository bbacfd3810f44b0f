import { badInput } from '../../lib/errors.js';

/**
 * Cursors are opaque to clients: base64url of [channelId, seq]. Naming the
 * channel lets the server refuse a cursor from another channel.
 */
export function encodeCursor(channelId: string, seq: bigint | string): string {
  return Buffer.from(JSON.stringify([channelId, String(seq)])).toString('base64url');
}

/** Sequences are PostgreSQL BIGINTs. */
const MAX_SEQ = 2n ** 63n - 1n;

export function decodeCursor(cursor: string, channelId: string): bigint {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  const valid =
    Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && typeof parsed[1] === 'string' && /^\d{1,19}$/.test(parsed[1]) && BigInt(parsed[1]) <= MAX_SEQ;
  if (!valid) {
    throw badInput('The cursor is malformed: pass back a cursor this server returned.');
  }
  if ((parsed as string[])[0] !== channelId) throw badInput(`The cursor belongs to another channel than ${channelId}.`);
  return BigInt((parsed as string[])[1]!);
}

/** The channel a cursor names, for requests that give a cursor but no channel. */
export function cursorChannel(cursor: string): string {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && typeof parsed[0] === 'string') return parsed[0];
  } catch {
    // fall through
  }
  throw badInput('The cursor is malformed: pass back a cursor this server returned.');
}
