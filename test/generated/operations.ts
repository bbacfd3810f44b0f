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

/** A new session. */
export type AuthPayload = {
  __typename?: 'AuthPayload';
  /** The session id (as sessionId), so a normalized cache can key the payload. */
  id: Scalars['ID']['output'];
  /** This session: one login on one device. Presences belong to sessions. */
  sessionId: Scalars['ID']['output'];
  /** Send as "Authorization: Bearer <token>" (HTTP) or connectionParams.authorization (WebSocket). */
  token: Scalars['String']['output'];
  /** Who signed in. */
  user: User;
};

/** A channel this session has joined, with who was there when it joined. */
export type Channel = {
  __typename?: 'Channel';
  /** GROUP only. */
  groupId: Maybe<Scalars['ID']['output']>;
  /** room:<name>, group:<group id> or direct:<user id>:<user id>; the same whoever joins. */
  id: Scalars['ID']['output'];
  /** Other visible presences at join time; follow changes with channelPresence. */
  presences: Array<UserPresence>;
  /** ROOM only. */
  roomName: Maybe<Scalars['String']['output']>;
  /** This session's own presence. */
  self: UserPresence;
  /** Room, direct chat or group. */
  type: ChannelType;
  /** DIRECT only: the two users in a fixed order. */
  userIdOne: Maybe<Scalars['ID']['output']>;
  /** DIRECT only. */
  userIdTwo: Maybe<Scalars['ID']['output']>;
};

/** A message in a channel: a chat message, an edit or removal of one, or a group event the server wrote. */
export type ChannelMessage = {
  __typename?: 'ChannelMessage';
  /** The channel it was sent in. */
  channelId: Scalars['ID']['output'];
  /** The sender's own id for the message, as given to sendMessage: an optimistic UI matches its pending message with it. */
  clientMessageId: Maybe<Scalars['String']['output']>;
  /** The kind as a number, as Nakama clients expect: 0 chat, 1 update, 2 remove, 3..9 group events. */
  code: Scalars['Int']['output'];
  /** The JSON object the sender sent; for group events, `userId` and `actorId`. */
  content: Scalars['JSONObject']['output'];
  /** When it was first sent. */
  createTime: Scalars['DateTime']['output'];
  /** This message's position in history, for new stored messages (null for updates, removes and messages never stored). Pass the last one received as `after` to resume with nothing lost. */
  cursor: Maybe<Scalars['String']['output']>;
  /** GROUP only. */
  groupId: Maybe<Scalars['ID']['output']>;
  /** The message id; an edit (UPDATE) or removal (REMOVE) carries the id of the message it changes. */
  id: Scalars['ID']['output'];
  /** What the message is. */
  kind: MessageKind;
  /** Whether the message is kept in history. */
  persistent: Scalars['Boolean']['output'];
  /** ROOM only. */
  roomName: Maybe<Scalars['String']['output']>;
  /** Who sent it; for group events, the user who acted. */
  senderId: Scalars['ID']['output'];
  /** When it was last edited (createTime if never). */
  updateTime: Scalars['DateTime']['output'];
  /** DIRECT only: the two users in a fixed order. */
  userIdOne: Maybe<Scalars['ID']['output']>;
  /** DIRECT only. */
  userIdTwo: Maybe<Scalars['ID']['output']>;
  /** The sender's username when it was sent. */
  username: Scalars['String']['output'];
};

/** What the sender gets back when a message was accepted: its id and times, not its content. */
export type ChannelMessageAck = {
  __typename?: 'ChannelMessageAck';
  /** The channel it was sent in. */
  channelId: Scalars['ID']['output'];
  /** The client message id given to sendMessage, if any. */
  clientMessageId: Maybe<Scalars['String']['output']>;
  /** The kind as a number (see ChannelMessage.code). */
  code: Scalars['Int']['output'];
  /** When it was first sent. */
  createTime: Scalars['DateTime']['output'];
  /** GROUP only. */
  groupId: Maybe<Scalars['ID']['output']>;
  /** The message id (as messageId), so a normalized cache can key the acknowledgement. */
  id: Scalars['ID']['output'];
  /** What the message is. */
  kind: MessageKind;
  /** The id of the message; the same id arrives on the live ChannelMessage. */
  messageId: Scalars['ID']['output'];
  /** Whether the message is kept in history. */
  persistent: Scalars['Boolean']['output'];
  /** ROOM only. */
  roomName: Maybe<Scalars['String']['output']>;
  /** When it was last edited. */
  updateTime: Scalars['DateTime']['output'];
  /** DIRECT only: the two users in a fixed order. */
  userIdOne: Maybe<Scalars['ID']['output']>;
  /** DIRECT only. */
  userIdTwo: Maybe<Scalars['ID']['output']>;
  /** The sender's username. */
  username: Scalars['String']['output'];
};

/** One page of a list (a Relay connection). */
export type ChannelMessageConnection = {
  __typename?: 'ChannelMessageConnection';
  /** The newest position this response covered; pass it as `after` with `forward: true` to get only newer messages. */
  cacheableCursor: Maybe<Scalars['String']['output']>;
  /** The items of this page, each with its cursor. */
  edges: Array<ChannelMessageEdge>;
  /** Whether more pages follow, and the cursors at the ends of this one. */
  pageInfo: PageInfo;
};

/** One item of a page, with its cursor. */
export type ChannelMessageEdge = {
  __typename?: 'ChannelMessageEdge';
  /** Pass as `after` to continue after this item. */
  cursor: Scalars['String']['output'];
  /** The item. */
  node: ChannelMessage;
};

/** Sessions that joined and left one channel. A leave naming your own sessionId means your presence ended (left, kicked, banned, blocked, expired, signed out): join again to go on. */
export type ChannelPresenceEvent = {
  __typename?: 'ChannelPresenceEvent';
  /** The channel. */
  channelId: Scalars['ID']['output'];
  /** GROUP only. */
  groupId: Maybe<Scalars['ID']['output']>;
  /** Presences that started (or changed options). */
  joins: Array<UserPresence>;
  /** Presences that ended (or were replaced by a join here). */
  leaves: Array<UserPresence>;
  /** ROOM only. */
  roomName: Maybe<Scalars['String']['output']>;
  /** DIRECT only: the two users in a fixed order. */
  userIdOne: Maybe<Scalars['ID']['output']>;
  /** DIRECT only. */
  userIdTwo: Maybe<Scalars['ID']['output']>;
};

/** The three kinds of channel. */
export type ChannelType =
  /** A direct chat between two users. */
  | 'DIRECT'
  /** A group's private channel, for its members. */
  | 'GROUP'
  /** A public room, named by its name: anyone may join. */
  | 'ROOM';

/** A group of users with roles and a private channel. */
export type Group = {
  __typename?: 'Group';
  /** What the group is about, as its creator wrote it. */
  description: Maybe<Scalars['String']['output']>;
  /** Join its channel with joinChat(target: id, type: GROUP). */
  id: Scalars['ID']['output'];
  /** Members, not join requests or bans. */
  memberCount: Scalars['Int']['output'];
  /** Unique among groups. */
  name: Scalars['String']['output'];
  /** Open: anyone may join. Closed: joinGroup asks the admins. */
  open: Scalars['Boolean']['output'];
};

/** One page of a list (a Relay connection). */
export type GroupConnection = {
  __typename?: 'GroupConnection';
  /** The items of this page, each with its cursor. */
  edges: Array<GroupEdge>;
  /** Whether more pages follow, and the cursors at the ends of this one. */
  pageInfo: PageInfo;
};

/** One item of a page, with its cursor. */
export type GroupEdge = {
  __typename?: 'GroupEdge';
  /** Pass as `after` to continue after this item. */
  cursor: Scalars['String']['output'];
  /** The item. */
  node: Group;
};

/** A user's place in a group. */
export type GroupMember = {
  __typename?: 'GroupMember';
  /** Stable for this user in this group, so a normalized cache can key memberships. */
  id: Scalars['ID']['output'];
  /** Their role. */
  role: GroupRole;
  /** The user. */
  user: User;
};

/** One page of a list (a Relay connection). */
export type GroupMemberConnection = {
  __typename?: 'GroupMemberConnection';
  /** The items of this page, each with its cursor. */
  edges: Array<GroupMemberEdge>;
  /** Whether more pages follow, and the cursors at the ends of this one. */
  pageInfo: PageInfo;
};

/** One item of a page, with its cursor. */
export type GroupMemberEdge = {
  __typename?: 'GroupMemberEdge';
  /** Pass as `after` to continue after this item. */
  cursor: Scalars['String']['output'];
  /** The item. */
  node: GroupMember;
};

/** SUPERADMIN > ADMIN > MEMBER; JOIN_REQUEST and BANNED are not members. */
export type GroupRole =
  /** Adds, kicks, bans, promotes and demotes members below them. */
  | 'ADMIN'
  /** May not join until an admin adds them again. */
  | 'BANNED'
  /** Asked to join a closed group; not a member until an admin adds them. */
  | 'JOIN_REQUEST'
  /** Joins the group channel and chats. */
  | 'MEMBER'
  /** Runs the group: everything an admin may do, on admins too. */
  | 'SUPERADMIN';

/** What a channel message is; `code` carries the same as a number, as Nakama clients expect. */
export type MessageKind =
  /** A chat message (code 0). */
  | 'CHAT'
  /** An admin added a user to the group (code 4). */
  | 'GROUP_ADD'
  /** An admin banned a user from the group (code 8). */
  | 'GROUP_BAN'
  /** An admin lowered a user one rank (code 9). */
  | 'GROUP_DEMOTE'
  /** A user joined the group (code 3). */
  | 'GROUP_JOIN'
  /** An admin removed a user from the group (code 6). */
  | 'GROUP_KICK'
  /** A user left the group (code 5). */
  | 'GROUP_LEAVE'
  /** An admin raised a user one rank (code 7). */
  | 'GROUP_PROMOTE'
  /** An earlier message was removed from history (code 2). */
  | 'REMOVE'
  /** An edit of an earlier message: same id, new content (code 1). */
  | 'UPDATE';

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
  /** Starts this session's presence in a channel (again with other options replaces it). Needed before sending to it or subscribing to it. */
  joinChat: Channel;
  /** Open group: you are a member at once. Closed: a join request the admins accept with addGroupUsers. */
  joinGroup: Group;
  /** Admins: removes members and declines join requests. */
  kickGroupUsers: Group;
  /** Ends this session's presence in the channel; true whether or not it was joined. */
  leaveChat: Scalars['Boolean']['output'];
  /** Leaves the group or withdraws a join request. The last superadmin must promote someone first. */
  leaveGroup: Scalars['Boolean']['output'];
  /** Ids that are not your notifications are ignored. */
  markNotificationsRead: Scalars['Boolean']['output'];
  /** Admins: raises members one rank, never above your own. */
  promoteGroupUsers: Group;
  /** Removes a message from history (yours, or any in a group you administer); broadcast with code 2. */
  removeMessage: ChannelMessageAck;
  /** Sends a message to a channel this session has joined: stored (unless the session joined with persistence: false) and delivered to every joined session in order. */
  sendMessage: ChannelMessageAck;
  /** Ends the calling session: its token stops working on HTTP, its realtime connections close (WebSocket close code 4401) and its presences leave. */
  signOut: Scalars['Boolean']['output'];
  /** Lifts your blocks of these users. */
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
  clientMessageId: InputMaybe<Scalars['String']['input']>;
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

/** Something the server tells one user, kept until deleted: a direct chat invite, being added to a group, a join request. */
export type Notification = {
  __typename?: 'Notification';
  /** The kind as a number, as Nakama: -1 direct chat invite, -4 added to a group, -5 join request (to the group’s admins). */
  code: Scalars['Int']['output'];
  /** The ids involved, e.g. channelId, groupId, userId. */
  content: Scalars['JSONObject']['output'];
  /** When it was stored. */
  createTime: Scalars['DateTime']['output'];
  /** The notification id. */
  id: Scalars['ID']['output'];
  /** What it is about. */
  kind: NotificationKind;
  /** Whether markNotificationsRead was called for it. */
  read: Scalars['Boolean']['output'];
  /** The user who caused it, if any. */
  senderId: Maybe<Scalars['ID']['output']>;
  /** A line a person can read. */
  subject: Scalars['String']['output'];
};

/** One page of a list (a Relay connection). */
export type NotificationConnection = {
  __typename?: 'NotificationConnection';
  /** The items of this page, each with its cursor. */
  edges: Array<NotificationEdge>;
  /** Whether more pages follow, and the cursors at the ends of this one. */
  pageInfo: PageInfo;
};

/** One item of a page, with its cursor. */
export type NotificationEdge = {
  __typename?: 'NotificationEdge';
  /** Pass as `after` to continue after this item. */
  cursor: Scalars['String']['output'];
  /** The item. */
  node: Notification;
};

/** What a notification is about; `code` carries the same as a number, as Nakama clients expect. */
export type NotificationKind =
  /** Someone opened a direct chat with you (code -1); join it with joinChat(target: senderId, type: DIRECT). */
  | 'DIRECT_INVITE'
  /** An admin added you to a group (code -4). */
  | 'GROUP_ADD'
  /** Someone asks to join a closed group you administer (code -5); accept with addGroupUsers. */
  | 'GROUP_JOIN_REQUEST';

/** Where a page sits in its list (Relay). */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** The cursor of the last item of this page; pass it as `after` for the next page. */
  endCursor: Maybe<Scalars['String']['output']>;
  /** Whether more items follow: pass endCursor as `after` to get them. */
  hasNextPage: Scalars['Boolean']['output'];
  /** Whether items come before this page. */
  hasPreviousPage: Scalars['Boolean']['output'];
  /** The cursor of the first item of this page, if any. */
  startCursor: Maybe<Scalars['String']['output']>;
};

export type Query = {
  __typename?: 'Query';
  /** The users you block, in the order you blocked them. */
  blockedUsers: Array<User>;
  /** Stored messages of a channel; newest first unless forward is true. Works without joining (a peek). */
  channelMessages: ChannelMessageConnection;
  /** Who is in a channel now (hidden sessions left out); answered for sessions that may join it. */
  channelPresences: Array<UserPresence>;
  /** A group’s users and roles, for its members; admins also see join requests and bans. */
  groupMembers: GroupMemberConnection;
  /** The signed-in user. */
  me: User;
  /** The channels this session has joined and not left, each with who is there now: what a client re-opens after a reload. */
  myChannels: Array<Channel>;
  /** The groups you are a member of. */
  myGroups: GroupConnection;
  /** Your notifications, newest first. */
  notifications: NotificationConnection;
  /** Looks users up by id or by username (regardless of case), e.g. to open a direct chat; unknown ones are left out. */
  users: Array<User>;
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


export type QueryUsersArgs = {
  ids: InputMaybe<Array<Scalars['ID']['input']>>;
  usernames: InputMaybe<Array<Scalars['String']['input']>>;
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

/** A user: signed in by device (authenticateDevice) or vouched for by the host app (authenticateToken). */
export type User = {
  __typename?: 'User';
  /** When the user first signed in. */
  createTime: Scalars['DateTime']['output'];
  /** The user id; for users of the host app, the app's own id for them. */
  id: Scalars['ID']['output'];
  /** Unique regardless of case; shown as given. */
  username: Scalars['String']['output'];
};

/** One session's presence in one channel. A user online from several sessions has several. */
export type UserPresence = {
  __typename?: 'UserPresence';
  /** Stable for this session in this channel, so a normalized cache (graphcache, Apollo) can key presences. */
  id: Scalars['ID']['output'];
  /** false: messages this session sends are not stored. */
  persistence: Scalars['Boolean']['output'];
  /** The session (one login on one device). */
  sessionId: Scalars['ID']['output'];
  /** The user. */
  userId: Scalars['ID']['output'];
  /** The user's username. */
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