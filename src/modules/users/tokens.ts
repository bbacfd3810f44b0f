import { jwtVerify, SignJWT } from 'jose';

/** Who is calling: the user and the session (one login on one device). */
export interface Viewer {
  userId: string;
  sessionId: string;
  username: string;
}

export interface Tokens {
  sign(viewer: Viewer): Promise<string>;
  /** The viewer named by a valid token, or null. */
  verify(token: string): Promise<Viewer | null>;
}

const ISSUER = 'parley';

export function createTokens(secret: string, ttlSeconds: number): Tokens {
  // Imported once: given raw bytes, jose imports the key again for every token (a tenth of a history page's CPU).
  const imported = crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
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
      try {
        const { payload } = await jwtVerify(token, await imported, { issuer: ISSUER, algorithms: ['HS256'] });
        const { sub, sid, name } = payload;
        if (typeof sub !== 'string' || typeof sid !== 'string' || typeof name !== 'string') return null;
        return { userId: sub, sessionId: sid, username: name };
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
