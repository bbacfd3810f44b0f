import { withHooks } from '../../hooks/run.js';
import { channelFromId } from '../../domain/channel-ref.js';
import { builder } from '../../schema/builder.js';
import { viewerOf } from '../../schema/context.js';
import { validateContent } from './content.js';
import { updateMessage, removeMessage } from './edit.service.js';
import { ChannelMessageAckRef } from './messages.schema.js';

builder.mutationFields((t) => ({
  updateMessage: t.field({
    type: ChannelMessageAckRef,
    description: 'Replaces the content of your own message in place; broadcast with code 1.',
    args: {
      channelId: t.arg.id({ required: true, description: 'The channel the message is in.' }),
      messageId: t.arg.id({ required: true, description: 'The message to change.' }),
      content: t.arg({ type: 'JSONObject', required: true, description: 'The new content, as for sendMessage.' }),
    },
    resolve: async (_, a, ctx) => {
      const viewer = viewerOf(ctx);
      await ctx.deps.rateLimits.consume('send', viewer.userId);
      // As for sendMessage: hooks see valid content and channels, checked again only after before hooks.
      const max = ctx.deps.config.MAX_MESSAGE_BYTES;
      const content = validateContent(a.content, max);
      const ref = channelFromId(a.channelId);
      const input = { channelId: ref.id, messageId: a.messageId, content };
      return withHooks(ctx.hooks, 'updateMessage', { viewer, clientAddress: ctx.clientAddress }, input, (i, hooked) =>
        updateMessage(
          ctx.deps,
          viewer,
          hooked ? { ...i, ref: channelFromId(i.channelId), content: validateContent(i.content, max) } : { ...i, ref, content },
        ),
      );
    },
  }),
  removeMessage: t.field({
    type: ChannelMessageAckRef,
    description: 'Removes a message from history (yours, or any in a group you administer); broadcast with code 2.',
    args: {
      channelId: t.arg.id({ required: true, description: 'The channel the message is in.' }),
      messageId: t.arg.id({ required: true, description: 'The message to remove.' }),
    },
    resolve: (_, a, ctx) => {
      const viewer = viewerOf(ctx);
      const ref = channelFromId(a.channelId);
      const input = { channelId: ref.id, messageId: a.messageId };
      return withHooks(ctx.hooks, 'removeMessage', { viewer, clientAddress: ctx.clientAddress }, input, (i, hooked) =>
        removeMessage(ctx.deps, viewer, { ...i, ref: hooked ? channelFromId(i.channelId) : ref }),
      );
    },
  }),
}));
