import { notFound } from '../lib/errors.js';

export type ChannelType = 'ROOM' | 'DIRECT' | 'GROUP';

/** What a channel id says about its channel; ids are deterministic, so this needs no lookup. */
export interface ChannelRef {
  id: string;
  type: ChannelType;
  roomName: string | null;
  groupId: string | null;
  userIdOne: string | null;
  userIdTwo: string | null;
}

// Refs are built field by field, all in one order, so that V8 gives them one
// shape: spreading a template and overriding a field makes a slower object,
// and a ref is built for every sendMessage.
export function roomRef(name: string): ChannelRef {
  return { id: `room:${name}`, type: 'ROOM', roomName: name, groupId: null, userIdOne: null, userIdTwo: null };
}

export function groupRef(groupId: string): ChannelRef {
  return { id: `group:${groupId}`, type: 'GROUP', roomName: null, groupId, userIdOne: null, userIdTwo: null };
}

/** The two users in a fixed order, so both sides name the same channel. */
export function directRef(a: string, b: string): ChannelRef {
  const [one, two] = a < b ? [a, b] : [b, a];
  return { id: `direct:${one}:${two}`, type: 'DIRECT', roomName: null, groupId: null, userIdOne: one, userIdTwo: two };
}

/** In a direct chat, the user who is not `userId`. */
export function otherUser(ref: ChannelRef, userId: string): string {
  return ref.userIdOne === userId ? ref.userIdTwo! : ref.userIdOne!;
}

export function parseChannelId(id: string): ChannelRef | null {
  const colon = id.indexOf(':');
  if (colon < 0) return null;
  const kind = id.slice(0, colon);
  const rest = id.slice(colon + 1);
  if (kind === 'room') return validRoomName(rest) ? roomRef(rest) : null;
  if (kind === 'group') return rest && !rest.includes(':') ? groupRef(rest) : null;
  if (kind === 'direct') {
    const [one, two, extra] = rest.split(':');
    if (!one || !two || extra !== undefined || one >= two) return null;
    return directRef(one, two);
  }
  return null;
}

/** The channel named by an id, or NOT_FOUND; never says more about channels the viewer may not see. Parsed once, where a request enters. */
export function channelFromId(channelId: string): ChannelRef {
  const ref = parseChannelId(channelId);
  if (!ref) throw notFound(`No channel with id "${channelId}".`);
  return ref;
}

/** The fields every message, ack and presence change repeats about its channel. */
export function channelFields(ref: ChannelRef): Omit<ChannelRef, 'id' | 'type'> {
  return { roomName: ref.roomName, groupId: ref.groupId, userIdOne: ref.userIdOne, userIdTwo: ref.userIdTwo };
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export const ROOM_NAME_MAX = 64;

// Characters that change the direction of the text after them: they make one name look like another.
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;
/** At least one character that is not white space, a format character (zero-width space, BOM) or a control. */
const VISIBLE = /[^\p{White_Space}\p{Cf}\p{Cc}]/u;

/** 1..64 characters (code points), at least one visible, no control or direction-override characters. Pass it NFC-normalized. */
export function validRoomName(name: string): boolean {
  const length = [...name].length;
  return length >= 1 && length <= ROOM_NAME_MAX && !CONTROL.test(name) && !BIDI_CONTROL.test(name) && VISIBLE.test(name);
}

export function hasControlCharacters(s: string): boolean {
  return CONTROL.test(s);
}
