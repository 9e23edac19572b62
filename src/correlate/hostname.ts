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

/**
 * Parses a host name into its FQDN and short-name keys, or returns null when it is not a
 * usable host name (see the module comment). Never throws; idempotent on `fqdn ?? short`.
 */
export function parseHostname(raw: string | null | undefined): ParsedHostname | null {
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
