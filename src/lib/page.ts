import { badInput } from './errors.js';

/** A Relay-style page: the shape every connection resolver returns. */
export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

export const MAX_FIRST = 100;

export function checkFirst(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_FIRST) throw badInput(`first must be between 1 and ${MAX_FIRST}.`);
  return first;
}

/**
 * Keyset cursors for lists ordered by one string key (an id): base64url of
 * [kind, key], so a cursor from another list is refused.
 */
export function encodeKey(kind: string, key: string): string {
  return Buffer.from(JSON.stringify([kind, key])).toString('base64url');
}

export function decodeKey(kind: string, cursor: string): string {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    // reported below
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || parsed[0] !== kind || typeof parsed[1] !== 'string') {
    throw badInput('The cursor is malformed: pass back a cursor this list returned.');
  }
  return parsed[1];
}

/** The key of a list ordered by a time and then an id (newest first): "<epoch ms>|<id>". */
export const timeKey = (ms: number, id: string) => `${ms}|${id}`;

/** The time (epoch ms) and id a timeKey cursor of list `kind` holds; BAD_USER_INPUT when it is not one. */
export function decodeTimeKey(kind: string, cursor: string): [number, string] {
  const key = decodeKey(kind, cursor);
  const bar = key.indexOf('|');
  const ms = Number(key.slice(0, bar));
  if (bar < 0 || !Number.isFinite(ms)) throw badInput('The cursor is malformed: pass back a cursor this list returned.');
  return [ms, key.slice(bar + 1)];
}

/** `rows` holds up to first + 1 rows in list order; the extra one only says there is a next page. */
export function toPage<R, T>(
  kind: string,
  rows: R[],
  first: number,
  after: string | null,
  key: (r: R) => string,
  node: (r: R) => T,
): Page<T> {
  const edges = rows.slice(0, first).map((r) => ({ cursor: encodeKey(kind, key(r)), node: node(r) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: after !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
