import { channelFromId } from '../../domain/channel-ref.js';
import { builder } from '../../schema/builder.js';
import { resolveHooked } from '../../schema/hooked.js';
import { updateMessage, removeMessage } from './edit.service.js';
import { ChannelMessageAckRef, messageInput } from './messages.schema.js';

builder.mutationFields((t) => ({
  updateMessage: t.field({
    type: ChannelMessageAckRef,
    description: 'Replaces the content of your own message in place; broadcast with code 1.',
    args: {
      channelId: t.arg.id({ required: true, description: 'The channel the message is in.' }),
      messageId: t.arg.id({ required: true, description: 'The message to change.' }),
      content: t.arg({ type: 'JSONObject', required: true, description: 'The new content, as for sendMessage.' }),
    },
    resolve: (_, a, ctx) =>
      resolveHooked(
        ctx,
        'updateMessage',
        {
          limit: 'send',
          parse: (i) => ({ ...messageInput(ctx, i), messageId: i.messageId }),
          show: (p) => ({ channelId: p.ref.id, messageId: p.messageId, content: p.content }),
        },
        { channelId: a.channelId, messageId: a.messageId, content: a.content },
        (viewer, p) => updateMessage(ctx.deps, viewer, p),
      ),
  }),
  removeMessage: t.field({
    type: ChannelMessageAckRef,
    description: 'Removes a message from history (yours, or any in a group you administer); broadcast with code 2.',
    args: {
      channelId: t.arg.id({ required: true, description: 'The channel the message is in.' }),
      messageId: t.arg.id({ required: true, description: 'The message to remove.' }),
    },
    resolve: (_, a, ctx) =>
      resolveHooked(
        ctx,
        'removeMessage',
        {
          parse: (i) => ({ ref: channelFromId(i.channelId), messageId: i.messageId }),
          show: (p) => ({ channelId: p.ref.id, messageId: p.messageId }),
        },
        { channelId: a.channelId, messageId: a.messageId },
        (viewer, p) => removeMessage(ctx.deps, viewer, p),
      ),
  }),
}));
