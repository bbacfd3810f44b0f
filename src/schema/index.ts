import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { builder } from './builder.js';
import '../modules/users/users.schema.js';
import '../modules/channels/channels.schema.js';
import '../modules/messages/messages.schema.js';
import '../modules/messages/edit.schema.js';
import '../modules/groups/groups.schema.js';
import '../modules/blocks/blocks.schema.js';
import '../modules/notifications/notifications.schema.js';
import '../modules/inbox/inbox.schema.js';
import '../modules/activity/activity.schema.js';

export const schema: GraphQLSchema = builder.toSchema();

/** The SDL committed as schema.graphql; sorted so diffs stay readable. */
export function printedSchema(): string {
  return printSchema(lexicographicSortSchema(schema)) + '\n';
}
