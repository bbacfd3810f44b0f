/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A date-time string at UTC, such as 2007-12-03T10:15:30Z, compliant with the `date-time` format outlined in section 5.6 of the RFC 3339 profile of the ISO 8601 standard for representation of dates and times using the Gregorian calendar. */
  DateTime: { input: string; output: string; }
  /** The `JSONObject` scalar type represents JSON objects as specified by [ECMA-404](http://www.ecma-international.org/publications/files/ECMA-ST/ECMA-404.pdf). */
  JSONObject: { input: Record<string, unknown>; output: Record<string, unknown>; }
};

export type AuthPayload = {
  __typename?: 'AuthPayload';
  sessionId: Scalars['ID']['output'];
  /** Send as "Authorization: Bearer <token>" (HTTP) or connectionParams.authorization (WebSocket). */
  token: Scalars['String']['output'];
  user: User;
};

export type Channel = {
  __typename?: 'Channel';
  /** GROUP only. */
  groupId: Maybe<Scalars['ID']['output']>;
  id: Scalars['ID']['output'];
  /** Other visible presences at join time. */
  presences: Array<UserPresence>;
  /** ROOM only. */
  roomName: Maybe<Scalars['String']['output']>;
  self: UserPresence;
  type: ChannelType;
  /** DIRECT only: the two users in a fixed order. */
  userIdOne: Maybe<Scalars['ID']['output']>;
  /** DIRECT only. */
  userIdTwo: Maybe<Scalars['ID']['output']>;
};

export type ChannelMessage = {
  __typename?: 'ChannelMessage';
  channelId: Scalars['ID']['output'];
  /** 0 chat, 1 update, 2 remove, 3..9 group events. */
  code: Scalars['Int']['output'];
  content: Scalars['JSONObject']['output'];
  createTime: Scalars['DateTime']['output'];
  /** This message's position in history, for new stored messages (null for updates, removes and messages never stored). Pass the last one received as `after` to resume with nothing lost. */
  cursor: Maybe<Scalars['String']['output']>;
  /** GROUP only. */
  groupId: Maybe<Scalars['ID']['output']>;
  /** The message id. */
  id: Scalars['ID']['output'];
  /** Whether the message is kept in history. */
  persistent: Scalars['Boolean']['output'];
  /** ROOM only. */
  roomName: Maybe<Scalars['String']['output']>;
  senderId: Scalars['ID']['output'];
  updateTime: Scalars['DateTime']['output'];
  /** DIRECT only: the two users in a fixed order. */
  userIdOne: Maybe<Scalars['ID']['output']>;
  /** DIRECT only. */
  userIdTwo: Maybe<Scalars['ID']['output']>;
  username: Scalars['String']['output'];
};

export type ChannelMessageAck = {
  __typename?: 'ChannelMessageAck';
  channelId: Scalars['ID']['output'];
  code: Scalars['Int']['output'];
  createTime: Scalars['DateTime']['output'];
  /** GROUP only. */
  groupId: Maybe<Scalars['ID']['output']>;
  messageId: Scalars['ID']['output'];
  persistent: Scalars['Boolean']['output'];
  /** ROOM only. */
  roomName: Maybe<Scalars['String']['output']>;
  updateTime: Scalars['DateTime']['output'];
  /** DIRECT only: the two users in a fixed order. */
  userIdOne: Maybe<Scalars['ID']['output']>;
  /** DIRECT only. */
  userIdTwo: Maybe<Scalars['ID']['output']>;
  username: Scalars['String']['output'];
};

export type ChannelMessageConnection = {
  __typename?: 'ChannelMessageConnection';
  /** The newest position this response covered; pass it as `after` with `forward: true` to get only newer messages. */
  cacheableCursor: Maybe<Scalars['String']['output']>;
  edges: Array<ChannelMessageEdge>;
  pageInfo: PageInfo;
};

export type ChannelMessageEdge = {
  __typename?: 'ChannelMessageEdge';
  cursor: Scalars['String']['output'];
  node: ChannelMessage;
};

export type ChannelPresenceEvent = {
  __typename?: 'ChannelPresenceEvent';
  channelId: Scalars['ID']['output'];
  /** GROUP only. */
  groupId: Maybe<Scalars['ID']['output']>;
  joins: Array<UserPresence>;
  leaves: Array<UserPresence>;
  /** ROOM only. */
  roomName: Maybe<Scalars['String']['output']>;
  /** DIRECT only: the two users in a fixed order. */
  userIdOne: Maybe<Scalars['ID']['output']>;
  /** DIRECT only. */
  userIdTwo: Maybe<Scalars['ID']['output']>;
};

export type ChannelType =
  | 'DIRECT'
  | 'GROUP'
  | 'ROOM';

export type Group = {
  __typename?: 'Group';
  description: Maybe<Scalars['String']['output']>;
  /** Join its channel with joinChat(target: id, type: GROUP). */
  id: Scalars['ID']['output'];
  /** Members, not join requests or bans. */
  memberCount: Scalars['Int']['output'];
  name: Scalars['String']['output'];
  /** Open: anyone may join. Closed: joinGroup asks the admins. */
  open: Scalars['Boolean']['output'];
};

export type GroupConnection = {
  __typename?: 'GroupConnection';
  edges: Array<GroupEdge>;
  pageInfo: PageInfo;
};

export type GroupEdge = {
  __typename?: 'GroupEdge';
  cursor: Scalars['String']['output'];
  node: Group;
};

export type GroupMember = {
  __typename?: 'GroupMember';
  role: GroupRole;
  user: User;
};

export type GroupMemberConnection = {
  __typename?: 'GroupMemberConnection';
  edges: Array<GroupMemberEdge>;
  pageInfo: PageInfo;
};

export type GroupMemberEdge = {
  __typename?: 'GroupMemberEdge';
  cursor: Scalars['String']['output'];
  node: GroupMember;
};

/** SUPERADMIN > ADMIN > MEMBER; JOIN_REQUEST and BANNED are not members. */
export type GroupRole =
  | 'ADMIN'
  | 'BANNED'
  | 'JOIN_REQUEST'
  | 'MEMBER'
  | 'SUPERADMIN';

export type Mutation = {
  __typename?: 'Mutation';
  /** Admins: adds users, accepting join requests and lifting bans. */
  addGroupUsers: Group;
  /** Signs in the user of a device (creating them on first use) and starts a new session. */
  authenticateDevice: AuthPayload;
  /** Signs in a user the host app vouches for: `token` is a JWT the app's backend issued (verified with AUTH_JWT_SECRET or AUTH_JWKS_URL, AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE). Creates the user on first use, with the app's id for them as their id here, and starts a new session. */
  authenticateToken: AuthPayload;
  /** Admins: bans users, members or not; members lose membership at once. */
  banGroupUsers: Group;
  /** Blocked users cannot join or send into a direct chat with you, and their messages stop reaching your live feeds. */
  blockUsers: Scalars['Boolean']['output'];
  /** You become its superadmin. Names are unique. */
  createGroup: Group;
  /** Ids that are not your notifications are ignored. */
  deleteNotifications: Scalars['Boolean']['output'];
  /** Admins: lowers members one rank; nobody above your own. */
  demoteGroupUsers: Group;
  joinChat: Channel;
  /** Open group: you are a member at once. Closed: a join request the admins accept with addGroupUsers. */
  joinGroup: Group;
  /** Admins: removes members and declines join requests. */
  kickGroupUsers: Group;
  leaveChat: Scalars['Boolean']['output'];
  /** Leaves the group or withdraws a join request. The last superadmin must promote someone first. */
  leaveGroup: Scalars['Boolean']['output'];
  /** Ids that are not your notifications are ignored. */
  markNotificationsRead: Scalars['Boolean']['output'];
  /** Admins: raises members one rank, never above your own. */
  promoteGroupUsers: Group;
  /** Removes a message from history (yours, or any in a group you administer); broadcast with code 2. */
  removeMessage: ChannelMessageAck;
  sendMessage: ChannelMessageAck;
  /** Ends the calling session: its token stops working on HTTP, its realtime connections close (WebSocket close code 4401) and its presences leave. */
  signOut: Scalars['Boolean']['output'];
  unblockUsers: Scalars['Boolean']['output'];
  /** Replaces the content of your own message in place; broadcast with code 1. */
  updateMessage: ChannelMessageAck;
};


export type MutationAddGroupUsersArgs = {
  groupId: Scalars['ID']['input'];
  userIds: Array<Scalars['ID']['input']>;
};


export type MutationAuthenticateDeviceArgs = {
  deviceId: Scalars['String']['input'];
  username: InputMaybe<Scalars['String']['input']>;
};


export type MutationAuthenticateTokenArgs = {
  token: Scalars['String']['input'];
};


export type MutationBanGroupUsersArgs = {
  groupId: Scalars['ID']['input'];
  userIds: Array<Scalars['ID']['input']>;
};


export type MutationBlockUsersArgs = {
  userIds: Array<Scalars['ID']['input']>;
};


export type MutationCreateGroupArgs = {
  description: InputMaybe<Scalars['String']['input']>;
  name: Scalars['String']['input'];
  open?: InputMaybe<Scalars['Boolean']['input']>;
};


export type MutationDeleteNotificationsArgs = {
  ids: Array<Scalars['ID']['input']>;
};


export type MutationDemoteGroupUsersArgs = {
  groupId: Scalars['ID']['input'];
  userIds: Array<Scalars['ID']['input']>;
};


export type MutationJoinChatArgs = {
  hidden?: InputMaybe<Scalars['Boolean']['input']>;
  persistence?: InputMaybe<Scalars['Boolean']['input']>;
  target: Scalars['String']['input'];
  type: ChannelType;
};


export type MutationJoinGroupArgs = {
  groupId: Scalars['ID']['input'];
};


export type MutationKickGroupUsersArgs = {
  groupId: Scalars['ID']['input'];
  userIds: Array<Scalars['ID']['input']>;
};


export type MutationLeaveChatArgs = {
  channelId: Scalars['ID']['input'];
};


export type MutationLeaveGroupArgs = {
  groupId: Scalars['ID']['input'];
};


export type MutationMarkNotificationsReadArgs = {
  ids: Array<Scalars['ID']['input']>;
};


export type MutationPromoteGroupUsersArgs = {
  groupId: Scalars['ID']['input'];
  userIds: Array<Scalars['ID']['input']>;
};


export type MutationRemoveMessageArgs = {
  channelId: Scalars['ID']['input'];
  messageId: Scalars['ID']['input'];
};


export type MutationSendMessageArgs = {
  channelId: Scalars['ID']['input'];
  content: Scalars['JSONObject']['input'];
};


export type MutationUnblockUsersArgs = {
  userIds: Array<Scalars['ID']['input']>;
};


export type MutationUpdateMessageArgs = {
  channelId: Scalars['ID']['input'];
  content: Scalars['JSONObject']['input'];
  messageId: Scalars['ID']['input'];
};

export type Notification = {
  __typename?: 'Notification';
  /** -1 direct chat invite, -4 added to a group, -5 join request (to the group’s admins). */
  code: Scalars['Int']['output'];
  /** The ids involved, e.g. channelId, groupId, userId. */
  content: Scalars['JSONObject']['output'];
  createTime: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  read: Scalars['Boolean']['output'];
  senderId: Maybe<Scalars['ID']['output']>;
  subject: Scalars['String']['output'];
};

export type NotificationConnection = {
  __typename?: 'NotificationConnection';
  edges: Array<NotificationEdge>;
  pageInfo: PageInfo;
};

export type NotificationEdge = {
  __typename?: 'NotificationEdge';
  cursor: Scalars['String']['output'];
  node: Notification;
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  hasPreviousPage: Scalars['Boolean']['output'];
  startCursor: Maybe<Scalars['String']['output']>;
};

export type Query = {
  __typename?: 'Query';
  /** The users you block, in the order you blocked them. */
  blockedUsers: Array<User>;
  /** Stored messages of a channel; newest first unless forward is true. Works without joining (a peek). */
  channelMessages: ChannelMessageConnection;
  channelPresences: Array<UserPresence>;
  /** A group’s users and roles, for its members; admins also see join requests and bans. */
  groupMembers: GroupMemberConnection;
  me: User;
  /** The groups you are a member of. */
  myGroups: GroupConnection;
  /** Your notifications, newest first. */
  notifications: NotificationConnection;
};


export type QueryChannelMessagesArgs = {
  after: InputMaybe<Scalars['String']['input']>;
  channelId: Scalars['ID']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  forward?: InputMaybe<Scalars['Boolean']['input']>;
};


export type QueryChannelPresencesArgs = {
  channelId: Scalars['ID']['input'];
};


export type QueryGroupMembersArgs = {
  after: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  groupId: Scalars['ID']['input'];
};


export type QueryMyGroupsArgs = {
  after: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryNotificationsArgs = {
  after: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type Subscription = {
  __typename?: 'Subscription';
  /** Messages of one joined channel, or (without channelId) of every channel this session joins. With after: stored messages after that cursor first, then live. */
  channelMessage: ChannelMessage;
  /** Joins and leaves in one joined channel, or (without channelId) in every channel this session joins. */
  channelPresence: ChannelPresenceEvent;
  /** Your notifications as they are stored, on every session. */
  notification: Notification;
};


export type SubscriptionChannelMessageArgs = {
  after: InputMaybe<Scalars['String']['input']>;
  channelId: InputMaybe<Scalars['ID']['input']>;
};


export type SubscriptionChannelPresenceArgs = {
  channelId: InputMaybe<Scalars['ID']['input']>;
};

export type User = {
  __typename?: 'User';
  createTime: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  username: Scalars['String']['output'];
};

export type UserPresence = {
  __typename?: 'UserPresence';
  persistence: Scalars['Boolean']['output'];
  sessionId: Scalars['ID']['output'];
  userId: Scalars['ID']['output'];
  username: Scalars['String']['output'];
};

export type SignInMutationVariables = Exact<{
  deviceId: string;
  username?: string | null | undefined;
}>;


export type SignInMutation = { authenticateDevice: { token: string, sessionId: string, user: { id: string, username: string, createTime: string } } };

export type JoinRoomMutationVariables = Exact<{
  name: string;
}>;


export type JoinRoomMutation = { joinChat: { id: string, roomName: string | null, presences: Array<{ userId: string, sessionId: string, username: string }>, self: { sessionId: string } } };

export type SendMutationVariables = Exact<{
  channelId: string | number;
  content: Record<string, unknown>;
}>;


export type SendMutation = { sendMessage: { messageId: string, createTime: string } };

export type LiveSubscriptionVariables = Exact<{
  channelId?: string | number | null | undefined;
}>;


export type LiveSubscription = { channelMessage: { id: string, channelId: string, username: string, content: Record<string, unknown>, createTime: string } };

export type HistoryQueryVariables = Exact<{
  channelId: string | number;
  first?: number | null | undefined;
  after?: string | null | undefined;
  forward?: boolean | null | undefined;
}>;


export type HistoryQuery = { channelMessages: { cacheableCursor: string | null, edges: Array<{ cursor: string, node: { id: string, username: string, content: Record<string, unknown>, createTime: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };


export const SignInDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SignIn"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"deviceId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"username"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"authenticateDevice"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"deviceId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"deviceId"}}},{"kind":"Argument","name":{"kind":"Name","value":"username"},"value":{"kind":"Variable","name":{"kind":"Name","value":"username"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"token"}},{"kind":"Field","name":{"kind":"Name","value":"sessionId"}},{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"username"}},{"kind":"Field","name":{"kind":"Name","value":"createTime"}}]}}]}}]}}]} as unknown as DocumentNode<SignInMutation, SignInMutationVariables>;
export const JoinRoomDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"JoinRoom"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"joinChat"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"target"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}},{"kind":"Argument","name":{"kind":"Name","value":"type"},"value":{"kind":"EnumValue","value":"ROOM"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"roomName"}},{"kind":"Field","name":{"kind":"Name","value":"presences"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"sessionId"}},{"kind":"Field","name":{"kind":"Name","value":"username"}}]}},{"kind":"Field","name":{"kind":"Name","value":"self"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sessionId"}}]}}]}}]}}]} as unknown as DocumentNode<JoinRoomMutation, JoinRoomMutationVariables>;
export const SendDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Send"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"channelId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"content"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"JSONObject"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sendMessage"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"channelId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"channelId"}}},{"kind":"Argument","name":{"kind":"Name","value":"content"},"value":{"kind":"Variable","name":{"kind":"Name","value":"content"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"messageId"}},{"kind":"Field","name":{"kind":"Name","value":"createTime"}}]}}]}}]} as unknown as DocumentNode<SendMutation, SendMutationVariables>;
export const LiveDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"Live"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"channelId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"channelMessage"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"channelId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"channelId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"channelId"}},{"kind":"Field","name":{"kind":"Name","value":"username"}},{"kind":"Field","name":{"kind":"Name","value":"content"}},{"kind":"Field","name":{"kind":"Name","value":"createTime"}}]}}]}}]} as unknown as DocumentNode<LiveSubscription, LiveSubscriptionVariables>;
export const HistoryDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"History"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"channelId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"forward"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"channelMessages"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"channelId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"channelId"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"forward"},"value":{"kind":"Variable","name":{"kind":"Name","value":"forward"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"username"}},{"kind":"Field","name":{"kind":"Name","value":"content"}},{"kind":"Field","name":{"kind":"Name","value":"createTime"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"cacheableCursor"}}]}}]}}]} as unknown as DocumentNode<HistoryQuery, HistoryQueryVariables>;