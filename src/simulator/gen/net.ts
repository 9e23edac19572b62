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

/**
 * Where a host sits: headquarters (scanned from inside, MACs visible on some subnets), one of
 * two branch offices the scanner reaches across a router (no MACs), the cloud VNet, or at
 * home (a remote laptop, never scanned there).
 */
export type Site = "hq" | "branch-a" | "branch-b" | "cloud" | "home";

/** The sites a scanner reaches, with the VPN pool. */
export type ScannedSite = Exclude<Site, "home"> | "vpn";

/** Third octets of branch A's host subnets: 192.168.2–255, leaving out the small-office subnets and those of `KNOWN_SHARED_IPS`. */
const BRANCH_A_SUBNETS = Array.from({ length: 254 }, (_, k) => k + 2).filter((o) => ![56, 99, 122, 178].includes(o));
/** Third octets of branch B's host subnets in each 10.x/16: 3–255 without 75 (10.0.2.x and 10.0.75.x hold `KNOWN_SHARED_IPS`). */
const BRANCH_B_SUBNETS = Array.from({ length: 253 }, (_, k) => k + 3).filter((o) => o !== 75);

/**
 * A branch office address of host `n`. Branch A uses 192.168.0.0/16, branch B 10.0.0.0/12
 * (10.0–10.15): the private ranges home routers use too. Hosts get the subnets above the
 * small-office ones ({@link SMALL_OFFICE_SUBNETS}); unique for `n` below about 60,000 (A) and
 * 1,000,000 (B).
 */
export const branchIpv4 = (site: "branch-a" | "branch-b", n: number): string => {
  const [subnet, host] = place(n);
  if (site === "branch-a") return `192.168.${BRANCH_A_SUBNETS[subnet % BRANCH_A_SUBNETS.length] ?? 2}.${host}`;
  const second = Math.floor(subnet / BRANCH_B_SUBNETS.length) % 16;
  return `10.${second}.${BRANCH_B_SUBNETS[subnet % BRANCH_B_SUBNETS.length] ?? 3}.${host}`;
};

/** The /24s each branch's printers, phones and cameras sit in: the ranges home routers ship with. */
export const SMALL_OFFICE_SUBNETS: Readonly<Record<"branch-a" | "branch-b", readonly string[]>> = {
  "branch-a": ["192.168.0", "192.168.1", "192.168.178"],
  "branch-b": ["10.0.0", "10.0.1"],
};

/** Address `k` of a branch's small-office subnets (host octets 2–254), or null past their end. */
export const smallOfficeIpv4 = (site: "branch-a" | "branch-b", k: number): string | null => {
  const subnets = SMALL_OFFICE_SUBNETS[site];
  const host = Math.floor(k / subnets.length);
  return host < 253 ? `${subnets[k % subnets.length] ?? ""}.${host + 2}` : null;
};

/** Egress addresses of each site (its NAT pool): a few shared by every device there (documentation ranges). */
export const SITE_EGRESS: Readonly<Record<Exclude<Site, "home">, readonly string[]>> = {
  hq: ["203.0.113.10", "203.0.113.11", "203.0.113.12"],
  "branch-a": ["198.51.100.20", "198.51.100.21"],
  "branch-b": ["198.51.100.40"],
  cloud: ["192.0.2.80", "192.0.2.81"],
};

/** A site's egress address for one report. */
export const externalIpv4 = (rng: Rng, site: Exclude<Site, "home">): string => rng.pick(SITE_EGRESS[site]);

/** A home connection's public address: one per household (never private, never CGNAT 100.64/10). */
export const homeExternalIpv4 = (rng: Rng): string => `${rng.range(24, 99)}.${rng.int(256)}.${rng.int(256)}.${rng.range(1, 254)}`;

/**
 * A home-router address: mostly in the ranges home routers ship with, which are the
 * small-office subnets of the branches ({@link SMALL_OFFICE_SUBNETS}), else anywhere in
 * 192.168.0.0/16: a laptop at home can report the address of a branch host.
 */
export const homeIpv4 = (rng: Rng): string => {
  const host = rng.range(2, 254);
  if (rng.chance(0.75)) return `${rng.pick(["192.168.1", "192.168.0", "192.168.178", "10.0.0", "10.0.1"])}.${host}`;
  return `192.168.${rng.range(2, 255)}.${host}`;
};
