/**
 * Groups device records that are one physical device (re-imaged, renamed, merged by the
 * source), so that their shared MAC or name does not count as "shared by several devices".
 *
 * Records are grouped when:
 * 1. the source links them: `mergedIntoId` points at the other record, or both point at the
 *    same record (present or not);
 * 2. they carry the same name identity and a common MAC: the same FQDN, or (for records
 *    without an FQDN) the same short name; vendor-fixed virtual-adapter MACs do not count;
 * 3. they carry the same FQDN and their hardware does not disagree: after steps 1–2, the
 *    records of that FQDN that carry MACs all sit in one group (the others carry none), or one
 *    of them is flagged `potentialDuplicate` (the source itself suspects a duplicate).
 *
 * Not grouped: records sharing only a short name (`ubuntu`, `kali` are everywhere), and
 * same-FQDN records with disjoint MACs and no flag or link (two machines, or a replaced one
 * that the source does not link: the name then counts as ambiguous).
 *
 * Grouping is conservative on purpose: a wrong group lets an unprotected device borrow the
 * coverage of a protected one. Step 3 is decided on the groups left by steps 1–2 and applied
 * afterwards, so the result does not depend on input order.
 */
import { runSteps, type Steps } from "./steps.js";
import { IntList } from "../util/growable.js";
import { FQDN, MAC, SHORT } from "./key-lists.js";
import { PairTable } from "./pair-table.js";
import type { DeviceTable } from "./records.js";
import { UnionFind } from "./union-find.js";

/** Records partitioned into physical devices. */
export interface DeviceGroups {
  /** Record index → group index. */
  readonly groupOf: Int32Array;
  /** Number of groups. */
  readonly count: number;
  /** Group `g`'s record indexes, in record order, are `members[start[g]] … members[start[g+1]-1]`. */
  readonly start: Int32Array;
  readonly members: Int32Array;
}

/** Joins `i` with the first record seen under key `key` (`firstOf` grows as keys appear; -1 for none yet). */
function joinOnKey(sets: UnionFind, firstOf: IntList, key: number, i: number): void {
  while (firstOf.length <= key) firstOf.push(-1);
  const first = firstOf.at(key);
  if (first === -1) firstOf.set(key, i);
  else sets.union(first, i);
}

/**
 * Partitions records into physical devices (see the module comment). Linear in the number of
 * keys; works on key ids (`knownMac`: MAC id → 1 for a vendor-fixed virtual-adapter MAC), hashing
 * strings only for the few records that carry a `mergedIntoId`. Call before `records.seal()`.
 */
export function groupDuplicates(records: DeviceTable, knownMac: { at(id: number): number }): DeviceGroups {
  return runSteps(groupDuplicatesInSteps(records, knownMac));
}

/** {@link groupDuplicates}, yielding between its passes (hardware, source links, name and MAC, same FQDN). */
export function* groupDuplicatesInSteps(records: DeviceTable, knownMac: { at(id: number): number }): Steps<DeviceGroups> {
  const count = records.size;
  const lists = records.lists;
  const sets = new UnionFind(count);
  const hasHardware = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    for (let at = lists.start(i, MAC), end = lists.end(i, MAC); at < end; at++) if (knownMac.at(lists.at(at)) === 0) hasHardware[i] = 1;
  }

  // 1. Links from the source.
  const mergeTargets = new Map<string, number>();
  for (const [i, target] of records.mergedInto) {
    const targetRecord = records.recordOf(target);
    if (targetRecord !== undefined) sets.union(i, targetRecord);
    const first = mergeTargets.get(target);
    if (first === undefined) mergeTargets.set(target, i);
    else sets.union(first, i);
  }

  yield;

  // 2. Same name identity and a common MAC: pairs (name, MAC), FQDN ids even and short-name ids odd.
  const nameAndMac = new PairTable();
  const firstOfPair = new IntList();
  for (let i = 0; i < count; i++) {
    if (hasHardware[i] === 0) continue;
    const byFqdn = lists.start(i, FQDN) < lists.end(i, FQDN);
    const kind = byFqdn ? FQDN : SHORT;
    for (let m = lists.start(i, MAC), macEnd = lists.end(i, MAC); m < macEnd; m++) {
      const mac = lists.at(m);
      if (knownMac.at(mac) === 1) continue;
      for (let n = lists.start(i, kind), nameEnd = lists.end(i, kind); n < nameEnd; n++) {
        joinOnKey(sets, firstOfPair, nameAndMac.intern(lists.at(n) * 2 + (byFqdn ? 0 : 1), mac), i);
      }
    }
  }

  yield;

  // 3. Same FQDN, hardware not disagreeing — decided on the groups of steps 1–2.
  const byFqdn = bucketsByFqdn(records);
  const toJoin: number[] = [];
  for (let f = 0; f + 1 < byFqdn.start.length; f++) {
    const from = byFqdn.start[f] ?? 0;
    const to = byFqdn.start[f + 1] ?? 0;
    if (to - from < 2) continue;
    let hardware = -1;
    let disagree = false;
    let flagged = false;
    for (let at = from; at < to; at++) {
      const i = byFqdn.members[at] ?? 0;
      if (hasHardware[i] === 1) {
        const root = sets.find(i);
        if (hardware === -1) hardware = root;
        else if (hardware !== root) disagree = true;
      }
      if (records.potentialDuplicate.at(i) === 1) flagged = true;
    }
    if (!disagree || flagged) toJoin.push(f);
  }
  for (const f of toJoin) {
    const from = byFqdn.start[f] ?? 0;
    const to = byFqdn.start[f + 1] ?? 0;
    for (let at = from + 1; at < to; at++) sets.union(byFqdn.members[from] ?? 0, byFqdn.members[at] ?? 0);
  }
  yield;

  return numberGroups(sets, count);
}

/** Records by FQDN id (counting sort: every FQDN's records, in record order). */
function bucketsByFqdn(records: DeviceTable): { start: Int32Array; members: Int32Array } {
  const lists = records.lists;
  let fqdns = 0;
  for (let i = 0; i < records.size; i++)
    for (let at = lists.start(i, FQDN), end = lists.end(i, FQDN); at < end; at++) fqdns = Math.max(fqdns, lists.at(at) + 1);
  const start = new Int32Array(fqdns + 1);
  for (let i = 0; i < records.size; i++)
    for (let at = lists.start(i, FQDN), end = lists.end(i, FQDN); at < end; at++) {
      const slot = lists.at(at) + 1;
      start[slot] = (start[slot] ?? 0) + 1;
    }
  for (let f = 0; f < fqdns; f++) start[f + 1] = (start[f + 1] ?? 0) + (start[f] ?? 0);
  const fill = start.slice(0, fqdns);
  const members = new Int32Array(start[fqdns] ?? 0);
  for (let i = 0; i < records.size; i++) {
    for (let at = lists.start(i, FQDN), end = lists.end(i, FQDN); at < end; at++) {
      const f = lists.at(at);
      members[fill[f] ?? 0] = i;
      fill[f] = (fill[f] ?? 0) + 1;
    }
  }
  return { start, members };
}

/** Groups numbered by their first record; members listed in record order. */
function numberGroups(sets: UnionFind, count: number): DeviceGroups {
  const groupOf = new Int32Array(count);
  const groupOfRoot = new Int32Array(count).fill(-1);
  let groups = 0;
  for (let i = 0; i < count; i++) {
    const root = sets.find(i);
    if (groupOfRoot[root] === -1) groupOfRoot[root] = groups++;
    groupOf[i] = groupOfRoot[root] ?? 0;
  }
  const start = new Int32Array(groups + 1);
  for (let i = 0; i < count; i++) {
    const slot = (groupOf[i] ?? 0) + 1;
    start[slot] = (start[slot] ?? 0) + 1;
  }
  for (let g = 0; g < groups; g++) start[g + 1] = (start[g + 1] ?? 0) + (start[g] ?? 0);
  const fill = start.slice(0, groups);
  const members = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const g = groupOf[i] ?? 0;
    members[fill[g] ?? 0] = i;
    fill[g] = (fill[g] ?? 0) + 1;
  }
  return { groupOf, count: groups, start, members };
}
