import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';

/** An operation as the helpers take it: a typed document from test/documents, or GraphQL text a test writes inline. */
export type Operation = string | TypedDocumentNode<any, any>;

const printed = new WeakMap<object, string>();

/** The text sent over the wire; a document is printed once. */
export function operationText(op: Operation): string {
  if (typeof op === 'string') return op;
  let text = printed.get(op);
  if (text === undefined) printed.set(op, (text = print(op)));
  return text;
}
