import { MessageCode } from '../realtime/types.js';
import { NotificationCode } from '../modules/notifications/notifications.service.js';
import { builder } from './builder.js';

const MESSAGE_KINDS: Record<keyof typeof MessageCode, string> = {
  CHAT: 'A chat message (code 0).',
  UPDATE: 'An edit of an earlier message: same id, new content (code 1).',
  REMOVE: 'An earlier message was removed from history (code 2).',
  GROUP_JOIN: 'A user joined the group (code 3).',
  GROUP_ADD: 'An admin added a user to the group (code 4).',
  GROUP_LEAVE: 'A user left the group (code 5).',
  GROUP_KICK: 'An admin removed a user from the group (code 6).',
  GROUP_PROMOTE: 'An admin raised a user one rank (code 7).',
  GROUP_BAN: 'An admin banned a user from the group (code 8).',
  GROUP_DEMOTE: 'An admin lowered a user one rank (code 9).',
};
const messageKindOf = new Map(Object.entries(MessageCode).map(([name, code]) => [code as number, name as keyof typeof MessageCode]));

export const MessageKind = builder.enumType('MessageKind', {
  description: 'What a channel message is; `code` carries the same as a number, as Nakama clients expect.',
  values: Object.fromEntries(Object.entries(MESSAGE_KINDS).map(([name, description]) => [name, { value: name, description }])) as Record<
    keyof typeof MessageCode,
    { value: keyof typeof MessageCode; description: string }
  >,
});

export const messageKind = (code: number) => messageKindOf.get(code) ?? 'CHAT';

const NOTIFICATION_KINDS: Record<keyof typeof NotificationCode, string> = {
  DIRECT_INVITE: 'Someone opened a direct chat with you (code -1); join it with joinChat(target: senderId, type: DIRECT).',
  GROUP_ADD: 'An admin added you to a group (code -4).',
  GROUP_JOIN_REQUEST: 'Someone asks to join a closed group you administer (code -5); accept with addGroupUsers.',
};
const notificationKindOf = new Map(Object.entries(NotificationCode).map(([name, code]) => [code as number, name as keyof typeof NotificationCode]));

export const NotificationKind = builder.enumType('NotificationKind', {
  description: 'What a notification is about; `code` carries the same as a number, as Nakama clients expect.',
  values: Object.fromEntries(Object.entries(NOTIFICATION_KINDS).map(([name, description]) => [name, { value: name, description }])) as Record<
    keyof typeof NotificationCode,
    { value: keyof typeof NotificationCode; description: string }
  >,
});

export const notificationKind = (code: number) => notificationKindOf.get(code) ?? 'DIRECT_INVITE';
