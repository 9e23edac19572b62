/**
 * Candidate pairs (device group, asset) and the evidence level of each, found through hash
 * indexes of every key: a pair exists only where a key is carried by exactly one device group
 * and exactly one asset, so the cost is linear in the number of keys, never devices × assets.
 *
 * Levels, strongest first (lower wins):
 * 1. `mac`     — a MAC carried by this device and this asset only;
 * 2. `name+ip` — an FQDN and an IP that, together, only this device and this asset carry;
 * 3. `name+ip` — the same with a short name;
 * 4. `name`    — an FQDN only this device and this asset carry;
 * 5. `name`    — a short name only this device and this asset carry;
 * 6. `ip`      — an IP only this device and this asset carry, the names and OS families do not
 *                disagree, and the device reported recently (its IPs go stale: see `isFresh`).
 *
 * Keys that identify nothing never make a pair: a MAC/IP/name carried by several device
 * groups or several assets, vendor-fixed virtual-adapter values ({@link isKnownSharedMac},
 * {@link isKnownSharedIp}), and a short name used by FQDNs of two domains anywhere in the data.
 *
 * Contradiction: below level 1, a pair is dropped when both sides carry identifying MACs
 * (each carried by this device group / asset alone, not shared on the other side) and none
 * of the device's MACs is the asset's (DHCP reuse, a replaced machine that kept its name).
 */
import { intersects, type Evidence } from "./evidence.js";
import { osFamiliesDiffer } from "./os-family.js";
import { isKnownSharedIp, isKnownSharedMac } from "./known-shared.js";
import { CarrierIndex, MANY, NONE } from "./key-index.js";
import type { MatchRule } from "./types.js";

/** Evidence level of a pair, 1 (strongest) to 6. */
export type Level = 1 | 2 | 3 | 4 | 5 | 6;

/** Every level, strongest first. */
export const LEVELS: readonly Level[] = [1, 2, 3, 4, 5, 6];

/** The public rule of each level. */
export const RULE_OF_LEVEL: Readonly<Record<Level, MatchRule>> = { 1: "mac", 2: "name+ip", 3: "name+ip", 4: "name", 5: "name", 6: "ip" };

/** True for the levels decided by a name (with or without an IP). */
export const isNameLevel = (level: number): boolean => level >= 2 && level <= 5;

/** One possible match. */
export interface Candidate {
  readonly group: number;
  readonly asset: number;
  readonly level: Level;
  /** Canonical keys that make the pair at its level (`mac:…`, `name:…`, `ip:…`), sorted. */
  readonly keys: readonly string[];
}

/** Per-side flags: what a device group (or asset) met that explains an absent match. */
export const FLAG_COMMON = 1; // shares at least one key with the other side
export const FLAG_SHARED_ADDRESS = 2; // a common MAC or IP is shared or a known virtual-adapter value
export const FLAG_AMBIGUOUS_NAME = 4; // a common name is shared, or a short name spans domains
export const FLAG_CONTRADICTED = 8; // a pair was dropped by contradicting MACs, names or OS families
export const FLAG_STALE = 16; // an IP-only pair was dropped because the device's IPs may be stale

/** Pairs and flags. */
export interface Candidates {
  readonly pairs: readonly Candidate[];
  /** Group index → flags. */
  readonly groupFlags: Uint8Array;
  /** Asset index → flags. */
  readonly assetFlags: Uint8Array;
}

/** The evidence shared by one pair, kind by kind, as found in the indexes. */
interface Draft {
  readonly group: number;
  readonly asset: number;
  macs: string[];
  fqdnIps: string[];
  shortIps: string[];
  fqdns: string[];
  shorts: string[];
  ips: string[];
}

type DraftKind = "macs" | "fqdnIps" | "shortIps" | "fqdns" | "shorts" | "ips";

/** One index per kind of key. Composite keys are `name ip` (a space cannot occur in either). */
interface Indexes {
  readonly mac: CarrierIndex;
  readonly ip: CarrierIndex;
  readonly fqdn: CarrierIndex;
  readonly short: CarrierIndex;
  readonly fqdnIp: CarrierIndex;
  readonly shortIp: CarrierIndex;
}

const shortOf = (fqdn: string): string => fqdn.slice(0, fqdn.indexOf("."));

/** Feeds one side's evidence into the indexes. */
function index(indexes: Indexes, side: readonly Evidence[], add: (idx: CarrierIndex, key: string, who: number) => void): void {
  side.forEach((e, who) => {
    for (const mac of e.macs) add(indexes.mac, mac, who);
    const ips = e.ips.filter((ip) => !isKnownSharedIp(ip));
    for (const ip of e.ips) add(indexes.ip, ip, who);
    for (const fqdn of e.fqdns) {
      add(indexes.fqdn, fqdn, who);
      for (const ip of ips) add(indexes.fqdnIp, `${fqdn} ${ip}`, who);
    }
    for (const short of e.shorts) {
      add(indexes.short, short, who);
      for (const ip of ips) add(indexes.shortIp, `${short} ${ip}`, who);
    }
  });
}

/** Short names carried by FQDNs of more than one domain, on either side. */
function shortsAcrossDomains(groups: readonly Evidence[], assets: readonly Evidence[]): Set<string> {
  const domainOf = new Map<string, string>();
  const ambiguous = new Set<string>();
  for (const side of [groups, assets]) {
    for (const e of side) {
      for (const fqdn of e.fqdns) {
        const short = shortOf(fqdn);
        const seen = domainOf.get(short);
        if (seen === undefined) domainOf.set(short, fqdn);
        else if (seen !== fqdn) ambiguous.add(short);
      }
    }
  }
  return ambiguous;
}

/** Keys of composite `name ip` entries: `name:…` and `ip:…`, sorted, without repeats. */
function compositeKeys(entries: readonly string[]): string[] {
  const keys = new Set<string>();
  for (const entry of entries) {
    const space = entry.indexOf(" ");
    keys.add(`name:${entry.slice(0, space)}`);
    keys.add(`ip:${entry.slice(space + 1)}`);
  }
  return [...keys].sort();
}

/** True when the names of both sides disagree: both have names, no FQDN in common, and no short name in common that one side knows only as a short name. */
function namesDisagree(g: Evidence, a: Evidence): boolean {
  if (g.shorts.length === 0 || a.shorts.length === 0) return false;
  if (intersects(g.fqdns, a.fqdns)) return false;
  for (const short of g.shorts) {
    if (!a.shorts.includes(short)) continue;
    const gHasFqdn = g.fqdns.some((f) => shortOf(f) === short);
    const aHasFqdn = a.fqdns.some((f) => shortOf(f) === short);
    if (!(gHasFqdn && aHasFqdn)) return false; // one side knows only the short name: no disagreement
  }
  return true;
}

/** Finds every candidate pair and the flags that explain missing ones (see the module comment). */
export function findCandidates(groups: readonly Evidence[], assets: readonly Evidence[], isFresh: (group: number) => boolean = () => true): Candidates {
  const indexes: Indexes = {
    mac: new CarrierIndex(),
    ip: new CarrierIndex(),
    fqdn: new CarrierIndex(),
    short: new CarrierIndex(),
    fqdnIp: new CarrierIndex(),
    shortIp: new CarrierIndex(),
  };
  index(indexes, groups, (idx, key, who) => idx.addDevice(key, who));
  index(indexes, assets, (idx, key, who) => idx.addAsset(key, who));
  const multiDomain = shortsAcrossDomains(groups, assets);

  // Drafts: the unique-on-both-sides keys each pair shares.
  const drafts = new Map<number, Draft>();
  const add = (kind: DraftKind, key: string, group: number, asset: number): void => {
    const id = group * assets.length + asset;
    let draft = drafts.get(id);
    if (draft === undefined) {
      draft = { group, asset, macs: [], fqdnIps: [], shortIps: [], fqdns: [], shorts: [], ips: [] };
      drafts.set(id, draft);
    }
    draft[kind].push(key);
  };
  indexes.mac.forEachUniqueOnBothSides((mac, g, a) => isKnownSharedMac(mac) || add("macs", mac, g, a));
  indexes.ip.forEachUniqueOnBothSides((ip, g, a) => isKnownSharedIp(ip) || add("ips", ip, g, a));
  indexes.fqdn.forEachUniqueOnBothSides((fqdn, g, a) => add("fqdns", fqdn, g, a));
  indexes.short.forEachUniqueOnBothSides((short, g, a) => multiDomain.has(short) || add("shorts", short, g, a));
  indexes.fqdnIp.forEachUniqueOnBothSides((key, g, a) => add("fqdnIps", key, g, a));
  indexes.shortIp.forEachUniqueOnBothSides((key, g, a) => multiDomain.has(key.slice(0, key.indexOf(" "))) || add("shortIps", key, g, a));

  // Flags: which common keys were unusable, on each side.
  const groupFlags = new Uint8Array(groups.length);
  const assetFlags = new Uint8Array(assets.length);
  const flag = (side: "device" | "asset", e: Evidence): number => {
    let flags = 0;
    /** Flags for one key: `unusable` when a shared carrier or a known value makes it identify nothing. */
    const check = (idx: CarrierIndex, key: string, unusableFlag: number, known: boolean): void => {
      const slot = idx.lookup(key);
      const device = idx.deviceAt(slot);
      const asset = idx.assetAt(slot);
      if ((side === "device" ? asset : device) === NONE) return;
      flags |= FLAG_COMMON;
      if (known || device === MANY || asset === MANY) flags |= unusableFlag;
    };
    for (const mac of e.macs) check(indexes.mac, mac, FLAG_SHARED_ADDRESS, isKnownSharedMac(mac));
    for (const ip of e.ips) check(indexes.ip, ip, FLAG_SHARED_ADDRESS, isKnownSharedIp(ip));
    for (const fqdn of e.fqdns) check(indexes.fqdn, fqdn, FLAG_AMBIGUOUS_NAME, false);
    for (const short of e.shorts) check(indexes.short, short, FLAG_AMBIGUOUS_NAME, multiDomain.has(short));
    return flags;
  };
  groups.forEach((e, g) => (groupFlags[g] = flag("device", e)));
  assets.forEach((e, a) => (assetFlags[a] = flag("asset", e)));

  // Identifying MACs, for contradictions.
  const identifies = (macs: readonly string[], side: "device" | "asset", who: number): boolean =>
    macs.some((mac) => {
      const slot = indexes.mac.lookup(mac);
      const [mine, theirs] = side === "device" ? [indexes.mac.deviceAt(slot), indexes.mac.assetAt(slot)] : [indexes.mac.assetAt(slot), indexes.mac.deviceAt(slot)];
      return mine === who && theirs !== MANY && !isKnownSharedMac(mac);
    });

  const contradicted = (d: Draft): void => {
    groupFlags[d.group] = (groupFlags[d.group] ?? 0) | FLAG_CONTRADICTED;
    assetFlags[d.asset] = (assetFlags[d.asset] ?? 0) | FLAG_CONTRADICTED;
  };
  const pairs: Candidate[] = [];
  for (const d of drafts.values()) {
    const g = groups[d.group];
    const a = assets[d.asset];
    if (g === undefined || a === undefined) continue;
    if (d.macs.length > 0) {
      pairs.push({ group: d.group, asset: d.asset, level: 1, keys: d.macs.map((m) => `mac:${m}`).sort() });
      continue;
    }
    if (!intersects(g.macs, a.macs) && identifies(g.macs, "device", d.group) && identifies(a.macs, "asset", d.asset)) {
      contradicted(d);
      continue;
    }
    if (d.fqdnIps.length > 0) pairs.push({ group: d.group, asset: d.asset, level: 2, keys: compositeKeys(d.fqdnIps) });
    else if (d.shortIps.length > 0) pairs.push({ group: d.group, asset: d.asset, level: 3, keys: compositeKeys(d.shortIps) });
    else if (d.fqdns.length > 0) pairs.push({ group: d.group, asset: d.asset, level: 4, keys: d.fqdns.map((n) => `name:${n}`).sort() });
    else if (d.shorts.length > 0) pairs.push({ group: d.group, asset: d.asset, level: 5, keys: d.shorts.map((n) => `name:${n}`).sort() });
    else if (d.ips.length > 0) {
      if (namesDisagree(g, a) || osFamiliesDiffer(g.os, a.os)) contradicted(d);
      else if (!isFresh(d.group)) {
        groupFlags[d.group] = (groupFlags[d.group] ?? 0) | FLAG_STALE;
        assetFlags[d.asset] = (assetFlags[d.asset] ?? 0) | FLAG_STALE;
      } else pairs.push({ group: d.group, asset: d.asset, level: 6, keys: d.ips.map((ip) => `ip:${ip}`).sort() });
    }
  }
  return { pairs, groupFlags, assetFlags };
}
