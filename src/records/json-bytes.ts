/**
 * JSON written straight into a byte buffer as UTF-8, piece by piece, so that a record line is
 * never assembled as a string first (no concatenation, no flattening of the result, no
 * second copy). The pieces records are made of (ids, canonical keys, timestamps, the
 * literals between them) are ASCII, and are copied a character at a time; a string with
 * anything to escape or outside ASCII goes through `JSON.stringify` and `Buffer.write`. What
 * lands in the buffer is exactly the UTF-8 of the same JSON text.
 */

import { BACKSLASH, CLOSE_BRACKET, COMMA, OPEN_BRACKET, QUOTE } from "../util/char-codes.js";

/** Text longer than this is handed to `Buffer.write` whole (native copying beats a loop there); shorter text is copied in the loop. */
const SHORT_TEXT = 64;

/** Bytes {@link JsonBytes.string} writes at most for a string of `length` UTF-16 code units (`\u001f` is six bytes for one unit). */
export const stringBound = (length: number): number => 6 * length + 2;

/** Bytes {@link JsonBytes.stringList} writes at most for `list`. */
export const stringListBound = (list: readonly string[]): number => {
  let bound = 2;
  for (let i = 0; i < list.length; i++) bound += stringBound((list[i] as string).length) + 1;
  return bound;
};

/** Bytes {@link JsonBytes.text} writes at most for text of `length` UTF-16 code units. */
export const textBound = (length: number): number => 3 * length;

/**
 * A line that outgrew the room made for it: a bound above is wrong (a bug). Whoever made the
 * room checks once the line is written ({@link outgrew}); a typed array drops writes past its
 * end silently, and `Buffer.write` stops at it.
 */
export const outgrewError = (what: string): Error =>
  Object.assign(new Error(`${what} outgrew the room made for it: the size bound is wrong (a bug in scan-probes)`), { code: "ERR_RECORD_BOUND" });

/** True when a line written up to `at`, with `more` bytes still to follow, does not fit in `length` bytes (something was cut). */
export const outgrew = (at: number, more: number, length: number): boolean => at + more > length;

/**
 * A writing position in a buffer. The caller makes room first (the bounds above) and checks
 * afterwards ({@link outgrew}); nothing here checks.
 */
export class JsonBytes {
  /** The buffer written into. */
  buffer: Buffer = Buffer.alloc(0);
  /** Where the next byte goes. */
  at = 0;

  /** Points the writer at `buffer`, from `at`. */
  moveTo(buffer: Buffer, at: number): this {
    this.buffer = buffer;
    this.at = at;
    return this;
  }

  /** Writes `text` as it is, in UTF-8 (a literal, or a whole JSON document). */
  text(text: string): void {
    if (text.length > SHORT_TEXT) {
      this.at += this.buffer.write(text, this.at);
      return;
    }
    const buffer = this.buffer;
    let at = this.at;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code > 0x7f) {
        this.at = at + buffer.write(text.slice(i), at);
        return;
      }
      buffer[at++] = code;
    }
    this.at = at;
  }

  /** Writes `JSON.stringify(value)`. */
  string(value: string): void {
    const buffer = this.buffer;
    let at = this.at;
    buffer[at++] = QUOTE;
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i);
      if (code < 0x20 || code === QUOTE || code === BACKSLASH || code > 0x7f) {
        this.at += buffer.write(JSON.stringify(value), this.at); // from the opening quote again
        return;
      }
      buffer[at++] = code;
    }
    buffer[at++] = QUOTE;
    this.at = at;
  }

  /** Writes `JSON.stringify(value)` of a string or null. */
  stringOrNull(value: string | null): void {
    if (value === null) this.text("null");
    else this.string(value);
  }

  /** Writes `JSON.stringify(list)` of a list of strings. */
  stringList(list: readonly string[]): void {
    this.buffer[this.at++] = OPEN_BRACKET;
    for (let i = 0; i < list.length; i++) {
      if (i > 0) this.buffer[this.at++] = COMMA;
      this.string(list[i] as string);
    }
    this.buffer[this.at++] = CLOSE_BRACKET;
  }
}
