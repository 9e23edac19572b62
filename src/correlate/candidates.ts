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
import { buildIndexes, type IdLists, type Indexes } from "./indexes.js";
import { CarrierIndex, MANY, NONE } from "./key-index.js";
import { osFamiliesDiffer } from "./os-family.js";
import { PairTable } from "./pair-table.js";
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

/** Kinds of shared evidence a pair can have, one bit each. */
const MAC = 1;
const FQDN_IP = 2;
const SHORT_IP = 4;
const FQDN = 8;
const SHORT = 16;
const IP = 32;

/**
 * The unique-on-both-sides keys each pair (draft) shares, found in the indexes: draft ids in
 * first-seen order, a bit per kind present, and every hit (kind, key id) in one linked list
 * per draft, in flat arrays (nothing allocated per hit).
 */
class Drafts {
  readonly pairs = new PairTable();
  readonly kinds: number[] = [];
  readonly head: number[] = [];
  readonly hitKind: number[] = [];
  readonly hitKey: number[] = [];
  readonly hitNext: number[] = [];

  /** Records that `group` and `asset` share key `key` of kind `kind`. */
  add(kind: number, key: number, group: number, asset: number): void {
    const draft = this.pairs.intern(group, asset);
    if (draft === this.kinds.length) {
      this.kinds.push(0);
      this.head.push(-1);
    }
    this.kinds[draft] = (this.kinds[draft] ?? 0) | kind;
    this.hitKind.push(kind);
    this.hitKey.push(key);
    this.hitNext.push(this.head[draft] ?? -1);
    this.head[draft] = this.hitKind.length - 1;
  }

  /** The key ids of kind `kind` that draft `draft` shares. */
  keys(draft: number, kind: number): number[] {
    const keys: number[] = [];
    for (let hit = this.head[draft] ?? -1; hit >= 0; hit = this.hitNext[hit] ?? -1) if (this.hitKind[hit] === kind) keys.push(this.hitKey[hit] ?? 0);
    return keys;
  }
}

/** Keys of composite `name + IP` pairs: `name:…` and `ip:…`, sorted, without repeats. */
function compositeKeys(ids: readonly number[], table: PairTable, names: readonly string[], ips: readonly string[]): string[] {
  const keys = new Set<string>();
  for (const id of ids) {
    keys.add(`name:${names[table.first(id)] ?? ""}`);
    keys.add(`ip:${ips[table.second(id)] ?? ""}`);
  }
  return [...keys].sort();
}

const shortOf = (fqdn: string): string => fqdn.slice(0, fqdn.indexOf("."));

/** `prefix` + each key, sorted. */
const prefixed = (prefix: string, ids: readonly number[], keys: readonly string[]): string[] => ids.map((id) => `${prefix}${keys[id] ?? ""}`).sort();

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
  const ix: Indexes = buildIndexes(groups, assets);
  const { knownMac, knownIp, multiDomain } = ix;

  const drafts = new Drafts();
  ix.mac.forEachUniqueOnBothSides((id, g, a) => knownMac[id] === true || drafts.add(MAC, id, g, a));
  ix.ip.forEachUniqueOnBothSides((id, g, a) => knownIp[id] === true || drafts.add(IP, id, g, a));
  ix.fqdn.forEachUniqueOnBothSides((id, g, a) => drafts.add(FQDN, id, g, a));
  ix.short.forEachUniqueOnBothSides((id, g, a) => multiDomain[id] === 1 || drafts.add(SHORT, id, g, a));
  ix.fqdnIp.forEachUniqueOnBothSides((id, g, a) => drafts.add(FQDN_IP, id, g, a));
  ix.shortIp.forEachUniqueOnBothSides((id, g, a) => multiDomain[ix.shortIpKeys.first(id)] === 1 || drafts.add(SHORT_IP, id, g, a));

  // Flags: which common keys were unusable, on each side.
  const groupFlags = new Uint8Array(groups.length);
  const assetFlags = new Uint8Array(assets.length);
  const flag = (isDevice: boolean, who: number): number => {
    const lists = isDevice ? ix.devices : ix.assets;
    let flags = 0;
    /** Flags for the keys of one kind: `unusable` when a shared carrier or a known value makes a key identify nothing. */
    const check = (idx: CarrierIndex, list: IdLists, unusableFlag: number, known: (id: number) => boolean): void => {
      for (let i = list.start[who] ?? 0, end = list.start[who + 1] ?? 0; i < end; i++) {
        const id = list.ids[i] ?? 0;
        const device = idx.deviceAt(id);
        const asset = idx.assetAt(id);
        if ((isDevice ? asset : device) === NONE) continue;
        flags |= FLAG_COMMON;
        if (known(id) || device === MANY || asset === MANY) flags |= unusableFlag;
      }
    };
    check(ix.mac, lists.macs, FLAG_SHARED_ADDRESS, (id) => knownMac[id] === true);
    check(ix.ip, lists.ips, FLAG_SHARED_ADDRESS, (id) => knownIp[id] === true);
    check(ix.fqdn, lists.fqdns, FLAG_AMBIGUOUS_NAME, () => false);
    check(ix.short, lists.shorts, FLAG_AMBIGUOUS_NAME, (id) => multiDomain[id] === 1);
    return flags;
  };
  for (let g = 0; g < groups.length; g++) groupFlags[g] = flag(true, g);
  for (let a = 0; a < assets.length; a++) assetFlags[a] = flag(false, a);

  // Identifying MACs, for contradictions: carried by this member alone, not shared on the other side, not a known value.
  const identifies = (isDevice: boolean, who: number): boolean => {
    const list = isDevice ? ix.devices.macs : ix.assets.macs;
    for (let i = list.start[who] ?? 0, end = list.start[who + 1] ?? 0; i < end; i++) {
      const id = list.ids[i] ?? 0;
      const [mine, theirs] = isDevice ? [ix.mac.deviceAt(id), ix.mac.assetAt(id)] : [ix.mac.assetAt(id), ix.mac.deviceAt(id)];
      if (mine === who && theirs !== MANY && knownMac[id] !== true) return true;
    }
    return false;
  };

  const mark = (group: number, asset: number, flagBit: number): void => {
    groupFlags[group] = (groupFlags[group] ?? 0) | flagBit;
    assetFlags[asset] = (assetFlags[asset] ?? 0) | flagBit;
  };
  const pairs: Candidate[] = [];
  for (let d = 0; d < drafts.kinds.length; d++) {
    const group = drafts.pairs.first(d);
    const asset = drafts.pairs.second(d);
    const kinds = drafts.kinds[d] ?? 0;
    const g = groups[group];
    const a = assets[asset];
    if (g === undefined || a === undefined) continue;
    if ((kinds & MAC) !== 0) {
      pairs.push({ group, asset, level: 1, keys: prefixed("mac:", drafts.keys(d, MAC), ix.macKeys.keys) });
      continue;
    }
    if (!intersects(g.macs, a.macs) && identifies(true, group) && identifies(false, asset)) {
      mark(group, asset, FLAG_CONTRADICTED);
      continue;
    }
    if ((kinds & FQDN_IP) !== 0)
      pairs.push({ group, asset, level: 2, keys: compositeKeys(drafts.keys(d, FQDN_IP), ix.fqdnIpKeys, ix.fqdnKeys.keys, ix.ipKeys.keys) });
    else if ((kinds & SHORT_IP) !== 0)
      pairs.push({ group, asset, level: 3, keys: compositeKeys(drafts.keys(d, SHORT_IP), ix.shortIpKeys, ix.shortKeys.keys, ix.ipKeys.keys) });
    else if ((kinds & FQDN) !== 0) pairs.push({ group, asset, level: 4, keys: prefixed("name:", drafts.keys(d, FQDN), ix.fqdnKeys.keys) });
    else if ((kinds & SHORT) !== 0) pairs.push({ group, asset, level: 5, keys: prefixed("name:", drafts.keys(d, SHORT), ix.shortKeys.keys) });
    else if ((kinds & IP) !== 0) {
      if (namesDisagree(g, a) || osFamiliesDiffer(g.os, a.os)) mark(group, asset, FLAG_CONTRADICTED);
      else if (!isFresh(group)) mark(group, asset, FLAG_STALE);
      else pairs.push({ group, asset, level: 6, keys: prefixed("ip:", drafts.keys(d, IP), ix.ipKeys.keys) });
    }
  }
  return { pairs, groupFlags, assetFlags };
}
