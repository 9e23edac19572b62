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
 * Plain dotted IPv4 and `::ffff:` + dotted IPv4, the bulk of real inventories, are read by a
 * hand-written scanner; every other spelling goes through ipaddr.js. Both decide alike (tested
 * against {@link parseIpWithIpaddr}).
 */
import ipaddr from "ipaddr.js";

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
  return parseIpv6Text(text);
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

/** True when `raw` parses to an address that can identify a host (see {@link parseIp}). */
export function isIdentifyingIp(raw: string | null | undefined): boolean {
  return parseIp(raw) !== null;
}
