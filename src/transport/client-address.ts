import type { IncomingMessage } from 'node:http';

/**
 * The address rate limits count sign-ins against. Behind `trustedProxies`
 * reverse proxies, each appends the address it saw to X-Forwarded-For, so the
 * client is that many entries from the right; entries further left were
 * written by the client and could be anything.
 */
export function clientAddress(req: IncomingMessage | undefined, trustedProxies: number): string {
  const socketAddress = req?.socket?.remoteAddress ?? 'unknown';
  if (trustedProxies === 0 || !req) return socketAddress;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return hops[hops.length - trustedProxies] ?? hops[0] ?? socketAddress;
}
