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
 */
import ipaddr from "ipaddr.js";

const DOTTED_TAIL = /(?:^|:)([^:]*\.[^:]*)$/;
/** Four decimal parts without leading zeros (range is checked by the parser). */
const FOUR_PART_DECIMAL = /^(?:0|[1-9][0-9]{0,2})(?:\.(?:0|[1-9][0-9]{0,2})){3}$/;
/** A first group fe80–febf: link-local whether or not the rest parses, so null either way. */
const LINK_LOCAL_START = /^fe[89ab][0-9a-f]:/i;

/** The canonical IPv4 text, or null when the address is not an identifier. */
function printIpv4(addr: ipaddr.IPv4): string | null {
  const first = addr.octets[0] ?? 0;
  if (first === 0 || first === 127 || first >= 224) return null; // this-network, loopback, multicast, class E and broadcast
  if (first === 169 && addr.octets[1] === 254) return null; // APIPA
  return addr.toString();
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

/**
 * Parses an IP address in any spelling and prints it canonically, or returns null when the
 * text is not an address or the address identifies no host (see the module comment).
 * Never throws; idempotent.
 */
export function parseIp(raw: string | null | undefined): string | null {
  if (typeof raw !== "string") return null;
  let text = raw.trim();
  if (text.startsWith("[") && text.endsWith("]")) text = text.slice(1, -1);
  if (!text.includes(":")) {
    if (!FOUR_PART_DECIMAL.test(text)) return null;
    try {
      return printIpv4(ipaddr.IPv4.parse(text));
    } catch {
      return null; // a part above 255
    }
  }
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

/** True when `raw` parses to an address that can identify a host (see {@link parseIp}). */
export function isIdentifyingIp(raw: string | null | undefined): boolean {
  return parseIp(raw) !== null;
}
