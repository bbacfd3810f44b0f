import { builder } from '../../schema/builder.js';
import { viewerOf } from '../../schema/context.js';
import { UserRef } from '../users/users.schema.js';
import { blockedUsers, blockUsers, unblockUsers } from './blocks.service.js';

builder.mutationFields((t) => ({
  blockUsers: t.boolean({
    description: 'Blocked users cannot join or send into a direct chat with you, and their messages stop reaching your live feeds.',
    args: { userIds: t.arg.idList({ required: true, description: 'The users to block, at most 100.' }) },
    resolve: (_, a, ctx) => blockUsers(ctx.deps, viewerOf(ctx), a.userIds),
  }),
  unblockUsers: t.boolean({
    description: 'Lifts your blocks of these users.',
    args: { userIds: t.arg.idList({ required: true, description: 'The users to unblock, at most 100.' }) },
    resolve: (_, a, ctx) => unblockUsers(ctx.deps, viewerOf(ctx), a.userIds),
  }),
}));

builder.queryField('blockedUsers', (t) =>
  t.field({
    type: [UserRef],
    description: 'The users you block, in the order you blocked them.',
    resolve: (_, __, ctx) => blockedUsers(ctx.deps, viewerOf(ctx)) as never,
  }),
);
