import { badInput } from '../../lib/errors.js';

/** Deeper content is refused: no chat payload needs it, and recursive code (JSON.stringify, PostgreSQL's jsonb parser) would run out of stack. */
export const MAX_CONTENT_DEPTH = 32;

/** Message content is a JSON object of at most `maxBytes` bytes of UTF-8 JSON, nested at most MAX_CONTENT_DEPTH deep. */
export function validateContent(content: unknown, maxBytes: number): Record<string, unknown> {
  if (typeof content !== 'object' || content === null || Array.isArray(content)) {
    throw badInput('content must be a JSON object.');
  }
  if (deeperThan(content, MAX_CONTENT_DEPTH)) {
    throw badInput(`content nests objects and arrays more than ${MAX_CONTENT_DEPTH} levels deep.`, { maxDepth: MAX_CONTENT_DEPTH });
  }
  const bytes = Buffer.byteLength(JSON.stringify(content), 'utf8');
  if (bytes > maxBytes) {
    throw badInput(`content is ${bytes} bytes of JSON; the limit is ${maxBytes}.`, { maxBytes, bytes });
  }
  return content as Record<string, unknown>;
}

/** Iterative, so that measuring a hostile value cannot itself overflow the stack. */
function deeperThan(root: object, max: number): boolean {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return false;
}
