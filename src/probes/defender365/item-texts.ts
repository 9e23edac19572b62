/**
 * The JSON text of each item of a page's `value` array, sliced from the body as received.
 * A record's `attributes` is then the API's own text for the machine instead of the parsed
 * machine serialised again (`JSON.stringify` of 10,000 machines costs about four times this
 * scan, which only visits the characters outside strings).
 *
 * Called only on a body that `JSON.parse` accepted, with the length of the `value` array it
 * read. Anything the scan does not follow gives no texts (the caller serialises instead):
 * a `value` key spelt with escapes, an item that is not an object, a count that differs. An
 * item that spans a line break gives no text of its own: a record must stay on one line.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;

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

/** True when a character between two items or inside the value array (not in an item) is only a separator. */
const isSeparator = (code: number): boolean => code === 0x2c || code === 0x20 || code === 0x09 || code === LINE_FEED || code === CARRIAGE_RETURN;

/**
 * The text of every item of the top-level `value` array of `body` (the last one, as
 * `JSON.parse` keeps the last of repeated keys), in order; `undefined` in place of an item
 * that spans a line break. Returns undefined when the items found are not `count` objects.
 */
export function itemTexts(body: string, count: number): (string | undefined)[] | undefined {
  let texts: (string | undefined)[] = [];
  let depth = 0;
  let lastKeyIsValue = false;
  let inValue = false;
  let itemStart = -1;
  let itemHasBreak = false;
  for (let at = 0; at < body.length; at++) {
    const code = body.charCodeAt(at);
    if (code === QUOTE) {
      const close = closingQuote(body, at);
      if (close < 0) return undefined;
      if (depth === 1) lastKeyIsValue = close - at === 6 && body.startsWith('"value"', at);
      else if (inValue && depth === 2) return undefined; // an item that is a string
      at = close;
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      if (depth === 1 && code === OPEN_BRACKET && lastKeyIsValue) {
        inValue = true;
        texts = [];
      } else if (inValue && depth === 2) {
        if (code !== OPEN_BRACE) return undefined; // an item that is an array
        itemStart = at;
        itemHasBreak = false;
      }
      depth++;
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      depth--;
      if (inValue && depth === 2) texts.push(itemHasBreak ? undefined : body.slice(itemStart, at + 1));
      else if (inValue && depth === 1) inValue = false;
    } else if (inValue && depth > 2) {
      if (code === LINE_FEED || code === CARRIAGE_RETURN) itemHasBreak = true;
    } else if (inValue && depth === 2 && !isSeparator(code)) {
      return undefined; // an item that is a number, true, false or null
    }
  }
  return texts.length === count ? texts : undefined;
}
