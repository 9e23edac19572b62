/**
 * Reading JSON text without parsing it: where a string or a value ends. For text that
 * `JSON.parse` has read or will read: what these find is checked by the parse, not here.
 */
import { BACKSLASH, CARRIAGE_RETURN, CLOSE_BRACE, CLOSE_BRACKET, COMMA, LINE_FEED, OPEN_BRACE, OPEN_BRACKET, QUOTE } from "./char-codes.js";

/** The index of the quote that closes the string opened at `open`, or -1. */
export function closingQuote(text: string, open: number): number {
  let at = open;
  for (;;) {
    at = text.indexOf('"', at + 1);
    if (at < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
}

/** True when `text[from … to-1]` holds a backslash (an escape). */
export const hasEscape = (text: string, from: number, to: number): boolean => {
  for (let at = from; at < to; at++) if (text.charCodeAt(at) === BACKSLASH) return true;
  return false;
};

/** JSON's blanks. */
export const isBlank = (code: number): boolean => code === 0x20 || code === 0x09 || code === LINE_FEED || code === CARRIAGE_RETURN;

/** The first index from `at` on that is not a blank. */
export const skipBlanks = (text: string, at: number): number => {
  while (isBlank(text.charCodeAt(at))) at++;
  return at;
};

/**
 * The index just past the value that starts at `at` (a string, an array or object with its
 * strings skipped whole, or a number or literal up to the next `,`, `}`, `]` or blank), or -1
 * when the text ends first.
 */
export function valueEnd(text: string, at: number): number {
  const first = text.charCodeAt(at);
  if (first === QUOTE) {
    const close = closingQuote(text, at);
    return close < 0 ? -1 : close + 1;
  }
  if (first === OPEN_BRACKET || first === OPEN_BRACE) {
    let depth = 0;
    for (let i = at; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === QUOTE) {
        i = closingQuote(text, i);
        if (i < 0) return -1;
      } else if (code === OPEN_BRACKET || code === OPEN_BRACE) depth++;
      else if ((code === CLOSE_BRACKET || code === CLOSE_BRACE) && --depth === 0) return i + 1;
    }
    return -1;
  }
  let end = at;
  while (end < text.length) {
    const code = text.charCodeAt(end);
    if (code === COMMA || code === CLOSE_BRACE || code === CLOSE_BRACKET || isBlank(code)) break;
    end++;
  }
  return end === at ? -1 : end;
}
