import { builder } from '../../schema/builder.js';
import { viewerOf } from '../../schema/context.js';
import { unauthenticated } from '../../lib/errors.js';
import { authenticateDevice, authenticateToken, findUsers, MAX_LOOKUP, signOut, type AuthResult } from './users.service.js';

export const UserRef = builder.prismaObject('User', {
  description: 'A user: signed in by device (authenticateDevice) or vouched for by the host app (authenticateToken).',
  fields: (t) => ({
    id: t.exposeID('id', { description: "The user id; for users of the host app, the app's own id for them." }),
    username: t.exposeString('username', { description: 'Unique regardless of case; shown as given.' }),
    createTime: t.expose('createTime', { type: 'DateTime', description: 'When the user first signed in.' }),
  }),
});

const AuthPayload = builder.objectRef<AuthResult>('AuthPayload').implement({
  description: 'A new session.',
  fields: (t) => ({
    token: t.exposeString('token', {
      description: 'Send as "Authorization: Bearer <token>" (HTTP) or connectionParams.authorization (WebSocket).',
    }),
    id: t.exposeID('sessionId', { description: 'The session id (as sessionId), so a normalized cache can key the payload.' }),
    sessionId: t.exposeID('sessionId', { description: 'This session: one login on one device. Presences belong to sessions.' }),
    user: t.field({ type: UserRef, description: 'Who signed in.', resolve: (p) => p.user as never }),
  }),
});

builder.mutationField('authenticateDevice', (t) =>
  t.field({
    type: AuthPayload,
    description: 'Signs in the user of a device (creating them on first use) and starts a new session.',
    args: {
      deviceId: t.arg.string({
        required: true,
        description: 'A stable id of the device, 6..128 characters: the same id always signs in the same user.',
      }),
      username: t.arg.string({
        description: 'Used when the user is created; 1..64 letters, digits, "_", "." or "-"; generated when omitted.',
      }),
    },
    resolve: async (_, args, ctx) => {
      await ctx.deps.rateLimits.consume('auth', ctx.clientAddress);
      return authenticateDevice(ctx.deps, args);
    },
  }),
);

builder.mutationField('authenticateToken', (t) =>
  t.field({
    type: AuthPayload,
    description:
      "Signs in a user the host app vouches for: `token` is a JWT the app's backend issued (verified with AUTH_JWT_SECRET or AUTH_JWKS_URL, AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE). Creates the user on first use, with the app's id for them as their id here, and starts a new session.",
    args: { token: t.arg.string({ required: true, description: 'The JWT from the host app.' }) },
    resolve: async (_, args, ctx) => {
      await ctx.deps.rateLimits.consume('auth', ctx.clientAddress);
      return authenticateToken(ctx.deps, args.token);
    },
  }),
);

builder.mutationField('signOut', (t) =>
  t.boolean({
    description:
      'Ends the calling session: its token stops working on HTTP, its realtime connections close (WebSocket close code 4401) and its presences leave.',
    resolve: async (_, __, ctx) => {
      await signOut(ctx.deps, viewerOf(ctx));
      return true;
    },
  }),
);

builder.queryField('users', (t) =>
  t.prismaField({
    type: ['User'],
    description: 'Looks users up by id or by username (regardless of case), e.g. to open a direct chat; unknown ones are left out.',
    args: {
      ids: t.arg.idList({ description: `Up to ${MAX_LOOKUP} user ids.` }),
      usernames: t.arg.stringList({ description: `Up to ${MAX_LOOKUP} usernames.` }),
    },
    resolve: (query, _, a, ctx) => {
      viewerOf(ctx);
      return findUsers(ctx.deps, { ids: a.ids ?? [], usernames: a.usernames ?? [] }, query);
    },
  }),
);

builder.queryField('me', (t) =>
  t.prismaField({
    type: 'User',
    description: 'The signed-in user.',
    resolve: async (query, _, __, ctx) => {
      const viewer = viewerOf(ctx);
      const user = await ctx.deps.prisma.user.findUnique({ ...query, where: { id: viewer.userId } });
      if (!user) throw unauthenticated('The user of this token no longer exists; sign in again.');
      return user;
    },
  }),
);
