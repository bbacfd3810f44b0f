import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Refuses request bodies over `maxBytes` with 413 and a GraphQL-shaped error.
 * A declared Content-Length is checked before reading anything; a chunked
 * body is read here, up to the limit, and handed on as `req.body` (which
 * yoga's Node adapter takes instead of the stream). Resolves false when it
 * has answered the request itself.
 */
export async function withinBodyLimit(req: IncomingMessage, res: ServerResponse, maxBytes: number): Promise<boolean> {
  if (maxBytes === 0 || req.method === 'GET' || req.method === 'HEAD') return true;
  const declared = req.headers['content-length'];
  if (declared !== undefined) {
    const bytes = Number(declared);
    if (bytes > maxBytes) return refuse(res, maxBytes, `The request body is ${bytes} bytes; the limit is ${maxBytes}.`);
    return true; // Node's parser never delivers more than the declared length.
  }
  const body = await readUpTo(req, maxBytes);
  if (body === null) return refuse(res, maxBytes, `The request body is over the limit of ${maxBytes} bytes.`);
  (req as IncomingMessage & { body?: Buffer }).body = body;
  return true;
}

/** The whole body, or null as soon as it passes `maxBytes` (the rest is then discarded, not buffered). */
function readUpTo(req: IncomingMessage, maxBytes: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      req.off('data', onData).off('end', onEnd);
      req.resume();
      resolve(null);
    };
    const onEnd = () => resolve(Buffer.concat(chunks));
    req.on('data', onData).on('end', onEnd).once('error', reject);
  });
}

function refuse(res: ServerResponse, maxBytes: number, message: string): false {
  // Closing rather than reading the rest: the client may be sending far more.
  res.writeHead(413, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
  res.end(JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_USER_INPUT', maxBytes } }] }));
  return false;
}
