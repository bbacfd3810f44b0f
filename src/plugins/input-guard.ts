import { GraphQLError, Kind, visit, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';

// PostgreSQL stores neither NUL characters nor unpaired UTF-16 surrogates, in
// text or jsonb; refusing them up front turns a database error into a clear one.
function badString(s: string): boolean {
  return s.includes('\u0000') || !s.isWellFormed();
}

function findBad(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return badString(value);
  if (depth > 64 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => findBad(v, depth + 1));
  return Object.entries(value).some(([k, v]) => badString(k) || findBad(v, depth + 1));
}

// Documents come from yoga's parser cache, so the same text is the same object: checked once, not per operation.
const checked = new WeakMap<DocumentNode, boolean>();

function documentHasBadString(document: DocumentNode): boolean {
  let found = checked.get(document);
  if (found !== undefined) return found;
  found = scan(document);
  checked.set(document, found);
  return found;
}

function scan(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    [Kind.STRING]: (node) => {
      if (badString(node.value)) found = true;
    },
    [Kind.OBJECT_FIELD]: (node) => {
      if (badString(node.name.value)) found = true;
    },
  });
  return found;
}

const refusal = () =>
  new GraphQLError('Strings may not contain NUL characters (\\u0000) or unpaired UTF-16 surrogates.', {
    extensions: { code: 'BAD_USER_INPUT' },
  });

/** Refuses any argument or variable holding a string PostgreSQL cannot store, on every transport. */
export function inputGuardPlugin(): Plugin {
  const check = ({
    args,
    setResultAndStopExecution,
  }: {
    args: { document: DocumentNode; variableValues?: unknown };
    setResultAndStopExecution: (r: never) => void;
  }) => {
    if (findBad(args.variableValues) || documentHasBadString(args.document)) setResultAndStopExecution({ errors: [refusal()] } as never);
  };
  return { onExecute: check, onSubscribe: check };
}
