import { badInput } from '../../lib/errors.js';

/** Message content is a JSON object of at most `maxBytes` bytes of UTF-8 JSON. */
export function validateContent(content: unknown, maxBytes: number): Record<string, unknown> {
  if (typeof content !== 'object' || content === null || Array.isArray(content)) {
    throw badInput('content must be a JSON object.');
  }
  const bytes = Buffer.byteLength(JSON.stringify(content), 'utf8');
  if (bytes > maxBytes) {
    throw badInput(`content is ${bytes} bytes of JSON; the limit is ${maxBytes}.`, { maxBytes, bytes });
  }
  return content as Record<string, unknown>;
}
