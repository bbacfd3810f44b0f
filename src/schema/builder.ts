import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import { GraphQLScalarType } from 'graphql';
import { DateTimeResolver, JSONObjectResolver } from 'graphql-scalars';
import type PrismaTypes from '../generated/pothos-types.js';
import { getDatamodel } from '../generated/pothos-types.js';
import { isoTime } from '../lib/iso-time.js';
import type { Context } from './context.js';
import { sharingPlugin } from './sharing.js';

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  DefaultFieldNullability: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
  Scalars: {
    JSONObject: { Input: Record<string, unknown>; Output: Record<string, unknown> };
    DateTime: { Input: Date; Output: Date };
    ID: { Input: string; Output: string };
  };
}>({
  plugins: [PrismaPlugin, RelayPlugin, sharingPlugin],
  defaultFieldNullability: false,
  prisma: {
    client: (ctx) => ctx.deps.prisma,
    dmmf: getDatamodel(),
    filterConnectionTotalCount: true,
    onUnusedQuery: null,
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    edgesFieldOptions: { nullable: false, description: 'The items of this page, each with its cursor.' },
    nodeFieldOptions: { nullable: false, description: 'The item.' },
    cursorFieldOptions: { description: 'Pass as `after` to continue after this item.' },
    pageInfoFieldOptions: { description: 'Whether more pages follow, and the cursors at the ends of this one.' },
    pageInfoTypeOptions: { description: 'Where a page sits in its list (Relay).' },
    hasNextPageFieldOptions: { description: 'Whether more items follow: pass endCursor as `after` to get them.' },
    hasPreviousPageFieldOptions: { description: 'Whether items come before this page.' },
    startCursorFieldOptions: { description: 'The cursor of the first item of this page, if any.' },
    endCursorFieldOptions: { description: 'The cursor of the last item of this page; pass it as `after` for the next page.' },
    defaultConnectionTypeOptions: { description: 'One page of a list (a Relay connection).' },
    defaultEdgeTypeOptions: { description: 'One item of a page, with its cursor.' },
  },
});

builder.addScalarType('JSONObject', JSONObjectResolver);
// Written as a string here with isoTime, not left to Date.prototype.toJSON: a page of 100 messages
// holds 200 timestamps, and V8's own formatting is the slower of the two.
builder.addScalarType(
  'DateTime',
  new GraphQLScalarType({
    ...DateTimeResolver.toConfig(),
    serialize: (value) => (value instanceof Date && !Number.isNaN(value.getTime()) ? isoTime(value) : DateTimeResolver.serialize(value)),
  }),
);

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});

export type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
