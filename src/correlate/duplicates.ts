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
import { isKnownSharedMac } from "./known-shared.js";
import type { DeviceRecord } from "./records.js";
import { UnionFind } from "./union-find.js";

/** Records partitioned into physical devices. */
export interface DeviceGroups {
  /** Record index → group index. */
  readonly groupOf: Int32Array;
  /** Group index → record indexes. */
  readonly members: readonly (readonly number[])[];
}

/** Joins `i` with the first record seen under `key`. */
function joinOnKey(sets: UnionFind, seen: Map<string, number>, key: string, i: number): void {
  const first = seen.get(key);
  if (first === undefined) seen.set(key, i);
  else sets.union(first, i);
}

/** MACs that can tell hardware apart (vendor-fixed virtual-adapter MACs removed). */
function hardwareMacs(record: DeviceRecord): readonly string[] {
  return record.evidence.macs.filter((mac) => !isKnownSharedMac(mac));
}

/** Partitions records into physical devices (see the module comment). Linear in the number of keys. */
export function groupDuplicates(records: readonly DeviceRecord[]): DeviceGroups {
  const sets = new UnionFind(records.length);
  const indexOf = new Map<string, number>();
  records.forEach((record, i) => indexOf.set(record.id, i));

  // 1. Links from the source.
  const mergeTargets = new Map<string, number>();
  records.forEach((record, i) => {
    if (record.mergedIntoId === null) return;
    const target = indexOf.get(record.mergedIntoId);
    if (target !== undefined) sets.union(i, target);
    joinOnKey(sets, mergeTargets, record.mergedIntoId, i);
  });

  // 2. Same name identity and a common MAC.
  const nameAndMac = new Map<string, number>();
  records.forEach((record, i) => {
    const { fqdns, shorts } = record.evidence;
    const identities = fqdns.length > 0 ? fqdns : shorts;
    for (const mac of hardwareMacs(record)) for (const name of identities) joinOnKey(sets, nameAndMac, `${name}\n${mac}`, i);
  });

  // 3. Same FQDN, hardware not disagreeing — decided on the groups of steps 1–2.
  const byFqdn = new Map<string, number[]>();
  records.forEach((record, i) => {
    for (const fqdn of record.evidence.fqdns) {
      const bucket = byFqdn.get(fqdn);
      if (bucket === undefined) byFqdn.set(fqdn, [i]);
      else bucket.push(i);
    }
  });
  const toJoin: (readonly number[])[] = [];
  for (const bucket of byFqdn.values()) {
    if (bucket.length < 2) continue;
    const hardware = new Set<number>();
    let flagged = false;
    for (const i of bucket) {
      const record = records[i];
      if (record === undefined) continue;
      if (hardwareMacs(record).length > 0) hardware.add(sets.find(i));
      flagged ||= record.potentialDuplicate;
    }
    if (hardware.size <= 1 || flagged) toJoin.push(bucket);
  }
  for (const bucket of toJoin) for (const i of bucket) sets.union(bucket[0] ?? i, i);

  const groupOf = new Int32Array(records.length);
  const groupOfRoot = new Map<number, number>();
  const members: number[][] = [];
  for (let i = 0; i < records.length; i++) {
    const root = sets.find(i);
    let group = groupOfRoot.get(root);
    if (group === undefined) {
      group = members.length;
      groupOfRoot.set(root, group);
      members.push([]);
    }
    groupOf[i] = group;
    members[group]?.push(i);
  }
  return { groupOf, members };
}
