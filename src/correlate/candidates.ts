/**
 * Candidate pairs (device group, asset) and the evidence level of each, found through hash
 * indexes of every key: a pair exists only where a key is carried by exactly one device group
 * and exactly one asset, so the cost is linear in the number of keys, never devices × assets.
 *
 * Levels, strongest first (lower wins):
 * 1. `mac`        — a MAC carried by this device and this asset only;
 * 2. `name+ip`    — an FQDN and an IP that, together, only this device and this asset carry;
 * 3. `name+ip`    — the same with a short name, whatever domain each side puts it in (split
 *                   DNS: `srv-b-0001.contoso.local` by reverse DNS, `srv-b-0001.corp.contoso.com`
 *                   in the source): the same short name on the same address;
 * 4. `netbios+ip` — the same with a NetBIOS name (the first 15 characters of a short name,
 *                   upper-cased: see `netbiosKey`);
 * 5. `name`       — an FQDN only this device and this asset carry;
 * 6. `name`       — a short name only this device and this asset carry, used in one domain only;
 * 7. `ip`         — an IP only this device and this asset carry, the names and OS families do
 *                   not disagree, and the device reported recently (its IPs go stale: a
 *                   client's leased ones sooner than a server edition's assigned ones; see
 *                   `isFresh`). Whether the device was on the asset's network at all is
 *                   decided after the stronger levels are assigned (`site-evidence.ts`).
 *
 * Keys that identify nothing never make a pair: a MAC/IP/name carried by several device
 * groups or several assets (a NetBIOS name that two short names share: `ACCOUNTING-WS-0` for
 * `accounting-ws-0042` and `accounting-ws-0043`), vendor-fixed virtual-adapter values
 * ({@link isKnownSharedMac}, {@link isKnownSharedIp}), a short name alone (without an IP) used
 * by FQDNs of two domains anywhere in the data, and a NetBIOS name alone: the hosts a name of 15
 * characters may have been cut from are not all in the data (records left out as Inactive,
 * hosts the source never saw), so only an IP with it pins the host.
 *
 * Contradiction: below level 1, a pair is dropped when both sides carry identifying MACs
 * (each carried by this device group / asset alone, not shared on the other side) and none
 * of the device's MACs is the asset's (DHCP reuse, a replaced machine that kept its name). For
 * an IP alone, also when the names disagree: both sides have names and no short name or
 * NetBIOS name in common (a different DNS suffix alone is no disagreement; a NetBIOS name is
 * the first 15 characters of the short name, never a contradiction of the full one).
 */
import { runSteps, type Steps } from "./steps.js";
import { IntList } from "../util/growable.js";
import type { Indexes } from "./indexes.js";
import { MANY, NONE, type CarrierIndex } from "./key-index.js";
import { FQDN as FQDN_KIND, IP as IP_KIND, MAC as MAC_KIND, SHORT as SHORT_KIND, type KeyLists } from "./key-lists.js";
import { PairTable } from "./pair-table.js";
import { isNetbiosKey, NETBIOS_MARK } from "./evidence.js";
import type { MatchRule } from "./types.js";

/** Evidence level of a pair, 1 (strongest) to 7. */
export type Level = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** Every level, strongest first. */
export const LEVELS: readonly Level[] = [1, 2, 3, 4, 5, 6, 7];

/** The level of a pair tied by an IP alone. */
export const IP_LEVEL: Level = 7;

/** The public rule of each level. */
export const RULE_OF_LEVEL: Readonly<Record<Level, MatchRule>> = {
  1: "mac",
  2: "name+ip",
  3: "name+ip",
  4: "netbios+ip",
  5: "name",
  6: "name",
  7: "ip",
};

/** True for the levels decided by a name (with or without an IP). */
export const isNameLevel = (level: number): boolean => level >= 2 && level <= 6;

/** One possible match. */
export interface Candidate {
  readonly group: number;
  readonly asset: number;
  readonly level: Level;
  /** Canonical keys that make the pair at its level (`mac:…`, `name:…`, `netbios:…`, `ip:…`), sorted. */
  readonly keys: readonly string[];
  /** At the IP level: the ids of the IPs that make the pair. */
  readonly ips?: readonly number[];
}

/** Per-side flags: what a device group (or asset) met that explains an absent match. */
export const FLAG_COMMON = 1; // shares at least one key with the other side
export const FLAG_SHARED_ADDRESS = 2; // a common MAC or IP is shared or a known virtual-adapter value
export const FLAG_AMBIGUOUS_NAME = 4; // a common name is shared, or a short name spans domains
export const FLAG_CONTRADICTED = 8; // a pair was dropped by contradicting MACs, names or OS families
export const FLAG_STALE = 16; // an IP-only pair was dropped because the device's IPs may be stale
export const FLAG_OFF_SITE = 32; // an IP-only pair was dropped: nothing shows the device was on the asset's network

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
const NETBIOS_IP = 64;

/**
 * The unique-on-both-sides keys each pair (draft) shares, found in the indexes: draft ids in
 * first-seen order, a bit per kind present, and every hit (kind, key id) in one linked list
 * per draft, in flat arrays (nothing allocated per hit).
 */
class Drafts {
  readonly pairs = new PairTable();
  /** Draft → a bit per kind of key it shares. */
  readonly kinds = new IntList();
  /** Draft → its last hit, or -1. */
  readonly head = new IntList();
  readonly hitKind = new IntList();
  readonly hitKey = new IntList();
  /** Hit → the draft's previous hit, or -1. */
  readonly hitNext = new IntList();

  /** Number of drafts; ids are `0 … size-1`. */
  get size(): number {
    return this.kinds.length;
  }

  /** Records that `group` and `asset` share key `key` of kind `kind`. */
  add(kind: number, key: number, group: number, asset: number): void {
    const draft = this.pairs.intern(group, asset);
    if (draft === this.kinds.length) {
      this.kinds.push(0);
      this.head.push(-1);
    }
    this.kinds.set(draft, this.kinds.at(draft) | kind);
    this.hitKind.push(kind);
    this.hitKey.push(key);
    this.hitNext.push(this.head.at(draft));
    this.head.set(draft, this.hitKind.length - 1);
  }

  /** The key ids of kind `kind` that draft `draft` shares. */
  keys(draft: number, kind: number): number[] {
    const keys: number[] = [];
    for (let hit = this.head.at(draft); hit >= 0; hit = this.hitNext.at(hit)) if (this.hitKind.at(hit) === kind) keys.push(this.hitKey.at(hit));
    return keys;
  }
}

/** A name key as a match prints it: `name:…`, or `netbios:…` for a NetBIOS key. */
const nameKey = (key: string): string => (isNetbiosKey(key) ? `netbios:${key.slice(NETBIOS_MARK.length)}` : `name:${key}`);

/** Keys of composite `name + IP` pairs: `name:…` (or `netbios:…`) and `ip:…`, sorted, without repeats. */
function compositeKeys(ids: readonly number[], table: PairTable, names: readonly string[], ips: readonly string[]): string[] {
  const keys = new Set<string>();
  for (const id of ids) {
    keys.add(nameKey(names[table.first(id)] ?? ""));
    keys.add(`ip:${ips[table.second(id)] ?? ""}`);
  }
  return [...keys].sort();
}

/** `prefix` + each key, sorted. */
const prefixed = (prefix: string, ids: readonly number[], keys: readonly string[]): string[] => ids.map((id) => `${prefix}${keys[id] ?? ""}`).sort();

/** Each name key as a match prints it, sorted. */
const nameKeys = (ids: readonly number[], keys: readonly string[]): string[] => ids.map((id) => nameKey(keys[id] ?? "")).sort();

/** Candidate pairs worked out between two yields of {@link findCandidatesInSteps}. */
const PAIRS_PER_STEP = 200_000;

/**
 * True when the names of both sides disagree: both have short names (NetBIOS names count) and
 * none in common. The DNS suffix is not compared: split DNS gives one host two FQDNs.
 */
function namesDisagree(ix: Indexes, group: number, asset: number): boolean {
  const { groups: g, assets: a } = ix;
  if (g.start(group, SHORT_KIND) === g.end(group, SHORT_KIND) || a.start(asset, SHORT_KIND) === a.end(asset, SHORT_KIND)) return false;
  return !g.intersects(group, a, asset, SHORT_KIND);
}

/** True when both OS family codes are known (non-zero) and differ. */
const osCodesDiffer = (a: number, b: number): boolean => a !== 0 && b !== 0 && a !== b;

/**
 * Flags for member `who`'s keys of one kind: common when the other side carries one, and
 * `unusable` as well when a shared carrier or a known value (`known[kind]`) makes it identify nothing.
 */
function usableFlags(
  lists: KeyLists,
  who: number,
  isDevice: boolean,
  idx: CarrierIndex,
  kind: number,
  unusable: number,
  known: readonly ((id: number) => boolean)[],
): number {
  let flags = 0;
  for (let i = lists.start(who, kind), end = lists.end(who, kind); i < end; i++) {
    const id = lists.at(i);
    const device = idx.deviceAt(id);
    const asset = idx.assetAt(id);
    if ((isDevice ? asset : device) === NONE) continue;
    flags |= FLAG_COMMON;
    if (device === MANY || asset === MANY || known[kind]?.(id) === true) flags |= unusable;
  }
  return flags;
}

/** Finds every candidate pair and the flags that explain missing ones (see the module comment). */
export function findCandidates(ix: Indexes, isFresh: (group: number) => boolean = () => true): Candidates {
  return runSteps(findCandidatesInSteps(ix, isFresh));
}

/** {@link findCandidates}, yielding between its passes (each key kind's index, the flags, the pairs). */
export function* findCandidatesInSteps(ix: Indexes, isFresh: (group: number) => boolean = () => true): Steps<Candidates> {
  const { space, multiDomain } = ix;
  const knownMac = (id: number): boolean => space.knownMac.at(id) === 1;
  const knownIp = (id: number): boolean => space.knownIp.at(id) === 1;
  const [mac, ip, fqdn, short, fqdnIp, shortIp] = ix.carriers as [CarrierIndex, CarrierIndex, CarrierIndex, CarrierIndex, CarrierIndex, CarrierIndex];

  const drafts = new Drafts();
  mac.forEachUniqueOnBothSides((id, g, a) => knownMac(id) || drafts.add(MAC, id, g, a));
  yield;
  ip.forEachUniqueOnBothSides((id, g, a) => knownIp(id) || drafts.add(IP, id, g, a));
  yield;
  const shortKeys = space.shorts.keys;
  const netbios = (id: number): boolean => isNetbiosKey(shortKeys[id] ?? "");
  fqdn.forEachUniqueOnBothSides((id, g, a) => drafts.add(FQDN, id, g, a));
  short.forEachUniqueOnBothSides((id, g, a) => netbios(id) || multiDomain[id] === 1 || drafts.add(SHORT, id, g, a));
  yield;
  fqdnIp.forEachUniqueOnBothSides((id, g, a) => drafts.add(FQDN_IP, id, g, a));
  shortIp.forEachUniqueOnBothSides((id, g, a) => drafts.add(netbios(space.shortIps.first(id)) ? NETBIOS_IP : SHORT_IP, id, g, a));
  yield;

  // Flags: which common keys were unusable, on each side.
  const groupFlags = new Uint8Array(ix.groupCount);
  const assetFlags = new Uint8Array(ix.assetCount);
  const known: readonly ((id: number) => boolean)[] = [knownMac, knownIp, () => false, (id) => multiDomain[id] === 1 || netbios(id)];
  const flag = (isDevice: boolean, who: number): number =>
    usableFlags(isDevice ? ix.groups : ix.assets, who, isDevice, mac, MAC_KIND, FLAG_SHARED_ADDRESS, known) |
    usableFlags(isDevice ? ix.groups : ix.assets, who, isDevice, ip, IP_KIND, FLAG_SHARED_ADDRESS, known) |
    usableFlags(isDevice ? ix.groups : ix.assets, who, isDevice, fqdn, FQDN_KIND, FLAG_AMBIGUOUS_NAME, known) |
    usableFlags(isDevice ? ix.groups : ix.assets, who, isDevice, short, SHORT_KIND, FLAG_AMBIGUOUS_NAME, known);
  for (let g = 0; g < ix.groupCount; g++) groupFlags[g] = flag(true, g);
  yield;
  for (let a = 0; a < ix.assetCount; a++) assetFlags[a] = flag(false, a);
  yield;

  // Identifying MACs, for contradictions: carried by this member alone, not shared on the other side, not a known value.
  const identifies = (isDevice: boolean, who: number): boolean => {
    const list = isDevice ? ix.groups : ix.assets;
    for (let i = list.start(who, MAC_KIND), end = list.end(who, MAC_KIND); i < end; i++) {
      const id = list.at(i);
      const [mine, theirs] = isDevice ? [mac.deviceAt(id), mac.assetAt(id)] : [mac.assetAt(id), mac.deviceAt(id)];
      if (mine === who && theirs !== MANY && !knownMac(id)) return true;
    }
    return false;
  };

  const mark = (group: number, asset: number, flagBit: number): void => {
    groupFlags[group] = (groupFlags[group] ?? 0) | flagBit;
    assetFlags[asset] = (assetFlags[asset] ?? 0) | flagBit;
  };
  const pairs: Candidate[] = [];
  for (let d = 0; d < drafts.size; d++) {
    if (d > 0 && d % PAIRS_PER_STEP === 0) yield;
    const group = drafts.pairs.first(d);
    const asset = drafts.pairs.second(d);
    const kinds = drafts.kinds.at(d);
    if ((kinds & MAC) !== 0) {
      pairs.push({ group, asset, level: 1, keys: prefixed("mac:", drafts.keys(d, MAC), space.macs.keys) });
      continue;
    }
    if (!ix.groups.intersects(group, ix.assets, asset, MAC_KIND) && identifies(true, group) && identifies(false, asset)) {
      mark(group, asset, FLAG_CONTRADICTED);
      continue;
    }
    if ((kinds & FQDN_IP) !== 0)
      pairs.push({ group, asset, level: 2, keys: compositeKeys(drafts.keys(d, FQDN_IP), space.fqdnIps, space.fqdns.keys, space.ips.keys) });
    else if ((kinds & SHORT_IP) !== 0)
      pairs.push({ group, asset, level: 3, keys: compositeKeys(drafts.keys(d, SHORT_IP), space.shortIps, shortKeys, space.ips.keys) });
    else if ((kinds & NETBIOS_IP) !== 0)
      pairs.push({ group, asset, level: 4, keys: compositeKeys(drafts.keys(d, NETBIOS_IP), space.shortIps, shortKeys, space.ips.keys) });
    else if ((kinds & FQDN) !== 0) pairs.push({ group, asset, level: 5, keys: prefixed("name:", drafts.keys(d, FQDN), space.fqdns.keys) });
    else if ((kinds & SHORT) !== 0) pairs.push({ group, asset, level: 6, keys: nameKeys(drafts.keys(d, SHORT), shortKeys) });
    else if ((kinds & IP) !== 0) {
      if (namesDisagree(ix, group, asset) || osCodesDiffer(ix.groupOs[group] ?? 0, ix.assetOs.at(asset))) mark(group, asset, FLAG_CONTRADICTED);
      else if (!isFresh(group)) mark(group, asset, FLAG_STALE);
      else {
        const ips = drafts.keys(d, IP);
        pairs.push({ group, asset, level: IP_LEVEL, keys: prefixed("ip:", ips, space.ips.keys), ips });
      }
    }
  }
  return { pairs, groupFlags, assetFlags };
}
