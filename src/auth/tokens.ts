import { jwtVerify, SignJWT } from 'jose';
import type { Viewer } from '../domain/viewer.js';

export interface Tokens {
  sign(viewer: Viewer): Promise<string>;
  /** The viewer named by a valid token, or null. */
  verify(token: string): Promise<Viewer | null>;
}

const ISSUER = 'parley';
const MAX_VERIFIED = 10_000;

export function createTokens(secret: string, ttlSeconds: number): Tokens {
  // Imported once: given raw bytes, jose would import the key again for every token.
  const imported = crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ]);
  // A client sends the same token with every request, and checking its
  // signature is an async WebCrypto call each time. Only valid tokens are
  // kept, the oldest dropped first, each until it expires.
  const verified = new Map<string, { viewer: Viewer; expiresAt: number }>();
  return {
    sign: async (v) =>
      new SignJWT({ sid: v.sessionId, name: v.username })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(v.userId)
        .setIssuer(ISSUER)
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
        .sign(await imported),
    async verify(token) {
      const hit = verified.get(token);
      if (hit) {
        if (hit.expiresAt > Date.now()) return hit.viewer;
        verified.delete(token);
        return null;
      }
      try {
        const { payload } = await jwtVerify(token, await imported, { issuer: ISSUER, algorithms: ['HS256'] });
        const { sub, sid, name, exp } = payload;
        if (typeof sub !== 'string' || typeof sid !== 'string' || typeof name !== 'string' || typeof exp !== 'number') return null;
        const viewer = Object.freeze({ userId: sub, sessionId: sid, username: name, expiresAt: exp * 1000 });
        if (verified.size >= MAX_VERIFIED) verified.delete(verified.keys().next().value!);
        verified.set(token, { viewer, expiresAt: exp * 1000 });
        return viewer;
      } catch {
        return null;
      }
    },
  };
}

/** `Bearer <token>` → token; anything else → null. */
export function bearerToken(header: unknown): string | null {
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}
