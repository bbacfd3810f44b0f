import { badInput } from '../../lib/errors.js';
import { channelFromId, type ChannelRef } from '../../domain/channel-ref.js';

/**
 * Cursors are opaque to clients: base64url of [channelId, seq]. Naming the
 * channel lets the server refuse a cursor from another channel.
 */
export function encodeCursor(channelId: string, seq: bigint | string): string {
  return Buffer.from(JSON.stringify([channelId, String(seq)])).toString('base64url');
}

/** Sequences are PostgreSQL BIGINTs. */
const MAX_SEQ = 2n ** 63n - 1n;

/** The channel and sequence a cursor names, decoded once; BAD_USER_INPUT when it is not one of ours. */
export function parseCursor(cursor: string): { channelId: string; seq: bigint } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  const valid =
    Array.isArray(parsed) &&
    parsed.length === 2 &&
    typeof parsed[0] === 'string' &&
    typeof parsed[1] === 'string' &&
    /^\d{1,19}$/.test(parsed[1]) &&
    BigInt(parsed[1]) <= MAX_SEQ;
  if (!valid) throw badInput('The cursor is malformed: pass back a cursor this server returned.');
  return { channelId: (parsed as string[])[0]!, seq: BigInt((parsed as string[])[1]!) };
}

/** The sequence of a cursor that must belong to `channelId`. */
export function decodeCursor(cursor: string, channelId: string): bigint {
  const { channelId: named, seq } = parseCursor(cursor);
  if (named !== channelId) throw badInput(`The cursor belongs to another channel than ${channelId}.`);
  return seq;
}

/**
 * Where a subscription starts, parsed once: the channel it follows (null:
 * every joined channel) and the sequence to replay after. A cursor without a
 * channel follows the cursor's channel.
 */
export function resumePoint(channelId: string | null, cursor: string | null): { ref: ChannelRef | null; after: bigint | null } {
  const ref = channelId === null ? null : channelFromId(channelId);
  if (cursor === null) return { ref, after: null };
  const named = parseCursor(cursor);
  if (ref !== null && named.channelId !== ref.id) throw badInput(`The cursor belongs to another channel than ${ref.id}.`);
  return { ref: ref ?? channelFromId(named.channelId), after: named.seq };
}
