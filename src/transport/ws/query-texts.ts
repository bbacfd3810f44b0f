/** Longer query texts are not kept: the table's memory stays bounded (at most entries × this). */
const MAX_TEXT = 16 * 1024;

/**
 * A JSON reviver for graphql-ws that makes equal query texts one string.
 * graphql-ws keeps each subscribe message as long as its subscription runs,
 * and clients send the same few queries (often kilobytes from Apollo or
 * urql) for every subscription; without this each keeps its own copy.
 * Least recently used texts leave first.
 */
export function queryTexts(entries = 256): (key: string, value: unknown) => unknown {
  const texts = new Map<string, string>();
  return (key, value) => {
    if (key !== 'query' || typeof value !== 'string' || value.length > MAX_TEXT) return value;
    const known = texts.get(value);
    if (known !== undefined) {
      texts.delete(known);
      texts.set(known, known);
      return known;
    }
    texts.set(value, value);
    if (texts.size > entries) texts.delete(texts.keys().next().value!);
    return value;
  };
}
