import { expect } from 'vitest';
import { uniqueName, type Session, type TestServer } from './server.js';
import type { Operation } from './operation.js';
import {
  AddGroupUsersDocument,
  BanGroupUsersDocument,
  BlockDocument,
  BlockedDocument,
  CreateGroupDocument,
  DeleteNotificationsDocument,
  DemoteGroupUsersDocument,
  JoinGroupDocument,
  KickGroupUsersDocument,
  LeaveGroupDocument,
  MarkReadDocument,
  MembersDocument,
  MyGroupsDocument,
  NotificationsDocument,
  OnNotificationDocument,
  PromoteGroupUsersDocument,
  RemoveDocument,
  UnblockDocument,
  UpdateDocument,
} from '../generated/operations.js';

/** Operations of groups, blocks, notifications and editing: typed documents from test/documents/api.graphql. */
export const S = {
  createGroup: CreateGroupDocument,
  joinGroup: JoinGroupDocument,
  leaveGroup: LeaveGroupDocument,
  add: AddGroupUsersDocument,
  kick: KickGroupUsersDocument,
  promote: PromoteGroupUsersDocument,
  demote: DemoteGroupUsersDocument,
  ban: BanGroupUsersDocument,
  members: MembersDocument,
  myGroups: MyGroupsDocument,
  block: BlockDocument,
  unblock: UnblockDocument,
  blocked: BlockedDocument,
  notifications: NotificationsDocument,
  markRead: MarkReadDocument,
  deleteNotifications: DeleteNotificationsDocument,
  onNotification: OnNotificationDocument,
  update: UpdateDocument,
  remove: RemoveDocument,
};

/** The operation's data; fails the test with the errors otherwise. */
export async function ok(server: TestServer, query: Operation, variables: Record<string, unknown>, s: Session): Promise<any> {
  const r = await server.gql(query, variables, s.token);
  if (r.errors?.length || !r.data) throw new Error(`expected success, got ${JSON.stringify(r.errors)}`);
  return r.data;
}

/** The refusal: asserts there is no data and returns the first error (with extensions.code). */
export async function refused(server: TestServer, query: Operation, variables: Record<string, unknown>, s: Session) {
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
