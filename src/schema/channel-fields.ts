import type { ChannelFields } from '../domain/types.js';
import type { Types } from './builder.js';

/** roomName, groupId, userIdOne, userIdTwo: the channel fields every channel-scoped type repeats. */
export function exposeChannelFields<T extends ChannelFields>(t: PothosSchemaTypes.ObjectFieldBuilder<Types, T>) {
  return {
    roomName: t.string({ shared: true, nullable: true, description: 'ROOM only.', resolve: (p) => p.roomName }),
    groupId: t.id({ shared: true, nullable: true, description: 'GROUP only.', resolve: (p) => p.groupId }),
    userIdOne: t.id({
      shared: true,
      nullable: true,
      description: 'DIRECT only: the two users in a fixed order.',
      resolve: (p) => p.userIdOne,
    }),
    userIdTwo: t.id({ shared: true, nullable: true, description: 'DIRECT only.', resolve: (p) => p.userIdTwo }),
  };
}
