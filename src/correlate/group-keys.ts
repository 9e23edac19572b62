/**
 * The keys of each physical device (device group): the union of its records' key lists, and
 * for groups of several records the `name + IP` pairs across records too (a name from one record
 * with an IP from another), as if the records were one. Also each group's OS family, newest
 * report, and where that newest report came from (egress, tunnel) and on what OS (a server edition or not). Works on ids only.
 */
import type { DeviceGroups } from "./duplicates.js";
import { FQDN, IP, KeyLists, KINDS, MAC, SHORT } from "./key-lists.js";
import type { KeySpace } from "./key-space.js";
import type { DeviceTable } from "./records.js";

/** What correlation needs of each group. */
export interface GroupKeys {
  /** Group index → its key ids. */
  readonly lists: KeyLists;
  /** Group index → OS family code: the one family its records report, 0 when none or several. */
  readonly os: Uint8Array;
  /** Group index → newest `lastSeen` of its records, in ms (-Infinity when none has one). */
  readonly newest: Float64Array;
  /** Group index → the egress id of its newest record (`DeviceTable.egress`, or `EGRESS_UNKNOWN` / `EGRESS_NONE`). */
  readonly egress: Int32Array;
  /** Group index → 1 when its newest record reported through a tunnel (`DeviceTable.offSite`). */
  readonly offSite: Uint8Array;
  /** Group index → 1 when its newest record runs a server edition (`DeviceTable.server`). */
  readonly server: Uint8Array;
}

/** Collects every group's keys, OS family and newest report (see the module comment). */
export function groupKeys(records: DeviceTable, groups: DeviceGroups, space: KeySpace): GroupKeys {
  const lists = new KeyLists();
  const os = new Uint8Array(groups.count);
  const newest = new Float64Array(groups.count).fill(Number.NEGATIVE_INFINITY);
  const egress = new Int32Array(groups.count);
  const offSite = new Uint8Array(groups.count);
  const server = new Uint8Array(groups.count);
  const from = records.lists;
  for (let g = 0; g < groups.count; g++) {
    const first = groups.start[g] ?? 0;
    const last = groups.start[g + 1] ?? 0;
    lists.open(g);
    let family = -1;
    let latest = groups.members[first] ?? 0;
    for (let at = first; at < last; at++) {
      const record = groups.members[at] ?? 0;
      if (records.lastSeenMs.at(record) > records.lastSeenMs.at(latest)) latest = record;
      newest[g] = Math.max(newest[g] ?? 0, records.lastSeenMs.at(record));
      const code = records.os.at(record);
      if (code !== 0) family = family === -1 || family === code ? code : 0;
    }
    os[g] = Math.max(family, 0);
    egress[g] = records.egress.at(latest);
    offSite[g] = records.offSite.at(latest);
    server[g] = records.server.at(latest);
    if (last - first === 1) {
      const record = groups.members[first] ?? 0;
      for (let kind = 0; kind < KINDS; kind++) {
        for (let at = from.start(record, kind), end = from.end(record, kind); at < end; at++) lists.push(from.at(at));
        lists.endKind();
      }
      continue;
    }
    const positions: number[] = [];
    for (const kind of [MAC, IP, FQDN, SHORT]) {
      positions.push(lists.position);
      const start = lists.position;
      for (let at = first; at < last; at++) {
        const record = groups.members[at] ?? 0;
        for (let i = from.start(record, kind), end = from.end(record, kind); i < end; i++) {
          const id = from.at(i);
          if (!lists.has(start, lists.position, id)) lists.push(id);
        }
      }
      lists.endKind();
    }
    space.writePairs(lists, positions[IP] ?? 0, positions[FQDN] ?? 0, positions[SHORT] ?? 0, lists.position);
  }
  return { lists, os, newest, egress, offSite, server };
}
