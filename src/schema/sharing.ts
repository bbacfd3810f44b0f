import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import type { GraphQLField } from 'graphql';

/**
 * Which fields subscribers may share. A field declared `shared: true` gives
 * the same value to every viewer of the same parent object: it reads only its
 * parent (and its arguments), never the context, the viewer or a loader. The
 * declaration sits on the field; the plugin writes it into the field's
 * extensions, and shared execution (plugins/shared-execution.ts) shares a
 * subscription's selection only when every field it reaches is declared. A
 * field left undeclared is therefore executed per subscriber, never leaked.
 * On a root subscription field, `shared` speaks of its `resolve` (reading the
 * event); its `subscribe` runs per subscriber anyway.
 */
const SHARED = 'parleyShared';

declare global {
  export namespace PothosSchemaTypes {
    interface Plugins<Types extends SchemaTypes> {
      sharing: SharingPlugin<Types>;
    }
    interface FieldOptions<Types extends SchemaTypes, ParentShape, Type, Nullable, Args, ResolveShape, ResolveReturnShape> {
      /** The value depends on the parent object alone, so one execution serves every subscriber (see schema/sharing.ts). */
      shared?: boolean;
    }
  }
}

export class SharingPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override onOutputFieldConfig(fieldConfig: PothosOutputFieldConfig<Types>): PothosOutputFieldConfig<Types> {
    if (!(fieldConfig.pothosOptions as { shared?: boolean }).shared) return fieldConfig;
    return { ...fieldConfig, extensions: { ...fieldConfig.extensions, [SHARED]: true } };
  }
}

export const sharingPlugin = 'sharing';
SchemaBuilder.registerPlugin(sharingPlugin, SharingPlugin);

/** Whether the field was declared `shared` (see above). */
export function isSharedField(field: GraphQLField<unknown, unknown>): boolean {
  return field.extensions?.[SHARED] === true;
}
