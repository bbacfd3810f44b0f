import { randomBytes } from 'node:crypto';
import { uuidv7 } from 'uuidv7';
import type { Deps } from '../../deps.js';
import { AppError, badInput, forbidden } from '../../lib/errors.js';
import { isUniqueViolation } from '../../lib/prisma-errors.js';
import { hasControlCharacters } from '../../domain/channel-ref.js';
import type { Viewer } from '../../domain/viewer.js';

export interface AuthResult {
  token: string;
  sessionId: string;
  user: { id: string; username: string; createTime: Date };
}

const USERNAME = /^[\p{L}\p{N}_.-]{1,64}$/u;

function validate(deviceId: string, username: string | null | undefined) {
  if (deviceId.length < 6 || deviceId.length > 128 || hasControlCharacters(deviceId)) {
    throw badInput('deviceId must be 6 to 128 characters without control characters.');
  }
  if (username != null && !USERNAME.test(username)) {
    throw badInput('username must be 1 to 64 letters, digits, "_", "." or "-".');
  }
}

/**
 * Signs in the user of a device, creating them on first use, and starts a new
 * session. `username` only matters when the user is created.
 */
export async function authenticateDevice(deps: Deps, input: { deviceId: string; username?: string | null }): Promise<AuthResult> {
  if (!deps.config.AUTH_DEVICE) {
    throw forbidden(
      'authenticateDevice is switched off on this server (AUTH_DEVICE=false): sign in through the app with authenticateToken.',
    );
  }
  // One spelling per name: "é" typed precomposed or as e + accent is the same username.
  const username = input.username?.normalize('NFC');
  validate(input.deviceId, username);
  return startSession(deps, await findOrCreateUser(deps, input.deviceId, username ?? null));
}

/**
 * Signs in a user the host app vouches for with a token it issued (see
 * host-tokens.ts), creating them on first use with the app's id for them as
 * their id here, and starts a new session. Their username follows the token's
 * when that name is valid and free.
 */
export async function authenticateToken(deps: Deps, token: string): Promise<AuthResult> {
  if (!deps.hostTokens) {
    throw forbidden('authenticateToken is off on this server: set AUTH_JWT_SECRET or AUTH_JWKS_URL to accept the app’s tokens.');
  }
  const claims = await deps.hostTokens.verify(token);
  const wanted = claims.username?.normalize('NFC');
  const username = wanted && USERNAME.test(wanted) ? wanted : null;
  return startSession(deps, await findOrCreateHostUser(deps, claims.userId, username));
}

async function startSession(deps: Deps, user: AuthResult['user']): Promise<AuthResult> {
  const session = await deps.prisma.session.create({ data: { id: uuidv7(), userId: user.id } });
  const viewer: Viewer = { userId: user.id, sessionId: session.id, username: user.username };
  return { token: await deps.tokens.sign(viewer), sessionId: session.id, user };
}

const generatedName = () => `user_${randomBytes(5).toString('hex')}`;

async function findOrCreateHostUser(deps: Deps, externalId: string, username: string | null) {
  const select = { id: true, username: true, createTime: true } as const;
  const existing = await deps.prisma.user.findUnique({ where: { externalId }, select });
  if (existing) {
    if (!username || username === existing.username) return existing;
    // Renamed in the app: follow it when the name is free, else keep the old one.
    try {
      return await deps.prisma.user.update({ where: { externalId }, data: { username, usernameKey: usernameKey(username) }, select });
    } catch (e) {
      if (isUniqueViolation(e)) return existing;
      throw e;
    }
  }
  if (await deps.prisma.user.findUnique({ where: { id: externalId }, select: { id: true } })) {
    throw new AppError('CONFLICT', `The user id "${externalId}" belongs to a user who signs in another way; the app must use other ids.`);
  }
  for (const name of [
    username ?? generatedName(),
    username ? `${username.slice(0, 55)}_${randomBytes(4).toString('hex')}` : generatedName(),
    generatedName(),
  ]) {
    try {
      return await deps.prisma.user.create({ data: withKey({ id: externalId, externalId, username: name }), select });
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      // Signed in concurrently, or the name is taken: then try the next name.
      const raced = await deps.prisma.user.findUnique({ where: { externalId }, select });
      if (raced) return raced;
    }
  }
  throw new Error('could not find a free username');
}

/**
 * The viewer a bearer token names: signed by this server, not expired, and
 * naming a session that still exists (not signed out or revoked). Null otherwise.
 */
export async function authenticate(deps: Deps, token: string | null): Promise<Viewer | null> {
  if (!token) return null;
  const viewer = await deps.tokens.verify(token);
  if (!viewer || !(await deps.sessions.isOpen(viewer.sessionId))) return null;
  return viewer;
}

/**
 * Ends one session: its token stops working, its connections close on every
 * process, its presences leave. Succeeds once the session's row is gone; see
 * leaveEnded for presences that cannot be ended at that moment.
 */
export async function signOut(deps: Deps, viewer: Viewer): Promise<void> {
  await deps.sessions.end([viewer.sessionId]);
  await leaveEnded(deps, [viewer.sessionId]);
}

/** Ends every session of a user (for the host app's server code, e.g. when it bans or deletes an account). Returns how many ended. */
export async function revokeSessions(deps: Deps, userId: string): Promise<number> {
  const ids = (await deps.prisma.session.findMany({ where: { userId }, select: { id: true } })).map((s) => s.id);
  await deps.sessions.end(ids);
  await leaveEnded(deps, ids);
  return ids.length;
}

/** The ended sessions' presences leave, now or (Redis down) once Redis is back: see leaveCommitted. */
async function leaveEnded(deps: Deps, sessionIds: string[]): Promise<void> {
  for (const sessionId of sessionIds) await deps.presence.leaveCommitted({ sessionId });
}

export const MAX_LOOKUP = 100;

/** Users by id or username (case-insensitive); unknown ones are left out. */
export async function findUsers<Q extends object>(deps: Deps, by: { ids: readonly string[]; usernames: readonly string[] }, query: Q) {
  if (by.ids.length > MAX_LOOKUP || by.usernames.length > MAX_LOOKUP)
    throw badInput(`Look up at most ${MAX_LOOKUP} ids and ${MAX_LOOKUP} usernames at once.`);
  if (!by.ids.length && !by.usernames.length) return [];
  const keys = by.usernames.map((u) => usernameKey(u.normalize('NFC')));
  return deps.prisma.user.findMany({
    ...query,
    where: { OR: [{ id: { in: [...by.ids] } }, { usernameKey: { in: keys } }] },
    orderBy: { username: 'asc' },
  });
}

/** Names that differ only in case are one name: the lower-cased key is unique. */
export const usernameKey = (username: string) => username.toLowerCase();
const withKey = <T extends { username: string }>(data: T) => ({ ...data, usernameKey: usernameKey(data.username) });

async function findOrCreateUser(deps: Deps, deviceId: string, username: string | null) {
  const existing = await deps.prisma.user.findUnique({ where: { deviceId } });
  if (existing) return existing;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await deps.prisma.user.create({
        data: withKey({ id: uuidv7(), deviceId, username: username ?? generatedName() }),
      });
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      // Either this device was registered concurrently, or the name is taken.
      const raced = await deps.prisma.user.findUnique({ where: { deviceId } });
      if (raced) return raced;
      if (username !== null)
        throw new AppError(
          'CONFLICT',
          `The username "${username}" is taken (names differing only in case are the same name); choose another.`,
        );
    }
  }
  throw new Error('could not generate a free username');
}
