/**
 * The correlation result, from the decisions on groups and assets: every record of a matched
 * group matches its asset (newest report first, `live`), every other record and asset gets
 * its reason, and the counts. Map orders: records and assets in first-appearance order.
 */
import { runSteps, type Steps } from "./steps.js";
import type { Assignment } from "./assign.js";
import { RULE_OF_LEVEL, type Candidate, type Candidates } from "./candidates.js";
import type { DeviceGroups } from "./duplicates.js";
import type { AssetTable, DeviceTable } from "./records.js";
import type { CorrelationResult, DeviceMatch, MatchRule, UnmatchedReason } from "./types.js";

const REASONS: readonly UnmatchedReason[] = [
  "no-evidence",
  "shared-key",
  "ambiguous-name",
  "ambiguous-match",
  "contradiction",
  "stale-address",
  "asset-taken",
  "device-taken",
];

/** The `duplicates` of every record that stands alone: one shared, frozen empty array (a million matches need not carry a million). */
const NO_DUPLICATES: readonly string[] = Object.freeze([]);

/** Zero for every reason. */
const zeroReasons = (): Record<UnmatchedReason, number> => Object.fromEntries(REASONS.map((r) => [r, 0])) as Record<UnmatchedReason, number>;

/** Newest first; then a record not merged into another; then by id. Decides which record is live. */
function newestFirst(records: DeviceTable): (a: number, b: number) => number {
  return (a, b) => {
    const msA = records.lastSeenMs.at(a);
    const msB = records.lastSeenMs.at(b);
    if (msA !== msB) return msB - msA > 0 ? 1 : -1;
    const textA = records.lastSeen[a] ?? "";
    const textB = records.lastSeen[b] ?? "";
    if (textA !== textB) return textA < textB ? 1 : -1;
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

/** {@link buildResult}, yielding between its passes (matches of the groups, the devices, the assets). */
export function* buildResultInSteps({ records, assets, groups, candidates, assignment, reasons }: Decisions): Steps<CorrelationResult> {
  const matchesOfGroup: (DeviceMatch[] | undefined)[] = new Array<DeviceMatch[] | undefined>(groups.count);
  const matchOfRecord: (DeviceMatch | undefined)[] = new Array<DeviceMatch | undefined>(records.size);
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
    const ordered = Array.from(groups.members.subarray(first, last)).sort(byNewest);
    const ids = ordered.map((r) => records.ids[r] ?? "");
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
    ordered.forEach((record, rank) => (matchOfRecord[record] = matches[rank]));
  }
  yield;

  const byDevice = new Map<string, DeviceMatch>();
  const unmatched = new Map<string, UnmatchedReason>();
  const unmatchedDevices = zeroReasons();
  for (let i = 0; i < records.size; i++) {
    const id = records.ids[i] ?? "";
    const match = matchOfRecord[i];
    if (match !== undefined) {
      byDevice.set(id, match);
      continue;
    }
    const reason = reasons.groups[groups.groupOf[i] ?? -1] ?? "no-evidence";
    unmatched.set(id, reason);
    unmatchedDevices[reason] += 1;
  }
  yield;

  const byAsset = new Map<string, readonly DeviceMatch[]>();
  const unmatchedAssets = new Map<string, UnmatchedReason>();
  const unmatchedAssetCounts = zeroReasons();
  const byRule: Record<MatchRule, number> = { mac: 0, "name+ip": 0, name: 0, ip: 0 };
  for (let a = 0; a < assets.size; a++) {
    const id = assets.ids[a] ?? "";
    const pair = candidates.pairs[assignment.pairOfAsset[a] ?? -1];
    const matches = pair === undefined ? undefined : matchesOfGroup[pair.group];
    if (pair !== undefined && matches !== undefined) {
      byAsset.set(id, matches);
      byRule[RULE_OF_LEVEL[pair.level]] += 1;
      continue;
    }
    const reason = reasons.assets[a] ?? "no-evidence";
    unmatchedAssets.set(id, reason);
    unmatchedAssetCounts[reason] += 1;
  }

  return {
    byDevice,
    byAsset,
    unmatched,
    unmatchedAssets,
    summary: {
      devices: records.size,
      physicalDevices: groups.count,
      assets: assets.size,
      matchedDevices: byDevice.size,
      matchedAssets: byAsset.size,
      byRule,
      unmatchedDevices,
      unmatchedAssets: unmatchedAssetCounts,
    },
  };
}
