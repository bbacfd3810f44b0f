import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import type { Config } from '../config.js';
import { AppError, unauthenticated } from '../lib/errors.js';

/** Who the host app says the user is. */
export interface HostClaims {
  userId: string;
  username: string | null;
}

export interface HostTokens {
  /** The claims of a token the host app issued; UNAUTHENTICATED when it is not valid, UNAVAILABLE when its keys cannot be fetched. */
  verify(token: string): Promise<HostClaims>;
}

/** Host user ids become Parley user ids, which channel ids embed (`direct:<id>:<id>`), so no ":" and nothing invisible. */
const HOST_USER_ID = /^[A-Za-z0-9_.@+-]{1,128}$/;
/** How far the app's clock may be from ours before AUTH_JWT_MAX_AGE_SECONDS refuses a token. */
const CLOCK_SKEW_SECONDS = 60;
const SYMMETRIC = ['HS256', 'HS384', 'HS512'];
const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/** Null when neither AUTH_JWT_SECRET nor AUTH_JWKS_URL is set: authenticateToken is off. */
export function createHostTokens(config: Config): HostTokens | null {
  const { AUTH_JWT_SECRET: secret, AUTH_JWKS_URL: jwksUrl } = config;
  if (!secret && !jwksUrl) return null;
  const options: JWTVerifyOptions = {
    issuer: config.AUTH_JWT_ISSUER,
    audience: config.AUTH_JWT_AUDIENCE,
    // A host token is exchanged for a Parley session; one that never expires could be replayed for ever.
    requiredClaims: ['exp'],
    algorithms: [...(secret ? SYMMETRIC : []), ...(jwksUrl ? ASYMMETRIC : [])],
  };
  // The key set is fetched on first use, cached, and fetched again when a token names a key it lacks (at most every 30 s).
  const jwks = jwksUrl
    ? createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 })
    : null;
  const key = secret ? new TextEncoder().encode(secret) : null;
  // Anything but "no such key" from the key set means it could not be had: a failed fetch, an error status, not JSON.
  const fromKeySet: JWTVerifyGetKey = async (header, token) => {
    try {
      return await jwks!(header, token);
    } catch (e) {
      if (e instanceof errors.JWKSNoMatchingKey || e instanceof errors.JWKSMultipleMatchingKeys || e instanceof errors.JOSENotSupported)
        throw e;
      throw new KeySetUnavailable(e);
    }
  };
  // With both set (e.g. while moving from a secret to keys), the token's algorithm picks the key.
  const keyFor: JWTVerifyGetKey = (header, token) => (SYMMETRIC.includes(header.alg ?? '') ? key! : fromKeySet(header, token));
  const maxAge = config.AUTH_JWT_MAX_AGE_SECONDS;

  return {
    async verify(token) {
      let payload;
      try {
        ({ payload } = await jwtVerify(token, keyFor, options));
      } catch (e) {
        throw refusal(e);
      }
      // A token valid for longer than the app would issue one (a leaked signing key, a mistake) is not exchanged for a session.
      const now = Date.now() / 1000;
      if (payload.exp! - now > maxAge + CLOCK_SKEW_SECONDS)
        throw unauthenticated(`The token expires too far ahead: at most ${maxAge} s from now (AUTH_JWT_MAX_AGE_SECONDS).`);
      if (typeof payload.iat === 'number' && now - payload.iat > maxAge + CLOCK_SKEW_SECONDS)
        throw unauthenticated(`The token was issued more than ${maxAge} s ago (AUTH_JWT_MAX_AGE_SECONDS); get a fresh one from the app.`);
      const userId = payload[config.AUTH_USER_ID_CLAIM];
      if (typeof userId !== 'string' || !HOST_USER_ID.test(userId)) {
        throw unauthenticated(
          `The token's "${config.AUTH_USER_ID_CLAIM}" claim must be the user's id: 1 to 128 letters, digits or "_.@+-".`,
        );
      }
      const name = payload[config.AUTH_USERNAME_CLAIM];
      return { userId, username: typeof name === 'string' && name.length ? name : null };
    },
  };
}

/** The app's key set could not be fetched or read. */
class KeySetUnavailable extends Error {
  constructor(cause: unknown) {
    super('the key set could not be fetched', { cause });
  }
}

function refusal(e: unknown): AppError {
  if (e instanceof errors.JWTExpired) return unauthenticated('The token has expired; get a fresh one from the app.');
  if (e instanceof errors.JWTClaimValidationFailed) return unauthenticated(`The token's "${e.claim}" claim is not accepted (${e.reason}).`);
  if (e instanceof errors.JWKSNoMatchingKey)
    return unauthenticated('The token is signed with a key the app does not publish (AUTH_JWKS_URL).');
  if (
    e instanceof KeySetUnavailable ||
    e instanceof errors.JWKSTimeout ||
    e instanceof errors.JWKSInvalid ||
    !(e instanceof errors.JOSEError)
  ) {
    return new AppError('UNAVAILABLE', "The app's key set (AUTH_JWKS_URL) could not be fetched; try again shortly.");
  }
  return unauthenticated('The token is not valid: it must be a JWT the app signed, with the configured issuer and audience.');
}
