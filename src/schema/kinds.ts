import { MessageCode } from '../domain/types.js';
import { NotificationCode } from '../modules/notifications/notifications.service.js';
import { builder } from './builder.js';

/** A GraphQL enum naming numeric codes, and the name of a code (`fallback` for one it does not know). */
function kindEnum<K extends string>(
  name: string,
  description: string,
  codes: Record<K, number>,
  docs: Record<NoInfer<K>, string>,
  fallback: NoInfer<K>,
) {
  const names = Object.keys(codes) as K[];
  const byCode = new Map(names.map((k) => [codes[k], k]));
  const values = Object.fromEntries(names.map((k) => [k, { value: k, description: docs[k] }])) as Record<
    K,
    { value: K; description: string }
  >;
  return { type: builder.enumType(name, { description, values }), of: (code: number): K => byCode.get(code) ?? fallback };
}

const message = kindEnum(
  'MessageKind',
  'What a channel message is; `code` carries the same as a number, as Nakama clients expect.',
  MessageCode,
  {
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
  },
  'CHAT',
);
export const MessageKind = message.type;
export const messageKind = message.of;

const notification = kindEnum(
  'NotificationKind',
  'What a notification is about; `code` carries the same as a number, as Nakama clients expect.',
  NotificationCode,
  {
    DIRECT_INVITE: 'Someone opened a direct chat with you (code -1); join it with joinChat(target: senderId, type: DIRECT).',
    GROUP_ADD: 'An admin added you to a group (code -4).',
    GROUP_JOIN_REQUEST: 'Someone asks to join a closed group you administer (code -5); accept with addGroupUsers.',
    MENTION: 'A message mentions you (code -6); content holds its channelId and messageId.',
  },
  'DIRECT_INVITE',
);
export const NotificationKind = notification.type;
export const notificationKind = notification.of;
