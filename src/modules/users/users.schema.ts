import { builder } from '../../schema/builder.js';
import { viewerOf } from '../../schema/context.js';
import { unauthenticated } from '../../lib/errors.js';
import { authenticateDevice, authenticateToken, signOut, type AuthResult } from './users.service.js';

export const UserRef = builder.prismaObject('User', {
  fields: (t) => ({
    id: t.exposeID('id'),
    username: t.exposeString('username'),
    createTime: t.expose('createTime', { type: 'DateTime' }),
  }),
});

const AuthPayload = builder.objectRef<AuthResult>('AuthPayload').implement({
  fields: (t) => ({
    token: t.exposeString('token', { description: 'Send as "Authorization: Bearer <token>" (HTTP) or connectionParams.authorization (WebSocket).' }),
    sessionId: t.exposeID('sessionId'),
    user: t.field({ type: UserRef, resolve: (p) => p.user as never }),
  }),
});

builder.mutationField('authenticateDevice', (t) =>
  t.field({
    type: AuthPayload,
    description: 'Signs in the user of a device (creating them on first use) and starts a new session.',
    args: { deviceId: t.arg.string({ required: true }), username: t.arg.string() },
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

builder.queryField('me', (t) =>
  t.prismaField({
    type: 'User',
    resolve: async (query, _, __, ctx) => {
      const viewer = viewerOf(ctx);
      const user = await ctx.deps.prisma.user.findUnique({ ...query, where: { id: viewer.userId } });
      if (!user) throw unauthenticated('The user of this token no longer exists; sign in again.');
      return user;
    },
  }),
);
