import { MAX_CONTENT_DEPTH } from '../../src/modules/messages/content.js';

/**
 * Random message content within what the contract accepts (a JSON object, no
 * NUL, no lone surrogates, nested at most `maxDepth` deep), leaning on what
 * breaks transports: keys a decoder might give meaning to, date-like strings,
 * characters from every Unicode plane, deep nesting and long arrays.
 * Seeded, so a failure names the seed that reproduces it.
 */

/** mulberry32: a small seeded generator; the same seed gives the same objects. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const UNUSUAL_KEYS = [
  'createTime',
  'updateTime',
  '__proto__',
  'constructor',
  'toJSON',
  'prototype',
  'hasOwnProperty',
  'valueOf',
  'then',
  '__typename',
  'id',
  'type',
  'message',
  'content',
  '',
  ' ',
  '0',
  '-1',
  '1e3',
  'ü',
  '🙂',
];
const DATE_LIKE = [
  '2021-06-01',
  '2021-06-01T00:00:00Z',
  'not a date',
  '1970-01-01T00:00:00.000Z',
  '0',
  'Invalid Date',
  'NaN',
  '9999-12-31',
];

export interface RandomJsonOptions {
  /** Nesting limit of the content (MAX_CONTENT_DEPTH); the root object is level 1. */
  maxDepth: number;
}

export function randomContent(rand: () => number, opts: RandomJsonOptions): Record<string, unknown> {
  const int = (n: number) => Math.floor(rand() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;

  /** One code point from a random plane (0-16), never NUL or a surrogate. */
  const codePoint = (): number => {
    for (;;) {
      const plane = rand() < 0.5 ? 0 : int(17);
      const cp = plane * 0x10000 + int(0x10000);
      if (cp !== 0 && (cp < 0xd800 || cp > 0xdfff)) return cp;
    }
  };
  const text = (max: number) => {
    const n = int(max + 1);
    let s = '';
    for (let i = 0; i < n; i++) s += rand() < 0.3 ? String.fromCharCode(0x20 + int(95)) : String.fromCodePoint(codePoint());
    return s;
  };
  const key = () => (rand() < 0.5 ? pick(UNUSUAL_KEYS) : text(8));
  const number = () =>
    pick([
      () => int(1000) - 500,
      () => rand() * 1e6 - 5e5,
      () => Number.MAX_SAFE_INTEGER,
      () => -Number.MIN_VALUE,
      () => 1e300,
      () => 0.1 + 0.2,
    ])();
  const scalar = (): unknown =>
    pick([() => null, () => rand() < 0.5, number, () => text(12), () => pick(DATE_LIKE), () => new Date(int(2 ** 42)).toISOString()])();

  const value = (depth: number): unknown => {
    // Wide and deep at once would be megabytes; deepest() covers the depth limit.
    if (depth >= opts.maxDepth || rand() < 0.3 + 0.12 * depth) return scalar();
    return rand() < 0.6 ? object(depth + 1) : array(depth + 1);
  };
  const object = (depth: number): Record<string, unknown> => {
    // Own data properties, as JSON.parse makes them: `__proto__` stays a key rather than setting a prototype.
    const out: Record<string, unknown> = {};
    const n = int(6);
    for (let i = 0; i < n; i++)
      Object.defineProperty(out, key(), { value: value(depth), enumerable: true, writable: true, configurable: true });
    return out;
  };
  // A long array holds scalars, so that one object stays within the content limit.
  const array = (depth: number): unknown[] =>
    rand() < 0.1 ? Array.from({ length: 200 + int(300) }, scalar) : Array.from({ length: int(6) }, () => value(depth));

  const root = object(1);
  // Always one of the keys that a transport once gave meaning to, at the top and somewhere deeper.
  root[pick(['createTime', 'updateTime'])] = pick(DATE_LIKE);
  if (rand() < 0.5) root.nested = { meta: { createTime: pick(DATE_LIKE), updateTime: pick(DATE_LIKE) } };
  return root;
}

/** An object nested exactly `depth` levels deep (the root is level 1), with a date-like key at the bottom. */
export function deepest(depth: number): Record<string, unknown> {
  let inner: Record<string, unknown> = { createTime: '2021-06-01' };
  for (let level = depth - 1; level >= 1; level--) inner = { d: inner };
  return inner;
}

/** `n` contents of at most `maxBytes` of JSON: first the shapes a transport once changed, then random ones. */
export function contents(seed: number, n: number, maxBytes: number): Record<string, unknown>[] {
  const rand = seeded(seed);
  const out: Record<string, unknown>[] = [
    { text: 'hi', createTime: 'not a date' },
    { meta: { createTime: '2021-06-01' } },
    { updateTime: '2021-06-01T00:00:00Z', toJSON: 'x', constructor: { prototype: 1 } },
    JSON.parse('{"__proto__":{"polluted":true},"createTime":"0"}') as Record<string, unknown>,
    deepest(MAX_CONTENT_DEPTH),
  ];
  while (out.length < n) {
    const c = randomContent(rand, { maxDepth: MAX_CONTENT_DEPTH });
    if (Buffer.byteLength(JSON.stringify(c)) <= maxBytes) out.push(c);
  }
  return out;
}
