/**
 * The correlation result, from the decisions on groups and assets: every record of a matched
 * group matches its asset (newest report first, `live`), every other record and asset gets
 * its reason, and the counts. Kept by position (record number, asset position); the maps by
 * id are made on first use. Map orders: records and assets in first-appearance order.
 */
import { runSteps, type Steps } from "./steps.js";
import type { Assignment } from "./assign.js";
import { RULE_OF_LEVEL, type Candidate, type Candidates } from "./candidates.js";
import type { DeviceGroups } from "./duplicates.js";
import type { AssetTable, DeviceTable } from "./records.js";
import type { CorrelationPositions, CorrelationResult, DeviceMatch, MatchRule, UnmatchedReason } from "./types.js";

const REASONS: readonly UnmatchedReason[] = [
  "no-evidence",
  "shared-key",
  "ambiguous-name",
  "ambiguous-match",
  "contradiction",
  "stale-address",
  "off-site",
  "asset-taken",
  "device-taken",
];

/** The `duplicates` of every record that stands alone: one shared, frozen empty array (a million matches need not carry a million). */
const NO_DUPLICATES: readonly string[] = Object.freeze([]);

/** Zero for every reason. */
const zeroReasons = (): Record<UnmatchedReason, number> => Object.fromEntries(REASONS.map((r) => [r, 0])) as Record<UnmatchedReason, number>;

/** Newest first (to the 100 ns); then a record not merged into another; then by id. Decides which record is live. */
function newestFirst(records: DeviceTable): (a: number, b: number) => number {
  return (a, b) => {
    const msA = records.lastSeenMs.at(a);
    const msB = records.lastSeenMs.at(b);
    if (msA !== msB) return msB - msA > 0 ? 1 : -1;
    const ticksA = records.lastSeenTicks.at(a);
    const ticksB = records.lastSeenTicks.at(b);
    if (ticksA !== ticksB) return ticksA < ticksB ? 1 : -1;
    const mergedA = records.mergedInto.has(a);
    if (mergedA !== records.mergedInto.has(b)) return mergedA ? 1 : -1;
    const idA = records.ids[a] ?? "";
    const idB = records.ids[b] ?? "";
    return idA < idB ? -1 : idA > idB ? 1 : 0;
  };
}

/** What the steps before decided, for {@link buildResult}. */
export interface Decisions {
  readonly records: DeviceTable;
  readonly assets: AssetTable;
  readonly groups: DeviceGroups;
  readonly candidates: Candidates;
  readonly assignment: Assignment;
  readonly reasons: { readonly groups: readonly (UnmatchedReason | null)[]; readonly assets: readonly (UnmatchedReason | null)[] };
}

/** Builds the public result (see the module comment). */
export function buildResult(decisions: Decisions): CorrelationResult {
  return runSteps(buildResultInSteps(decisions));
}

/** The records matched to an asset that matched none. */
const NO_RECORDS = new Int32Array(0);

/** {@link buildResult}, yielding between its passes (matches of the groups, the devices, the assets). */
export function* buildResultInSteps({ records, assets, groups, candidates, assignment, reasons }: Decisions): Steps<CorrelationResult> {
  const matchesOfGroup: (DeviceMatch[] | undefined)[] = new Array<DeviceMatch[] | undefined>(groups.count);
  const matchOfRecord: (DeviceMatch | undefined)[] = new Array<DeviceMatch | undefined>(records.size);
  /** The groups' records, each matched group's newest first (the order of its matches). */
  const ordered = groups.members.slice();
  const byNewest = newestFirst(records);
  for (let group = 0; group < groups.count; group++) {
    const pair: Candidate | undefined = candidates.pairs[assignment.pairOfGroup[group] ?? -1];
    if (pair === undefined) continue;
    const first = groups.start[group] ?? 0;
    const last = groups.start[group + 1] ?? 0;
    const assetId = assets.ids[pair.asset] ?? "";
    const rule = RULE_OF_LEVEL[pair.level];
    if (last - first === 1) {
      const record = groups.members[first] ?? 0;
      const match: DeviceMatch = { deviceId: records.ids[record] ?? "", assetId, rule, keys: pair.keys, live: true, duplicates: NO_DUPLICATES };
      matchesOfGroup[group] = [match];
      matchOfRecord[record] = match;
      continue;
    }
    const newest = Array.from(groups.members.subarray(first, last)).sort(byNewest);
    ordered.set(newest, first);
    const ids = newest.map((r) => records.ids[r] ?? "");
    const sortedIds = [...ids].sort();
    const matches = ids.map((deviceId, rank): DeviceMatch => ({
      deviceId,
      assetId,
      rule,
      keys: pair.keys,
      live: rank === 0,
      duplicates: sortedIds.filter((id) => id !== deviceId),
    }));
    matchesOfGroup[group] = matches;
    newest.forEach((record, rank) => (matchOfRecord[record] = matches[rank]));
  }
  yield;

  const reasonOfRecord: (UnmatchedReason | undefined)[] = new Array<UnmatchedReason | undefined>(records.size);
  const unmatchedDevices = zeroReasons();
  let matchedDevices = 0;
  for (let i = 0; i < records.size; i++) {
    if (matchOfRecord[i] !== undefined) {
      matchedDevices += 1;
      continue;
    }
    const reason = reasons.groups[groups.groupOf[i] ?? -1] ?? "no-evidence";
    reasonOfRecord[i] = reason;
    unmatchedDevices[reason] += 1;
  }
  yield;

  const reasonOfAsset: (UnmatchedReason | undefined)[] = new Array<UnmatchedReason | undefined>(assets.size);
  /** Asset record → the group matched to it, or -1. */
  const groupOfAsset = new Int32Array(assets.size).fill(-1);
  const unmatchedAssets = zeroReasons();
  const byRule: Record<MatchRule, number> = { mac: 0, "name+ip": 0, "netbios+ip": 0, name: 0, ip: 0 };
  let matchedAssets = 0;
  for (let a = 0; a < assets.size; a++) {
    const pair = candidates.pairs[assignment.pairOfAsset[a] ?? -1];
    const matches = pair === undefined ? undefined : matchesOfGroup[pair.group];
    if (pair !== undefined && matches !== undefined) {
      groupOfAsset[a] = pair.group;
      byRule[RULE_OF_LEVEL[pair.level]] += 1;
      matchedAssets += 1;
      continue;
    }
    const reason = reasons.assets[a] ?? "no-evidence";
    reasonOfAsset[a] = reason;
    unmatchedAssets[reason] += 1;
  }

  const recordOfPosition = assets.recordOfPosition.toArray();
  const positions = assetPositions(recordOfPosition, groupOfAsset, groups.start, ordered);
  const result: Omit<CorrelationResult, "byDevice" | "byAsset" | "unmatched" | "unmatchedAssets"> = {
    positions: { matchOfRecord, reasonOfRecord, ...positions },
    summary: {
      devices: records.size,
      physicalDevices: groups.count,
      assets: assets.size,
      matchedDevices,
      matchedAssets,
      byRule,
      unmatchedDevices,
      unmatchedAssets,
    },
  };
  return withMaps(result, records.ids, assets.ids, (a) => matchesOfGroup[groupOfAsset[a] ?? -1], reasonOfAsset);
}

/** The asset half of {@link CorrelationPositions}, over the arrays it needs (and nothing else of the decision). */
function assetPositions(
  recordOfPosition: Int32Array,
  groupOfAsset: Int32Array,
  groupStart: Int32Array,
  ordered: Int32Array,
): Pick<CorrelationPositions, "recordsOfAsset" | "repeatsAnEarlierAsset"> {
  const firstPosition = new Int32Array(groupOfAsset.length).fill(-1);
  for (let position = 0; position < recordOfPosition.length; position++) {
    const record = recordOfPosition[position] ?? 0;
    if (firstPosition[record] === -1) firstPosition[record] = position;
  }
  return {
    recordsOfAsset(position) {
      const group = groupOfAsset[recordOfPosition[position] ?? -1] ?? -1;
      return group < 0 ? NO_RECORDS : ordered.subarray(groupStart[group], groupStart[group + 1]);
    },
    repeatsAnEarlierAsset(position) {
      return firstPosition[recordOfPosition[position] ?? -1] !== position;
    },
  };
}

/** `result` with its four maps by id, each made from the positions on first use (and kept). */
function withMaps(
  result: Omit<CorrelationResult, "byDevice" | "byAsset" | "unmatched" | "unmatchedAssets">,
  deviceIds: readonly string[],
  assetIds: readonly string[],
  matchesOfAsset: (asset: number) => readonly DeviceMatch[] | undefined,
  reasonOfAsset: readonly (UnmatchedReason | undefined)[],
): CorrelationResult {
  const { matchOfRecord, reasonOfRecord } = result.positions;
  const byId = <V>(ids: readonly string[], valueAt: (index: number) => V | undefined) => {
    let map: Map<string, V> | undefined;
    return (): Map<string, V> => {
      if (map !== undefined) return map;
      map = new Map<string, V>();
      for (let i = 0; i < ids.length; i++) {
        const value = valueAt(i);
        if (value !== undefined) map.set(ids[i] ?? "", value);
      }
      return map;
    };
  };
  const byDevice = byId(deviceIds, (i) => matchOfRecord[i]);
  const unmatched = byId(deviceIds, (i) => reasonOfRecord[i]);
  const byAsset = byId(assetIds, matchesOfAsset);
  const unmatchedAssets = byId(assetIds, (a) => reasonOfAsset[a]);
  return {
    ...result,
    get byDevice() {
      return byDevice();
    },
    get byAsset() {
      return byAsset();
    },
    get unmatched() {
      return unmatched();
    },
    get unmatchedAssets() {
      return unmatchedAssets();
    },
  };
}
