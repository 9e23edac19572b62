/**
 * Host names, lowercased, trailing dot dropped, and split into the two keys correlation uses:
 * the FQDN (only when the name has a dot) and the short name (the first label, weaker: the same
 * short name lives in many domains).
 *
 * A label is 1–63 of `a-z 0-9 - _` (underscores occur in Windows computer names); the whole
 * name at most 253 characters; ASCII only (checked before lowercasing, so that look-alikes such
 * as the Kelvin sign cannot fold into ASCII). Rejected (→ null): empty, blank, IP literals (a
 * name whose last label is all digits, including dotted quads and bare numbers; anything with
 * a colon), `localhost` in any domain (every host carries it), and any other character.
 */

/** A host name as two keys. */
export interface ParsedHostname {
  /** The full name, lowercase without the trailing dot; null when the name has no dot. */
  readonly fqdn: string | null;
  /** The first label, lowercase. */
  readonly short: string;
}

const LABEL = /^[a-z0-9_-]{1,63}$/;
const HAS_ALNUM = /[a-z0-9]/;
const DIGITS = /^[0-9]+$/;
const ASCII_PRINTABLE = /^[\x21-\x7e]+$/;

const DOT = 0x2e;
const HYPHEN = 0x2d;
const UNDERSCORE = 0x5f;

/**
 * Parses a host name into its FQDN and short-name keys, or returns null when it is not a
 * usable host name (see the module comment). Never throws; idempotent on `fqdn ?? short`.
 * One pass over the characters; a name with anything outside `A-Z a-z 0-9 - _ .` (blanks
 * around it included) goes through {@link parseHostnameWithRegexes}, which decides the same.
 */
export function parseHostname(raw: string | null | undefined): ParsedHostname | null {
  if (typeof raw !== "string") return null;
  let end = raw.length;
  if (end > 0 && raw.charCodeAt(end - 1) === DOT) end--;
  if (end === 0 || end > 253) return parseHostnameWithRegexes(raw);
  let upper = false;
  let labelStart = 0;
  let labelAlnum = false;
  let labelDigits = true;
  let firstDot = -1;
  for (let at = 0; at <= end; at++) {
    const code = at === end ? DOT : raw.charCodeAt(at);
    if (code === DOT) {
      const length = at - labelStart;
      if (length === 0 || length > 63 || !labelAlnum) return null;
      if (firstDot < 0) firstDot = at;
      labelStart = at + 1;
      labelAlnum = false;
      if (at < end) labelDigits = true;
    } else if ((code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a)) {
      upper ||= code <= 0x5a;
      labelAlnum = true;
      labelDigits = false;
    } else if (code >= 0x30 && code <= 0x39) {
      labelAlnum = true;
    } else if (code === HYPHEN || code === UNDERSCORE) {
      labelDigits = false;
    } else {
      return parseHostnameWithRegexes(raw); // blanks to trim, or a character that makes it no host name
    }
  }
  if (labelDigits) return null; // the last label is all digits: an IP literal or a number
  let text = end === raw.length ? raw : raw.slice(0, end);
  if (upper) text = text.toLowerCase();
  const short = firstDot === end ? text : text.slice(0, firstDot);
  if (short === "localhost") return null;
  return { fqdn: firstDot === end ? null : text, short };
}

/**
 * {@link parseHostname} written with regular expressions, for any input: trims, then checks
 * every label. Not part of the public API; the fast path hands it what it does not decide
 * itself, and tests check that both decide alike.
 */
export function parseHostnameWithRegexes(raw: string | null | undefined): ParsedHostname | null {
  if (typeof raw !== "string") return null;
  let text = raw.trim();
  if (!ASCII_PRINTABLE.test(text)) return null;
  text = text.toLowerCase();
  if (text.endsWith(".")) text = text.slice(0, -1);
  if (text.length === 0 || text.length > 253) return null;
  const labels = text.split(".");
  if (!labels.every((label) => LABEL.test(label) && HAS_ALNUM.test(label))) return null;
  const short = labels[0] ?? "";
  if (DIGITS.test(labels[labels.length - 1] ?? "")) return null;
  if (short === "localhost") return null;
  return { fqdn: labels.length > 1 ? text : null, short };
}
