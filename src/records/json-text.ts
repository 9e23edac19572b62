/**
 * JSON text of strings, as `JSON.stringify` writes it, faster for the short plain strings
 * records are made of (ids, canonical keys, timestamps): a string with nothing to escape is
 * only put in quotes, anything else goes through `JSON.stringify`.
 */

/** A character `JSON.stringify` escapes: a quote, a backslash, a control character, a surrogate (a lone one is escaped; a pair is left to `JSON.stringify` too). */
// eslint-disable-next-line no-control-regex -- control characters are what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** `JSON.stringify(text)`. */
export const quote = (text: string): string => (NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`);

/** `JSON.stringify(text)` of a string or null. */
export const quoteOrNull = (text: string | null): string => (text === null ? "null" : quote(text));

/** `JSON.stringify(list)` of a list of strings. */
export const quoteList = (list: readonly string[]): string => {
  let json = "[";
  for (let i = 0; i < list.length; i++) json += i === 0 ? quote(list[i] as string) : `,${quote(list[i] as string)}`;
  return `${json}]`;
};
