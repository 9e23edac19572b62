/**
 * A scan of a page body that finds each item of its top-level `value` array without parsing
 * it: where each item's text starts and ends, whether it spans a line break, and its `id`.
 * The page's items are then parsed one at a time, each just before it is used, so that a
 * machine object lives for microseconds instead of as long as its page (a 10,000-device page
 * parsed at once is tens of megabytes that outlive V8's young generation and are promoted,
 * then collected by full collections of the old one). A record's `attributes` can be the
 * item's own text instead of the machine serialised again.
 *
 * The scan follows JSON's grammar where the items meet (one comma between two objects) and
 * skips strings whole; it leaves checking the rest to `JSON.parse`: of the body with the
 * value array emptied (the envelope), and of each item. It reads the `value` and `id` keys
 * as `JSON.parse` does, escapes included (`"\u0069d"` is `id`), so that the items and ids it
 * gives are the ones the parse would give. Anything it does not follow (an item that is not
 * an object, unbalanced brackets, a bad escape in a key or an id) gives no scan, and the
 * caller parses the body whole (which reports what is wrong with it).
 */

import { BACKSLASH, CARRIAGE_RETURN, CLOSE_BRACE, CLOSE_BRACKET, COMMA, LINE_FEED, OPEN_BRACE, OPEN_BRACKET, QUOTE } from "../../util/char-codes.js";

/** What a scan found in a page body. */
export interface PageScan {
  /** Index of the `[` that opens the value array. */
  readonly valueStart: number;
  /** Index of the `]` that closes it. */
  readonly valueEnd: number;
  /** Each item's text as sent (`{…}`). */
  readonly texts: readonly string[];
  /** True for an item whose text spans a line break (a record must stay on one line: it cannot carry that text). */
  readonly broken: readonly boolean[];
  /** Each item's top-level `id` when it is a string (the last one, as `JSON.parse` keeps the last of repeated keys). */
  readonly ids: readonly (string | undefined)[];
}

/** The index of the quote that closes the string opened at `open`, or -1. */
function closingQuote(text: string, open: number): number {
  let at = open;
  for (;;) {
    at = text.indexOf('"', at + 1);
    if (at < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
}

/**
 * The JSON string `text[open … close]` (quotes included) as its value, in a string of its
 * own: `JSON.parse` copies it, where `slice` would give a view that keeps all of `text` (the
 * page) alive for as long as the id is kept (paging keeps every id of the run). Undefined for
 * a string that is not valid JSON (a bad escape): the scan then gives up, and the body's own
 * parse reports it.
 */
const stringAt = (text: string, open: number, close: number): string | undefined => {
  try {
    return JSON.parse(text.slice(open, close + 1)) as string;
  } catch {
    return undefined;
  }
};

/** True when `text[from … to-1]` holds a backslash (an escape). */
const hasEscape = (text: string, from: number, to: number): boolean => {
  for (let at = from; at < to; at++) if (text.charCodeAt(at) === BACKSLASH) return true;
  return false;
};

/** The string `text[open … close]` (quotes included), escapes decoded, is `word` (undefined: not valid JSON). */
const readsAs = (text: string, open: number, close: number, word: string): boolean | undefined => {
  const value = stringAt(text, open, close);
  return value === undefined ? undefined : value === word;
};

/** The top-level key `text[open … close]` (quotes included) read as `JSON.parse` reads it is `value` (undefined: not valid JSON). */
const isValueKey = (text: string, open: number, close: number): boolean | undefined =>
  hasEscape(text, open + 1, close) ? readsAs(text, open, close, "value") : close - open === 6 && text.startsWith('"value"', open);

/** `i`. */
const LETTER_I = 0x69;

/**
 * An item's key `text[open … close]` (quotes included) read as `JSON.parse` reads it is `id`
 * (undefined: not valid JSON). JSON can spell `i` and `d` only as themselves or as `\u0069` and
 * `\u0064`, so a key that reads as `id` is `"id"` or starts with a backslash or with `i\`: only
 * those few are decoded, and the check costs two characters a key.
 */
const isIdKey = (text: string, open: number, close: number): boolean | undefined => {
  const first = text.charCodeAt(open + 1);
  const mayBeEscaped = first === BACKSLASH || (first === LETTER_I && text.charCodeAt(open + 2) === BACKSLASH);
  return mayBeEscaped ? readsAs(text, open, close, "id") : close - open === 3 && text.startsWith('"id"', open);
};

/** JSON's blanks. */
const isBlank = (code: number): boolean => code === 0x20 || code === 0x09 || code === LINE_FEED || code === CARRIAGE_RETURN;

/**
 * Scans `body` for the items of its top-level `value` array (the last such key), or returns
 * undefined when the body is not laid out as the scan follows (see the module comment).
 */
export function scanPage(body: string): PageScan | undefined {
  let found: PageScan | undefined;
  let texts: string[] = [];
  let broken: boolean[] = [];
  let ids: (string | undefined)[] = [];
  let valueStart = -1;
  let depth = 0;
  let lastKeyIsValue = false;
  let inValue = false;
  /** In the value array: an item (after `[` or a comma) or a comma (after an item) is due next. */
  let itemDue = true;
  let itemStart = -1;
  let itemBroken = false;
  /** Inside an item, at its top level: a key is due next; the last key read was `id`. */
  let keyDue = false;
  let lastKeyIsId = false;
  let id: string | undefined;
  for (let at = 0; at < body.length; at++) {
    const code = body.charCodeAt(at);
    if (code === QUOTE) {
      const close = closingQuote(body, at);
      if (close < 0) return undefined;
      if (depth === 1) {
        const isValue = isValueKey(body, at, close);
        if (isValue === undefined) return undefined;
        lastKeyIsValue = isValue;
      } else if (inValue && depth === 2)
        return undefined; // an item that is a string
      else if (inValue && depth === 3) {
        if (keyDue) {
          const isId = isIdKey(body, at, close);
          if (isId === undefined) return undefined;
          lastKeyIsId = isId;
          if (lastKeyIsId) id = undefined;
          keyDue = false;
        } else if (lastKeyIsId) {
          id = stringAt(body, at, close);
          if (id === undefined) return undefined;
        }
      }
      at = close;
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      if (depth === 1 && code === OPEN_BRACKET && lastKeyIsValue) {
        inValue = true;
        itemDue = true;
        valueStart = at;
        texts = [];
        broken = [];
        ids = [];
      } else if (inValue && depth === 2) {
        if (code !== OPEN_BRACE || !itemDue) return undefined; // an item that is an array, or a missing comma
        itemStart = at;
        itemBroken = false;
        keyDue = true;
        lastKeyIsId = false;
        id = undefined;
      }
      depth++;
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      depth--;
      if (depth < 0) return undefined;
      if (inValue && depth === 2) {
        texts.push(body.slice(itemStart, at + 1));
        broken.push(itemBroken);
        ids.push(id);
        itemDue = false;
      } else if (inValue && depth === 1) {
        if (itemDue && texts.length > 0) return undefined; // a comma before `]`
        inValue = false;
        found = { valueStart, valueEnd: at, texts, broken, ids };
      }
    } else if (inValue && depth === 2) {
      if (code === COMMA && !itemDue) itemDue = true;
      else if (!isBlank(code)) return undefined; // a number, true, false or null as an item, or a stray comma
    } else if (inValue && depth > 2) {
      if (code === LINE_FEED || code === CARRIAGE_RETURN) itemBroken = true;
      else if (code === COMMA && depth === 3) keyDue = true;
    }
  }
  return depth === 0 ? found : undefined;
}
