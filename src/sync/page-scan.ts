/**
 * A scan of a page body that finds each item of its top-level array of items (Defender's
 * `value`, Falcon's `resources`: the {@link PageLayout}) without parsing it: where each item's
 * text starts and ends, whether it spans a line break, and its id. The page's items are then parsed one at a time, each just before it is used, so that a
 * machine object lives for microseconds instead of as long as its page (a 10,000-device page
 * parsed at once is tens of megabytes that outlive V8's young generation and are promoted,
 * then collected by full collections of the old one). A record's `attributes` can be the
 * item's own text instead of the machine serialised again.
 *
 * The scan follows JSON's grammar where the items meet (one comma between two objects) and
 * skips strings whole; it leaves checking the rest to `JSON.parse`: of the body with the
 * items' array emptied (the envelope, {@link withoutItems}), and of each item. It reads the
 * array's and the id's keys as `JSON.parse` does, escapes included (`"\u0069d"` is `id`), so
 * that the items and ids it gives are the ones the parse would give. Anything it does not
 * follow (a body that is not an object, an item that is not an object, unbalanced or mismatched
 * brackets around the items, a bad escape in a key or an id, the items' key given last to
 * something other than an array) gives no scan, and the caller parses the body whole (which
 * reports what is wrong with it, or finds what the last key holds).
 */

import type { SplitItems } from "./page-items.js";
import { closingQuote, hasEscape, isBlank, skipBlanks } from "../util/json-text.js";
import { BACKSLASH, CARRIAGE_RETURN, CLOSE_BRACE, CLOSE_BRACKET, COMMA, LINE_FEED, OPEN_BRACE, OPEN_BRACKET, QUOTE } from "../util/char-codes.js";

/** Where a source's pages keep their items. */
export interface PageLayout {
  /** The top-level key of the array of items (`value`). Plain letters, digits and `_`, like `id`. */
  readonly items: string;
  /** The key of each item's id, at the item's top level (`id`). */
  readonly id: string;
}

/** What a scan found in a page body: the items' texts and ids (see `SplitItems`), and where their array is. */
export interface PageScan extends SplitItems {
  /** Index of the `[` that opens the items' array. */
  readonly itemsStart: number;
  /** Index of the `]` that closes it. */
  readonly itemsEnd: number;
}

/** The page's envelope: `body` with the items' array emptied, for `JSON.parse` (the items are parsed one at a time). */
export const withoutItems = (body: string, scan: PageScan): string => `${body.slice(0, scan.itemsStart)}[]${body.slice(scan.itemsEnd + 1)}`;

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

/** The string `text[open … close]` (quotes included), escapes decoded, is `word` (undefined: not valid JSON). */
const readsAs = (text: string, open: number, close: number, word: string): boolean | undefined => {
  const value = stringAt(text, open, close);
  return value === undefined ? undefined : value === word;
};

/**
 * The key `text[open … close]` (quotes included) read as `JSON.parse` reads it is `word`
 * (undefined: not valid JSON). JSON can spell a letter only as itself or as a `\u` escape, so
 * a key that reads as `word` starts with a backslash or with `word`'s first letter: only those
 * few are looked at further, and the check costs one character for most keys.
 */
const isKey = (text: string, open: number, close: number, word: string): boolean | undefined => {
  const first = text.charCodeAt(open + 1);
  if (first === BACKSLASH) return readsAs(text, open, close, word);
  if (first !== word.charCodeAt(0)) return false;
  if (close - open - 1 === word.length && text.startsWith(word, open + 1)) return true;
  return hasEscape(text, open + 2, close) ? readsAs(text, open, close, word) : false;
};

/**
 * Scans `body` for the items of its top-level array `layout.items`, or returns undefined when
 * the body is not laid out as the scan follows (see the module comment). A key read twice is
 * read as `JSON.parse` reads it, the last time: an array given to the items' key is dropped
 * when the key comes again.
 */
export function scanPage(body: string, layout: PageLayout): PageScan | undefined {
  let found: PageScan | undefined;
  let texts: string[] = [];
  let broken: boolean[] = [];
  let ids: (string | undefined)[] = [];
  let itemsStart = -1;
  let depth = 0;
  /** At the body's top level: a key (after `{` or a comma) is due next. */
  let topKeyDue = false;
  let lastKeyIsItems = false;
  let inItems = false;
  /** In the items' array: an item (after `[` or a comma) or a comma (after an item) is due next. */
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
      if (depth === 1 && topKeyDue) {
        const isItems = isKey(body, at, close, layout.items);
        if (isItems === undefined) return undefined;
        lastKeyIsItems = isItems;
        if (isItems) found = undefined; // the key given again: its array, if any, is this one
        topKeyDue = false;
      } else if (inItems && depth === 2)
        return undefined; // an item that is a string
      else if (inItems && depth === 3) {
        if (keyDue) {
          const isId = isKey(body, at, close, layout.id);
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
      if (depth === 0) {
        if (code !== OPEN_BRACE || at !== skipBlanks(body, 0)) return undefined; // not one object: an array, or a second value
        topKeyDue = true;
      } else if (depth === 1 && code === OPEN_BRACKET && lastKeyIsItems) {
        inItems = true;
        itemDue = true;
        itemsStart = at;
        texts = [];
        broken = [];
        ids = [];
      } else if (inItems && depth === 2) {
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
      if (inItems && depth === 2) {
        if (code !== CLOSE_BRACE) return undefined; // an item's `{` closed by `]`
        texts.push(body.slice(itemStart, at + 1));
        broken.push(itemBroken);
        ids.push(id);
        itemDue = false;
      } else if (inItems && depth === 1) {
        if (code !== CLOSE_BRACKET) return undefined; // the items' `[` closed by `}`
        if (itemDue && texts.length > 0) return undefined; // a comma before `]`
        inItems = false;
        found = { itemsStart, itemsEnd: at, texts, broken, ids };
      }
    } else if (depth === 1) {
      if (code === COMMA) topKeyDue = true;
    } else if (inItems && depth === 2) {
      if (code === COMMA && !itemDue) itemDue = true;
      else if (!isBlank(code)) return undefined; // a number, true, false or null as an item, or a stray comma
    } else if (inItems && depth > 2) {
      if (code === LINE_FEED || code === CARRIAGE_RETURN) itemBroken = true;
      else if (code === COMMA && depth === 3) keyDue = true;
    }
  }
  return depth === 0 ? found : undefined;
}
