// A word-list content filter for Parley, loadable as a hooks module:
//
//   HOOKS_MODULE=./examples/word-filter-hooks.js \
//   WORD_FILTER_WORDS=darn,heck WORD_FILTER_MODE=sanitize npm start
//
// WORD_FILTER_WORDS  comma-separated words or phrases, matched case-insensitively as whole words
// WORD_FILTER_MODE   sanitize (default): each match becomes asterisks, and the message goes through;
//                    reject: a message with any match is refused with BAD_USER_INPUT
//
// It checks every string value in the message content, however deeply nested.
// Plain JavaScript so that it loads without a TypeScript toolchain; the
// JSDoc types give editors the hook API.

/** @typedef {import('../src/hooks/types.js').HookModuleContext} HookModuleContext */
/** @typedef {import('../src/hooks/types.js').ParleyHooks} ParleyHooks */

/**
 * @param {HookModuleContext} ctx
 * @returns {ParleyHooks}
 */
export default function wordFilter({ env, log }) {
  const words = (env.WORD_FILTER_WORDS ?? '')
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean);
  const mode = env.WORD_FILTER_MODE || 'sanitize';
  if (mode !== 'sanitize' && mode !== 'reject') {
    throw new Error(`WORD_FILTER_MODE must be "sanitize" or "reject", not "${mode}"`);
  }
  if (words.length === 0) {
    log.warn('word filter: WORD_FILTER_WORDS is empty, so no message is filtered');
    return {};
  }
  log.info({ words: words.length, mode }, 'word filter ready');

  // Whole words only ("heck" does not match "heckle"), in any script.
  const alternatives = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${alternatives})(?![\\p{L}\\p{N}_])`, 'giu');
  const mask = (text) => text.replace(pattern, (match) => '*'.repeat([...match].length));

  /** Every string value of a JSON value, with `fn` applied; the shape is kept. */
  const mapStrings = (value, fn) => {
    if (typeof value === 'string') return fn(value);
    if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn)]));
    }
    return value;
  };

  /** Shared by sendMessage and updateMessage: both carry `content`. */
  const filter = ({ input, reject, viewer }) => {
    let found = false;
    const cleaned = mapStrings(input.content, (text) => {
      const masked = mask(text);
      if (masked !== text) found = true;
      return masked;
    });
    if (!found) return;
    if (mode === 'reject') {
      log.info({ userId: viewer.userId, channelId: input.channelId }, 'word filter: message refused');
      reject('BAD_USER_INPUT', 'This message contains a word that is not allowed here; edit it and send again.');
    }
    return { content: cleaned };
  };

  return { before: { sendMessage: filter, updateMessage: filter } };
}
