/**
 * IP addresses, parsed with ipaddr.js and printed canonically: IPv4 dotted decimal, IPv6 as
 * RFC 5952 (lowercase, longest zero run compressed). An IPv4-mapped IPv6 address
 * (`::ffff:10.0.0.5`) prints as its IPv4; a zone id (`%eth0`, `%12`) is dropped; brackets
 * (`[2001:db8::1]`) are accepted.
 *
 * Not identifiers (→ null), because many hosts carry the same value or the scanner can never
 * reach the host at it: unspecified (`0.0.0.0/8`, `::`), loopback (`127/8`, `::1`), link-local
 * (`169.254/16`, `fe80::/10`), multicast, `240.0.0.0/4` with broadcast, ISATAP interface ids
 * (`…:0:5efe:a.b.c.d`, `…:200:5efe:a.b.c.d`, under any prefix) and Teredo (`2001::/32`) tunnel
 * addresses. IPv4 must be four decimal parts without leading zeros: `010.0.0.1` is octal to
 * some parsers and decimal to others, so it identifies nothing.
 *
 * Plain dotted IPv4, `::ffff:` + dotted IPv4 and IPv6 written as plain hex groups (with or
 * without `::`, any case, leading zeros or not), the bulk of real inventories, are read by
 * hand-written scanners; every other spelling goes through ipaddr.js. Both decide alike
 * (tested against {@link parseIpWithIpaddr}).
 */
import ipaddr from "ipaddr.js";
import { hexValue } from "./hex.js";

const DOTTED_TAIL = /(?:^|:)([^:]*\.[^:]*)$/;
/** Four decimal parts without leading zeros (range is checked by the parser). */
const FOUR_PART_DECIMAL = /^(?:0|[1-9][0-9]{0,2})(?:\.(?:0|[1-9][0-9]{0,2})){3}$/;
/** A first group fe80–febf: link-local whether or not the rest parses, so null either way. */
const LINK_LOCAL_START = /^fe[89ab][0-9a-f]:/i;

/** True when an IPv4 address, given by its first two octets, can identify a host. */
function identifiesIpv4(first: number, second: number): boolean {
  if (first === 0 || first === 127 || first >= 224) return false; // this-network, loopback, multicast, class E and broadcast
  return !(first === 169 && second === 254); // APIPA
}

/** The canonical IPv4 text, or null when the address is not an identifier. */
function printIpv4(addr: ipaddr.IPv4): string | null {
  return identifiesIpv4(addr.octets[0] ?? 0, addr.octets[1] ?? 0) ? addr.toString() : null;
}

/**
 * Reads `text` from `from` to its end as four decimal parts without leading zeros, each at most
 * 255, and returns the address as a number (first octet × 2²⁴ + …); -1 when it is anything else.
 * Such text is already canonical.
 */
function dottedQuad(text: string, from: number): number {
  let value = 0;
  let i = from;
  for (let part = 0; ; part++) {
    const start = i;
    let octet = 0;
    for (let digit = text.charCodeAt(i) - 48; digit >= 0 && digit <= 9; digit = text.charCodeAt(i) - 48) {
      octet = octet * 10 + digit;
      i++;
    }
    const digits = i - start;
    if (digits === 0 || digits > 3 || (digits > 1 && text.charCodeAt(start) === 48) || octet > 255) return -1;
    value = value * 256 + octet;
    if (part === 3) return i === text.length ? value : -1;
    if (text.charCodeAt(i) !== 46) return -1; // "."
    i++;
  }
}

/** The canonical text of the dotted quad at `text.slice(from)`, null when it identifies nothing, undefined when it is not a dotted quad. */
function fastIpv4(text: string, from: number): string | null | undefined {
  const value = dottedQuad(text, from);
  if (value < 0) return undefined;
  if (!identifiesIpv4(Math.floor(value / 0x1000000), Math.floor(value / 0x10000) % 256)) return null;
  return from === 0 ? text : text.slice(from);
}

/** True when `text` starts with `::ffff:` in any case. */
function isMappedPrefix(text: string): boolean {
  return text.length > 7 && text.charCodeAt(0) === 58 && text.charCodeAt(1) === 58 && text.charCodeAt(6) === 58 && text.slice(2, 6).toLowerCase() === "ffff";
}

/** True for an ISATAP interface identifier (`0000:5efe` or `0200:5efe` in the fifth and sixth groups). */
function isIsatap(addr: ipaddr.IPv6): boolean {
  return ((addr.parts[4] ?? 1) & 0xfdff) === 0 && addr.parts[5] === 0x5efe;
}

/** The canonical IPv6 text (or IPv4 for a mapped address), or null when not an identifier. */
function printIpv6(addr: ipaddr.IPv6): string | null {
  if (addr.isIPv4MappedAddress()) return printIpv4(addr.toIPv4Address());
  const range = addr.range();
  if (range === "unspecified" || range === "loopback" || range === "linkLocal" || range === "multicast" || range === "teredo") return null;
  if (isIsatap(addr)) return null;
  return addr.toRFC5952String();
}

/** The eight groups of the address being read by {@link fastIpv6} (reused: one parse at a time). */
const groups = new Uint16Array(8);

/**
 * Reads `text` as IPv6 hex groups into {@link groups}: 1–4 hex digits each, `:` between
 * them, at most one `::` standing for at least one zero group. False for anything else (a
 * dot, a zone id, a fifth digit, a stray colon), which ipaddr.js then decides.
 */
function readHexGroups(text: string): boolean {
  const n = text.length;
  let count = 0;
  let gap = -1;
  let i = 0;
  if (n >= 2 && text.charCodeAt(0) === 58 && text.charCodeAt(1) === 58) {
    gap = 0;
    i = 2;
  }
  while (i < n) {
    let value = 0;
    const start = i;
    for (let digit = hexValue(text.charCodeAt(i)); digit >= 0 && i - start < 4; digit = hexValue(text.charCodeAt(++i))) value = value * 16 + digit;
    if (i === start || count === 8) return false;
    groups[count++] = value;
    if (i === n) break;
    if (text.charCodeAt(i) !== 58 || i + 1 === n) return false; // ":" and something after it
    i++;
    if (text.charCodeAt(i) === 58) {
      if (gap >= 0) return false;
      gap = count;
      i++;
    }
  }
  if (gap < 0) return count === 8;
  if (count > 7) return false;
  const tail = count - gap;
  groups.copyWithin(8 - tail, gap, count);
  groups.fill(0, gap, 8 - tail);
  return true;
}

/**
 * The groups in {@link groups} as RFC 5952 prints them (ipaddr.js's `toRFC5952String`):
 * lowercase, no leading zeros, the longest run of two or more zero groups replaced by `::`,
 * the first one on a tie.
 */
function printGroups(): string {
  let bestStart = -1;
  let bestEnd = -1;
  let bestLength = 1;
  for (let g = 0; g < 8;) {
    if (groups[g] !== 0) {
      g++;
      continue;
    }
    let end = g;
    while (end < 8 && groups[end] === 0) end++;
    const length = end - g;
    if (length > bestLength) {
      bestStart = g;
      bestEnd = end;
      bestLength = length;
    }
    g = end;
  }
  let out = "";
  for (let g = 0; g < 8; g++) {
    if (g === bestStart) {
      out += "::";
      g = bestEnd - 1;
      continue;
    }
    if (g > 0 && g !== bestEnd) out += ":";
    out += (groups[g] as number).toString(16);
  }
  return out;
}

/**
 * {@link parseIpv6Text} for an address written as plain hex groups: its canonical text (the
 * input itself when already canonical), null when it identifies nothing, undefined when the
 * text is spelt otherwise or is an IPv4-mapped address (ipaddr.js decides those).
 */
function fastIpv6(text: string): string | null | undefined {
  if (!readHexGroups(text)) return undefined;
  const first = groups[0] as number;
  const fifth = groups[4] as number;
  const sixth = groups[5] as number;
  const leadingZeros = first === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && fifth === 0;
  if (leadingZeros && sixth === 0xffff) return undefined; // IPv4-mapped
  if (leadingZeros && sixth === 0 && groups[6] === 0 && (groups[7] as number) <= 1) return null; // unspecified, loopback
  if ((first & 0xffc0) === 0xfe80 || (first & 0xff00) === 0xff00 || (first === 0x2001 && groups[1] === 0)) return null; // link-local, multicast, Teredo
  if ((fifth & 0xfdff) === 0 && sixth === 0x5efe) return null; // ISATAP
  const printed = printGroups();
  return printed === text ? text : printed;
}

/** The text to parse: trimmed, brackets dropped; null when not a string. */
function unwrap(raw: string | null | undefined): string | null {
  if (typeof raw !== "string") return null;
  const text = raw.trim();
  return text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
}

/** An IPv6 spelling (the text has a colon) through ipaddr.js. */
function parseIpv6Text(text: string): string | null {
  if (LINK_LOCAL_START.test(text) || text === "::1") return null; // the commonest noise, without a parse
  const zoneAt = text.indexOf("%");
  if (zoneAt >= 0) {
    const zone = text.slice(zoneAt + 1);
    if (zone === "" || /[\s%]/.test(zone)) return null;
    text = text.slice(0, zoneAt);
  }
  if (text.includes(".")) {
    const dotted = DOTTED_TAIL.exec(text);
    if (!dotted || !FOUR_PART_DECIMAL.test(dotted[1] ?? "")) return null;
  }
  let addr: ipaddr.IPv6;
  try {
    addr = ipaddr.IPv6.parse(text);
  } catch {
    return null; // not an IPv6 address
  }
  return printIpv6(addr);
}

/**
 * Parses an IP address in any spelling and prints it canonically, or returns null when the
 * text is not an address or the address identifies no host (see the module comment).
 * Never throws; idempotent.
 */
export function parseIp(raw: string | null | undefined): string | null {
  const text = unwrap(raw);
  if (text === null) return null;
  if (!text.includes(":")) return fastIpv4(text, 0) ?? null; // not a dotted quad: not an address
  if (isMappedPrefix(text)) {
    const mapped = fastIpv4(text, 7);
    if (mapped !== undefined) return mapped;
  }
  if (LINK_LOCAL_START.test(text) || text === "::1") return null; // the commonest noise, before any parse
  const fast = fastIpv6(text);
  return fast === undefined ? parseIpv6Text(text) : fast;
}

/**
 * {@link parseIp} without the hand-written fast paths: every spelling through ipaddr.js. Not
 * part of the public API; kept so that tests can check that both decide alike.
 */
export function parseIpWithIpaddr(raw: string | null | undefined): string | null {
  const text = unwrap(raw);
  if (text === null) return null;
  if (text.includes(":")) return parseIpv6Text(text);
  if (!FOUR_PART_DECIMAL.test(text)) return null;
  try {
    return printIpv4(ipaddr.IPv4.parse(text));
  } catch {
    return null; // a part above 255
  }
}

/**
 * True when `raw` is an IP address in a spelling {@link parseIp} reads, whether or not the
 * address identifies a host: a dotted quad, or IPv6 (brackets, a zone and an IPv4 tail
 * allowed). False for a prefix length, a port, leading zeros, an octet over 255, a name.
 */
export function isIpSpelling(raw: string): boolean {
  const text = unwrap(raw);
  if (text === null) return false;
  if (!text.includes(":")) return dottedQuad(text, 0) >= 0;
  const zoneAt = text.indexOf("%");
  return ipaddr.IPv6.isValid(zoneAt >= 0 ? text.slice(0, zoneAt) : text);
}

/** True when `raw` parses to an address that can identify a host (see {@link parseIp}). */
export function isIdentifyingIp(raw: string | null | undefined): boolean {
  return parseIp(raw) !== null;
}

/**
 * The network part of a canonical address (as {@link parseIp} prints it) that stands for the
 * network it sits on when nothing better is known: the /24 of an IPv4 address (`10.1.2`), the
 * /64 of an IPv6 one (`fd12:3456:789a:1`).
 */
export function subnetOf(ip: string): string {
  if (!ip.includes(":")) return ip.slice(0, ip.lastIndexOf("."));
  const gap = ip.indexOf("::");
  const head = gap < 0 ? ip.split(":") : gap === 0 ? [] : ip.slice(0, gap).split(":");
  const tail = gap < 0 ? [] : ip.slice(gap + 2) === "" ? [] : ip.slice(gap + 2).split(":");
  const groups = gap < 0 ? head : [...head, ...Array.from({ length: Math.max(0, 8 - head.length - tail.length) }, () => "0"), ...tail];
  return groups.slice(0, 4).join(":");
}
