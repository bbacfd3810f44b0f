import { builder } from '../../schema/builder.js';
import { viewerOf } from '../../schema/context.js';
import { UserRef } from '../users/users.schema.js';
import { addGroupUsers, banGroupUsers, demoteGroupUsers, kickGroupUsers, promoteGroupUsers } from './admin.service.js';
import type { GroupView } from './group-tx.js';
import { createGroup, joinGroup, leaveGroup } from './groups.service.js';
import { groupMembers, myGroups, type GroupMemberView } from './lists.service.js';

const GroupRoleEnum = builder.enumType('GroupRole', {
  description: 'SUPERADMIN > ADMIN > MEMBER; JOIN_REQUEST and BANNED are not members.',
  values: {
    SUPERADMIN: { description: 'Runs the group: everything an admin may do, on admins too.' },
    ADMIN: { description: 'Adds, kicks, bans, promotes and demotes members below them.' },
    MEMBER: { description: 'Joins the group channel and chats.' },
    JOIN_REQUEST: { description: 'Asked to join a closed group; not a member until an admin adds them.' },
    BANNED: { description: 'May not join until an admin adds them again.' },
  },
});

const GroupRef = builder.objectRef<GroupView>('Group').implement({
  description: 'A group of users with roles and a private channel.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Join its channel with joinChat(target: id, type: GROUP).' }),
    name: t.exposeString('name', { description: 'Unique among groups.' }),
    description: t.exposeString('description', { nullable: true, description: 'What the group is about, as its creator wrote it.' }),
    open: t.exposeBoolean('open', { description: 'Open: anyone may join. Closed: joinGroup asks the admins.' }),
    memberCount: t.exposeInt('memberCount', { description: 'Members, not join requests or bans.' }),
  }),
});

const GroupMemberRef = builder.objectRef<GroupMemberView>('GroupMember').implement({
  description: "A user's place in a group.",
  fields: (t) => ({
    id: t.id({
      description: 'Stable for this user in this group, so a normalized cache can key memberships.',
      resolve: (m) => `${m.groupId}/${m.user.id}`,
    }),
    user: t.field({ type: UserRef, description: 'The user.', resolve: (m) => m.user as never }),
    role: t.field({ type: GroupRoleEnum, description: 'Their role.', resolve: (m) => m.role }),
  }),
});

const GroupConnection = builder.connectionObject({ type: GroupRef, name: 'GroupConnection' }, {});
const GroupMemberConnection = builder.connectionObject({ type: GroupMemberRef, name: 'GroupMemberConnection' }, {});

builder.queryFields((t) => ({
  myGroups: t.field({
    type: GroupConnection,
    description: 'The groups you are a member of.',
    args: {
      first: t.arg.int({ defaultValue: 20, description: '1..100' }),
      after: t.arg.string({ description: 'pageInfo.endCursor of the previous page.' }),
    },
    resolve: (_, a, ctx) => myGroups(ctx.deps, viewerOf(ctx), { first: a.first ?? 20, after: a.after ?? null }),
  }),
  groupMembers: t.field({
    type: GroupMemberConnection,
    description: 'A group’s users and roles, for its members; admins also see join requests and bans.',
    args: {
      groupId: t.arg.id({ required: true, description: 'The group.' }),
      first: t.arg.int({ defaultValue: 20, description: '1..100' }),
      after: t.arg.string({ description: 'pageInfo.endCursor of the previous page.' }),
    },
    resolve: (_, a, ctx) => groupMembers(ctx.deps, viewerOf(ctx), { groupId: a.groupId, first: a.first ?? 20, after: a.after ?? null }),
  }),
}));

/** The admin operations share one shape: a group, some users, the group afterwards. */
const adminOps = {
  addGroupUsers: [addGroupUsers, 'Admins: adds users, accepting join requests and lifting bans.'],
  kickGroupUsers: [kickGroupUsers, 'Admins: removes members and declines join requests.'],
  promoteGroupUsers: [promoteGroupUsers, 'Admins: raises members one rank, never above your own.'],
  demoteGroupUsers: [demoteGroupUsers, 'Admins: lowers members one rank; nobody above your own.'],
  banGroupUsers: [banGroupUsers, 'Admins: bans users, members or not; members lose membership at once.'],
} as const;

builder.mutationFields((t) =>
  Object.fromEntries(
    Object.entries(adminOps).map(([name, [run, description]]) => [
      name,
      t.field({
        type: GroupRef,
        description,
        args: {
          groupId: t.arg.id({ required: true, description: 'The group.' }),
          userIds: t.arg.idList({ required: true, description: 'The users, at most 100.' }),
        },
        resolve: (_, a, ctx) => run(ctx.deps, viewerOf(ctx), a.groupId, a.userIds),
      }),
    ]),
  ),
);

builder.mutationFields((t) => ({
  createGroup: t.field({
    type: GroupRef,
    description: 'You become its superadmin. Names are unique.',
    args: {
      name: t.arg.string({ required: true, description: 'Unique among groups.' }),
      description: t.arg.string({ description: 'What the group is about.' }),
      open: t.arg.boolean({ defaultValue: true, description: 'true: anyone may join; false: joining asks the admins.' }),
    },
    resolve: async (_, a, ctx) => {
      const viewer = viewerOf(ctx);
      await ctx.deps.rateLimits.consume('group', viewer.userId);
      return createGroup(ctx.deps, viewer, { name: a.name, description: a.description ?? null, open: a.open ?? true });
    },
  }),
  joinGroup: t.field({
    type: GroupRef,
    description: 'Open group: you are a member at once. Closed: a join request the admins accept with addGroupUsers.',
    args: { groupId: t.arg.id({ required: true, description: 'The group.' }) },
    resolve: (_, a, ctx) => joinGroup(ctx.deps, viewerOf(ctx), a.groupId),
  }),
  leaveGroup: t.boolean({
    description: 'Leaves the group or withdraws a join request. The last superadmin must promote someone first.',
    args: { groupId: t.arg.id({ required: true, description: 'The group.' }) },
    resolve: (_, a, ctx) => leaveGroup(ctx.deps, viewerOf(ctx), a.groupId),
  }),
}));
