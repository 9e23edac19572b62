/**
 * MAC addresses, parsed into six bytes and printed one way (`aa:bb:cc:dd:ee:ff`).
 *
 * Accepted spellings, any case, surrounding blanks ignored:
 * - bare hex: `000C2992A64D` (Defender), 12 digits;
 * - six groups of one or two digits joined by one separator, `:` or `-`:
 *   `00:0c:29:92:a6:4d`, `00-0C-29-92-A6-4D`, and `0:c:29:92:a6:4d` (macOS `arp` drops leading zeros);
 * - Cisco dots: `000c.2992.a64d`;
 * - two halves: `000c29-92a64d` (HP/Aruba).
 *
 * Not identifiers (→ null): 8-byte tunnel pseudo-MACs (`00000000000000E0`, `00-00-00-00-00-00-00-E0`),
 * all-zero, broadcast and every multicast address (first octet odd), and anything else.
 * Locally administered addresses (second bit of the first octet) are identifiers: VMs and
 * containers use them, and when many hosts share one the correlator notices (see `correlate.ts`).
 */
import { hexValue } from "./hex.js";

const BARE = /^[0-9a-f]{12}$/i;
const GROUPED = /^[0-9a-f]{1,2}([:-])[0-9a-f]{1,2}(?:\1[0-9a-f]{1,2}){4}$/i;
const CISCO = /^([0-9a-f]{4})\.([0-9a-f]{4})\.([0-9a-f]{4})$/i;
const HALVES = /^([0-9a-f]{6})-([0-9a-f]{6})$/i;

/** The twelve hex digits of a six-byte MAC in any accepted spelling, or null. */
function hexDigits(text: string): string | null {
  if (BARE.test(text)) return text;
  if (GROUPED.test(text))
    return text
      .split(/[:-]/)
      .map((g) => g.padStart(2, "0"))
      .join("");
  const cisco = CISCO.exec(text);
  if (cisco) return `${cisco[1]}${cisco[2]}${cisco[3]}`;
  const halves = HALVES.exec(text);
  if (halves) return `${halves[1]}${halves[2]}`;
  return null;
}

/** The char codes of the MAC {@link parseCommonMac} is printing (reused; the colons never change). */
const printed: number[] = new Array<number>(17).fill(0x3a);

/**
 * The two spellings sources use most, without a regular expression: twelve bare digits
 * (Defender) and six two-digit groups joined by `:` or `-` (scanners). Returns the printed
 * MAC (the text itself when it is printed already; otherwise made in one piece), null when it
 * identifies no adapter, undefined for any other text.
 */
function parseCommonMac(text: string): string | null | undefined {
  const grouped = text.length === 17;
  if (!grouped && text.length !== 12) return undefined;
  const separator = grouped ? text.charCodeAt(2) : 0;
  if (grouped && separator !== 0x3a && separator !== 0x2d) return undefined; // ":" or "-"
  let changed = separator === 0x2d;
  let any = 0;
  let digit = 0;
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (grouped && at % 3 === 2) {
      if (code !== separator) return undefined;
      continue;
    }
    const value = hexValue(code);
    if (value < 0) return undefined;
    if (code >= 0x41 && code <= 0x46) changed = true;
    any |= value;
    printed[digit + (digit >> 1)] = code | 0x20; // lowercase; digits have the bit already
    digit++;
  }
  if (any === 0 || (hexValue(text.charCodeAt(1)) & 1) === 1) return null; // all zero; multicast, broadcast included
  if (grouped && !changed) return text;
  return String.fromCharCode.apply(null, printed);
}

/**
 * Parses a MAC address in any common spelling and prints it as `aa:bb:cc:dd:ee:ff`.
 * Returns null for input that is not a MAC or does not identify an adapter (tunnel
 * pseudo-MACs, all-zero, broadcast, multicast). Never throws; idempotent.
 */
export function parseMac(raw: string | null | undefined): string | null {
  if (typeof raw !== "string") return null;
  const common = parseCommonMac(raw);
  return common === undefined ? parseMacWithRegexes(raw) : common;
}

/**
 * {@link parseMac} through regular expressions for every spelling. Not part of the public
 * API; the fast path hands it what it does not decide itself, and tests check that both
 * decide alike.
 */
export function parseMacWithRegexes(raw: string | null | undefined): string | null {
  if (typeof raw !== "string") return null;
  const text = raw.trim();
  const hex = hexDigits(text)?.toLowerCase();
  if (hex === undefined || hex === "000000000000") return null; // 8-byte tunnel pseudo-MACs never reach here: no spelling accepts 16 digits
  const firstOctet = Number.parseInt(hex.slice(0, 2), 16);
  if ((firstOctet & 1) === 1) return null; // multicast, broadcast included
  return `${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}:${hex.slice(6, 8)}:${hex.slice(8, 10)}:${hex.slice(10, 12)}`;
}

/** An 8-byte tunnel pseudo-MAC, bare or in dashed groups: read as no MAC, but a MAC's spelling. */
const EIGHT_BYTES = /^(?:[0-9a-f]{16}|[0-9a-f]{2}(?:-[0-9a-f]{2}){7})$/i;

/**
 * True when `raw` is a MAC in a spelling {@link parseMac} reads (see the module comment),
 * whether or not it identifies an adapter; false for anything else.
 */
export function isMacSpelling(raw: string): boolean {
  const text = raw.trim();
  return hexDigits(text) !== null || EIGHT_BYTES.test(text);
}

/** True when `raw` parses to a MAC that can identify an adapter (see {@link parseMac}). */
export function isIdentifyingMac(raw: string | null | undefined): boolean {
  return parseMac(raw) !== null;
}
