/**
 * How a network scanner spells identifiers: MACs with colons, dashes, Cisco dots or none
 * in either case; IPv6 uncompressed, zero-padded or upper case; IPv4-mapped IPv6; host
 * names in any case with an optional trailing dot. Correlation must treat every spelling
 * of one identifier as one key.
 */
import { ipv6Text } from "./net.js";
import type { Ipv6Groups } from "./net.js";
import type { Rng } from "./rng.js";

/** A 12-hex MAC in one of the spellings scanners and switches print. */
export const spellMac = (rng: Rng, mac: string): string => {
  const lower = mac.toLowerCase();
  const pairs = lower.match(/../g) ?? [];
  switch (rng.int(6)) {
    case 0:
      return pairs.join(":");
    case 1:
      return pairs.join(":").toUpperCase();
    case 2:
      return pairs.join("-").toUpperCase();
    case 3:
      return `${lower.slice(0, 4)}.${lower.slice(4, 8)}.${lower.slice(8, 12)}`;
    case 4:
      return lower;
    default:
      return mac.toUpperCase();
  }
};

/** An IPv6 address in a non-canonical spelling (never the RFC 5952 form). */
export const spellIpv6 = (rng: Rng, groups: Ipv6Groups): string => {
  switch (rng.int(4)) {
    case 0:
      return groups.map((g) => g.toString(16).padStart(4, "0")).join(":");
    case 1:
      return groups.map((g) => g.toString(16)).join(":");
    case 2:
      return ipv6Text(groups).toUpperCase();
    default:
      return groups.map((g) => g.toString(16).padStart(4, "0").toUpperCase()).join(":");
  }
};

/** An IPv4 address written as an IPv4-mapped IPv6 address. */
export const spellIpv4Mapped = (rng: Rng, ipv4: string): string => rng.pick([`::ffff:${ipv4}`, `::FFFF:${ipv4}`, `0:0:0:0:0:ffff:${ipv4}`]);

/** A host name in a random case, sometimes with the DNS root's trailing dot. */
export const spellName = (rng: Rng, name: string, trailingDot: boolean): string => {
  const cased = rng.weighted<string>([
    [name.toLowerCase(), 50],
    [name.toUpperCase(), 25],
    [name, 25],
  ]);
  return trailingDot && rng.chance(0.15) ? `${cased}.` : cased;
};
