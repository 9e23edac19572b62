/**
 * Deterministic address plan: every host index gets its own LAN IPv4, VPN IPv4, cloud IPv4,
 * MAC and IPv6, unique for indexes below about 15 million, so the only shared identifiers in
 * a tenant are the ones the generator shares on purpose (DHCP reuse, VPN/host-only/Docker
 * adapters, duplicates).
 */
import { hash } from "./rng.js";
import type { Rng } from "./rng.js";

/** An IPv6 address as its 8 16-bit groups. */
export type Ipv6Groups = readonly number[];

const HOSTS_PER_SUBNET = 254;

/** Spreads `n` over /24 subnets: [subnet number, host octet 1–254], a bijection. */
const place = (n: number): readonly [number, number] => {
  const subnet = Math.floor(n / HOSTS_PER_SUBNET);
  const host = (((n % HOSTS_PER_SUBNET) * 97 + subnet * 31) % HOSTS_PER_SUBNET) + 1;
  return [subnet, host];
};

/** The office LAN address of host `n`: 10.20.0.0 – 10.249.255.254. */
export const lanIpv4 = (n: number): string => {
  const [subnet, host] = place(n);
  return `10.${20 + (Math.floor(subnet / 256) % 230)}.${subnet % 256}.${host}`;
};

/** The VPN pool address of host `n`: 10.250.0.0/14 (10.250–10.253). */
export const vpnIpv4 = (n: number): string => {
  const [subnet, host] = place(n);
  return `10.${250 + (Math.floor(subnet / 256) % 4)}.${subnet % 256}.${host}`;
};

/** The cloud VNet address of host `n`: 172.20.0.0 – 172.31.255.254 (never Docker's 172.17). */
export const cloudIpv4 = (n: number): string => {
  const [subnet, host] = place(n);
  return `172.${20 + (Math.floor(subnet / 256) % 12)}.${subnet % 256}.${host}`;
};

/** The MAC (12 uppercase hex) of host `n` with vendor prefix `oui`; unique per (oui, n) for n < 2^24. */
export const macFor = (seed: number, n: number, oui: string): string => {
  const low = (Math.imul(n, 0x9e3779) + hash(seed, 0x3ac)) & 0xffffff;
  return oui + low.toString(16).toUpperCase().padStart(6, "0");
};

/** A random locally administered MAC with a fixed 2-byte prefix (Docker uses `0242`). */
export const randomMac = (rng: Rng, prefix: string): string => prefix + rng.hex(12 - prefix.length);

/** The modified EUI-64 interface id of a MAC, as 4 groups. */
export const eui64 = (mac: string): readonly number[] => {
  const b = (k: number): number => parseInt(mac.slice(2 * k, 2 * k + 2), 16);
  return [((b(0) ^ 0x02) << 8) | b(1), (b(2) << 8) | 0xff, 0xfe00 | b(3), (b(4) << 8) | b(5)];
};

/** The site's unique-local IPv6 (fd12:3456:789a:subnet::/64 + EUI-64) of host `n` with `mac`. */
export const ulaGroups = (n: number, mac: string): Ipv6Groups => [0xfd12, 0x3456, 0x789a, place(n)[0] & 0xffff, ...eui64(mac)];

/** The link-local IPv6 of a MAC (fe80::/64 + EUI-64). */
export const linkLocalGroups = (mac: string): Ipv6Groups => [0xfe80, 0, 0, 0, ...eui64(mac)];

/** RFC 5952 canonical text of an IPv6 (lowercase, longest zero run compressed). */
export const ipv6Text = (groups: Ipv6Groups): string => {
  let bestStart = -1;
  let bestLen = 0;
  for (let k = 0; k < 8;) {
    if (groups[k] !== 0) {
      k++;
      continue;
    }
    let end = k;
    while (end < 8 && groups[end] === 0) end++;
    if (end - k > bestLen && end - k >= 2) {
      bestStart = k;
      bestLen = end - k;
    }
    k = end;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLen).join(":")}`;
};

/** An APIPA address (169.254.0.0/16). */
export const apipa = (rng: Rng): string => `169.254.${rng.range(1, 254)}.${rng.range(1, 254)}`;

/** A public egress address (documentation ranges, shared by many devices behind NAT). */
export const externalIpv4 = (rng: Rng): string => `${rng.pick(["203.0.113", "198.51.100", "192.0.2"])}.${rng.range(1, 254)}`;

/** A home-router address: the same few values recur across many remote laptops. */
export const homeIpv4 = (rng: Rng): string => `${rng.pick(["192.168.1", "192.168.0", "192.168.178"])}.${rng.range(2, 40)}`;
