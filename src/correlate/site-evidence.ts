/**
 * Whether a device was on the network an asset was found in, for the pairs an IP alone ties
 * (the weakest level). A device's private address only means something on the network it
 * reported from: a laptop at home at 192.168.1.170 is not the printer a branch scan finds at
 * 192.168.1.170. Decided once the stronger levels are assigned, from what they matched.
 *
 * An asset's network is its `site` when the scan gives one, else the subnet of the address
 * (/24, /64). For an IP-only pair, one of its addresses must show the device there:
 * 1. the address is one the device reported on a VPN or dial-up adapter (`tunnelAddresses`):
 *    the tunnel's address is on the company's network → there;
 * 2. the device reported through a tunnel, and this is another of its addresses → not there
 *    (the network it sat on is a remote one: a home router's);
 * 3. the device gives an egress: there when a device matched on that network by stronger
 *    evidence reported from the same egress (a site's devices share its few NAT addresses; a
 *    household's is its own);
 * 4. the device gives none (a discovered device; a source that does not say): there when a
 *    device matched by stronger evidence in the same subnet (the narrower network: a site
 *    spans the ranges home routers use too).
 * Refused pairs are dropped, and both ends flagged `off-site`.
 *
 * Cost: linear in the matched assets' addresses and the IP-only pairs.
 */
import type { Candidate, Candidates } from "./candidates.js";
import { FLAG_OFF_SITE } from "./candidates.js";
import { IntList } from "../util/growable.js";
import { subnetOf } from "./ip.js";
import { IP as IP_KIND, type KeyLists } from "./key-lists.js";
import type { KeySpace } from "./key-space.js";
import { PairTable } from "./pair-table.js";

/** Where each device group's newest report came from. */
export interface Whereabouts {
  /** Group → egress id (`KeySpace.egress`), or a negative value when it has none (`EGRESS_UNKNOWN`, `EGRESS_NONE`). */
  readonly egress: Int32Array;
  /** Group → 1 when it reported through a tunnel. */
  readonly offSite: Uint8Array;
}

/** The networks of the assets that have a candidate: each one's `site`, if any, and the subnets of its addresses. */
export interface AssetNetworks {
  /** Asset `a`'s network ids (see `NAMED`) are `ids[start[a]] … ids[start[a+1]-1]`, its site's first (none for an asset without candidates). */
  readonly start: Int32Array;
  readonly ids: IntList;
  /** Asset → its site's network id, or -1. */
  readonly site: { at(asset: number): number };
}

/**
 * Network ids: an IPv4 /24 is its 24-bit number; a site or an IPv6 /64 is its id in
 * `KeySpace.networks` plus {@link NAMED}. Numbers, so that a million assets' subnets cost no
 * string each.
 */
const NAMED = 1 << 24;

/** The network id of a site id in `KeySpace.networks` (-1: none). */
const siteNetwork = (site: number): number => (site < 0 ? -1 : NAMED + site);

/** The /24 of a canonical IPv4 address (as `parseIp` prints it) as a number, or -1 for anything else: {@link subnetOf}'s `a.b.c` as `a·65536 + b·256 + c`. */
export function ipv4Subnet(ip: string): number {
  let value = 0;
  let part = 0;
  let dots = 0;
  for (let at = 0; at < ip.length; at++) {
    const code = ip.charCodeAt(at);
    if (code === 0x2e) {
      value = value * 256 + part;
      part = 0;
      if (++dots === 3) return value;
    } else if (code >= 0x30 && code <= 0x39) part = part * 10 + code - 0x30;
    else return -1;
  }
  return -1;
}

/** The network id of the subnet of IP `ip` (see {@link NAMED}). */
function subnetNetwork(space: KeySpace, ip: number): number {
  const text = space.ips.keys[ip] ?? "";
  const v4 = ipv4Subnet(text);
  return v4 >= 0 ? v4 : NAMED + space.networks.intern(`n:${subnetOf(text)}`);
}

/** Collects the networks of every asset in a candidate pair. Call while the assets' key lists are still there. */
export function assetNetworks(
  pairs: readonly Candidate[],
  assetCount: number,
  assets: KeyLists,
  site: { at(asset: number): number },
  space: KeySpace,
): AssetNetworks {
  const wanted = new Uint8Array(assetCount);
  for (const pair of pairs) wanted[pair.asset] = 1;
  const start = new Int32Array(assetCount + 1);
  const ids = new IntList();
  for (let a = 0; a < assetCount; a++) {
    start[a] = ids.length;
    if (wanted[a] === 0) continue;
    const own = siteNetwork(site.at(a));
    if (own >= 0) ids.push(own);
    for (let at = assets.start(a, IP_KIND), end = assets.end(a, IP_KIND); at < end; at++) ids.push(subnetNetwork(space, assets.at(at)));
  }
  start[assetCount] = ids.length;
  return { start, ids, site };
}

/** Everything {@link addressGate} reads. */
export interface GateInput {
  readonly pairs: readonly Candidate[];
  /** The matches of the stronger levels: group → pair index or -1, asset → pair index or -1. */
  readonly pairOfGroup: Int32Array;
  readonly pairOfAsset: Int32Array;
  readonly where: Whereabouts;
  readonly networks: AssetNetworks;
  readonly space: KeySpace;
  /** Flags of both sides: refused pairs add `FLAG_OFF_SITE`. */
  readonly candidates: Candidates;
  /** Pair index → 1 once refused (written here). */
  readonly refused: Uint8Array;
}

/**
 * Learns, from the matches of the stronger levels, which egresses each network's devices
 * report from, and returns the test an IP-only pair must pass (see the module comment).
 */
export function addressGate(input: GateInput): (pair: number) => boolean {
  const { pairs, pairOfAsset, where, networks, space, candidates, refused } = input;
  // (network, 0) once a device matched there, (network, egress + 1) for the egress of each.
  const seen = new PairTable();
  for (let a = 0; a < pairOfAsset.length; a++) {
    const pair = pairs[pairOfAsset[a] ?? -1];
    if (pair === undefined) continue;
    const egress = where.egress[pair.group] ?? -1;
    for (let at = networks.start[a] ?? 0, end = networks.start[a + 1] ?? 0; at < end; at++) {
      const network = networks.ids.at(at);
      seen.intern(network, 0);
      if (egress >= 0) seen.intern(network, egress + 1);
    }
  }
  const there = (pair: Candidate, ip: number): boolean => {
    if (space.tunnelIp.at(ip) === 1) return true;
    if (where.offSite[pair.group] === 1) return false;
    const egress = where.egress[pair.group] ?? -1;
    if (egress < 0) return seen.find(subnetNetwork(space, ip), 0) !== -1;
    const site = siteNetwork(networks.site.at(pair.asset));
    return seen.find(site >= 0 ? site : subnetNetwork(space, ip), egress + 1) !== -1;
  };
  return (index) => {
    const pair = pairs[index];
    if (pair === undefined) return false;
    for (const ip of pair.ips ?? []) if (there(pair, ip)) return true;
    refused[index] = 1;
    candidates.groupFlags[pair.group] = (candidates.groupFlags[pair.group] ?? 0) | FLAG_OFF_SITE;
    candidates.assetFlags[pair.asset] = (candidates.assetFlags[pair.asset] ?? 0) | FLAG_OFF_SITE;
    return false;
  };
}
