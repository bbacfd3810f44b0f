import { builder } from '../../schema/builder.js';
import { viewerOf } from '../../schema/context.js';
import { updateMessage, removeMessage } from './edit.service.js';
import { ChannelMessageAckRef } from './messages.schema.js';

builder.mutationFields((t) => ({
  updateMessage: t.field({
    type: ChannelMessageAckRef,
    description: 'Replaces the content of your own message in place; broadcast with code 1.',
    args: { channelId: t.arg.id({ required: true }), messageId: t.arg.id({ required: true }), content: t.arg({ type: 'JSONObject', required: true }) },
    resolve: (_, a, ctx) => updateMessage(ctx.deps, viewerOf(ctx), a),
  }),
  removeMessage: t.field({
    type: ChannelMessageAckRef,
    description: 'Removes a message from history (yours, or any in a group you administer); broadcast with code 2.',
    args: { channelId: t.arg.id({ required: true }), messageId: t.arg.id({ required: true }) },
    resolve: (_, a, ctx) => removeMessage(ctx.deps, viewerOf(ctx), a),
  }),
}));
