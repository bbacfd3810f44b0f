import { expect } from 'vitest';
import { uniqueName, type Session, type TestServer } from './server.js';

const usersOp = (op: string) => `mutation($g: ID!, $u: [ID!]!) { ${op}(groupId: $g, userIds: $u) { id memberCount } }`;

/** Operations of groups, blocks, notifications and editing, as clients send them. */
export const S = {
  createGroup: `mutation($n: String!, $d: String, $o: Boolean) { createGroup(name: $n, description: $d, open: $o) { id name description open memberCount } }`,
  joinGroup: `mutation($g: ID!) { joinGroup(groupId: $g) { id memberCount } }`,
  leaveGroup: `mutation($g: ID!) { leaveGroup(groupId: $g) }`,
  add: usersOp('addGroupUsers'),
  kick: usersOp('kickGroupUsers'),
  promote: usersOp('promoteGroupUsers'),
  demote: usersOp('demoteGroupUsers'),
  ban: usersOp('banGroupUsers'),
  members: `query($g: ID!, $first: Int, $after: String) {
    groupMembers(groupId: $g, first: $first, after: $after) { edges { cursor node { role user { id username } } } pageInfo { hasNextPage endCursor } }
  }`,
  myGroups: `query($first: Int, $after: String) {
    myGroups(first: $first, after: $after) { edges { cursor node { id name open memberCount } } pageInfo { hasNextPage endCursor } }
  }`,
  block: `mutation($u: [ID!]!) { blockUsers(userIds: $u) }`,
  unblock: `mutation($u: [ID!]!) { unblockUsers(userIds: $u) }`,
  blocked: `query { blockedUsers { id username } }`,
  notifications: `query($first: Int, $after: String) {
    notifications(first: $first, after: $after) { edges { cursor node { id code subject content senderId read createTime } } pageInfo { hasNextPage endCursor } }
  }`,
  markRead: `mutation($ids: [ID!]!) { markNotificationsRead(ids: $ids) }`,
  deleteNotifications: `mutation($ids: [ID!]!) { deleteNotifications(ids: $ids) }`,
  onNotification: `subscription { notification { id code subject content senderId read } }`,
  update: `mutation($c: ID!, $m: ID!, $content: JSONObject!) {
    updateMessage(channelId: $c, messageId: $m, content: $content) { channelId messageId code username createTime updateTime persistent groupId }
  }`,
  remove: `mutation($c: ID!, $m: ID!) { removeMessage(channelId: $c, messageId: $m) { channelId messageId code username createTime updateTime persistent } }`,
};

/** The operation's data; fails the test with the errors otherwise. */
export async function ok(server: TestServer, query: string, variables: Record<string, unknown>, s: Session): Promise<any> {
  const r = await server.gql(query, variables, s.token);
  if (r.errors?.length || !r.data) throw new Error(`expected success, got ${JSON.stringify(r.errors)}`);
  return r.data;
}

/** The refusal: asserts there is no data and returns the first error (with extensions.code). */
export async function refused(server: TestServer, query: string, variables: Record<string, unknown>, s: Session) {
  const r = await server.gql(query, variables, s.token);
  expect(r.errors?.length, `expected a refusal, got ${JSON.stringify(r.data)}`).toBeGreaterThan(0);
  expect(r.data ?? null).toBeNull();
  return r.errors![0]!;
}

export async function createGroup(server: TestServer, owner: Session, open = true): Promise<string> {
  return (await ok(server, S.createGroup, { n: uniqueName('group'), o: open }, owner)).createGroup.id;
}

/** userId -> role, as a superadmin or admin sees the group. */
export async function rolesOf(server: TestServer, admin: Session, groupId: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  let after: string | null = null;
  for (;;) {
    const page: any = (await ok(server, S.members, { g: groupId, first: 100, after }, admin)).groupMembers;
    for (const e of page.edges) out[e.node.user.id] = e.node.role;
    if (!page.pageInfo.hasNextPage) return out;
    after = page.pageInfo.endCursor;
  }
}

export async function notificationsOf(server: TestServer, s: Session): Promise<any[]> {
  return (await ok(server, S.notifications, { first: 100 }, s)).notifications.edges.map((e: any) => e.node);
}
