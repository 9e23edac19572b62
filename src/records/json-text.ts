/**
 * JSON text of a string, as `JSON.stringify` writes it, faster for short plain strings: a
 * string with nothing to escape is only put in quotes, anything else goes through
 * `JSON.stringify`. (`JsonBytes` writes plain ASCII strings itself and hands it the rest.)
 */

/** A character `JSON.stringify` escapes: a quote, a backslash, a control character, a surrogate (a lone one is escaped; a pair is left to `JSON.stringify` too). */
// eslint-disable-next-line no-control-regex -- control characters are what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** `JSON.stringify(text)`. */
export const quote = (text: string): string => (NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`);
