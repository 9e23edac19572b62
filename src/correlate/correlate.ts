/**
 * Correlation: which scanned asset each source device is, with the reason for every decision.
 * Pure; called once per run by each probe with every device it read and every asset the scan
 * found.
 *
 * Steps (each in its own module):
 * 1. parse identifiers (`records.ts`, via `mac.ts`, `ip.ts`, `hostname.ts`);
 * 2. group records of one physical device (`duplicates.ts`);
 * 3. index every key on both sides and keep pairs joined by keys that identify exactly one
 *    device and one asset, with their evidence level (`candidates.ts`);
 * 4. assign matches strongest level first, freezing ambiguity (`assign.ts`);
 * 5. explain what stayed unmatched (`explain.ts`).
 *
 * Cost is linear in the number of identifiers (hash indexes only; a few small per-device
 * sorts). The result does not depend on input order.
 */
import { assign } from "./assign.js";
import { findCandidates, RULE_OF_LEVEL, type Candidate } from "./candidates.js";
import { groupDuplicates } from "./duplicates.js";
import { mergeEvidence } from "./evidence.js";
import { explain } from "./explain.js";
import { collectAssets, collectDevices, type DeviceRecord } from "./records.js";
import type { AssetEvidence, CorrelationResult, DeviceMatch, MatchRule, SourceDevice, UnmatchedReason } from "./types.js";

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

/**
 * How old a device's newest report may be, behind the newest report in the data, for its IPs
 * to count as evidence on their own. Defender's `lastSeen` is a daily full report, so two
 * days allow one missed report. Measured against the data, not the clock, so that the result
 * does not depend on when it runs.
 */
export const IP_FRESHNESS_MS = 48 * 3_600_000;

/** Zero for every reason. */
const zeroReasons = (): Record<UnmatchedReason, number> => Object.fromEntries(REASONS.map((r) => [r, 0])) as Record<UnmatchedReason, number>;

/** Newest first; then a record not merged into another; then by id. Decides which record is live. */
function newestFirst(a: DeviceRecord, b: DeviceRecord): number {
  if (a.lastSeenMs !== b.lastSeenMs) return b.lastSeenMs - a.lastSeenMs > 0 ? 1 : -1;
  const textA = a.lastSeen ?? "";
  const textB = b.lastSeen ?? "";
  if (textA !== textB) return textA < textB ? 1 : -1;
  if ((a.mergedIntoId === null) !== (b.mergedIntoId === null)) return a.mergedIntoId === null ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Matches source devices to scanned assets.
 *
 * Rules, strongest first: a MAC; a name and an IP together; a name (FQDN, then short name);
 * an IP alone when names, MACs and OS families do not contradict it and the device reported
 * within {@link IP_FRESHNESS_MS} of the newest report in the data. Only keys that exactly one physical
 * device and exactly one asset carry can match; a key carried by several (a VPN adapter's MAC
 * on every laptop, a Docker bridge address on every Linux host) identifies none of them.
 * Records of one physical device (linked by `mergedIntoId`, or the same name with the same
 * hardware) all match the asset of that device; the newest `lastSeen` is `live`.
 *
 * Never throws on any input short of the engine's limits (a JavaScript Map holds about
 * 16.7 million distinct keys of one kind).
 */
export function correlate(devices: readonly SourceDevice[], assets: readonly AssetEvidence[]): CorrelationResult {
  const records = collectDevices(devices);
  const assetRecords = collectAssets(assets);
  const { groupOf, members } = groupDuplicates(records);
  const groupEvidence = members.map((list) => mergeEvidence(list.map((i) => (records[i] as DeviceRecord).evidence)));
  let newestReport = Number.NEGATIVE_INFINITY;
  for (const record of records) if (record.lastSeenMs > newestReport) newestReport = record.lastSeenMs;
  const groupNewest = members.map((list) => Math.max(...list.map((i) => (records[i] as DeviceRecord).lastSeenMs)));
  const isFresh = (group: number): boolean =>
    newestReport === Number.NEGATIVE_INFINITY || (groupNewest[group] ?? Number.NEGATIVE_INFINITY) >= newestReport - IP_FRESHNESS_MS;
  const candidates = findCandidates(
    groupEvidence,
    assetRecords.map((a) => a.evidence),
    isFresh,
  );
  const assignment = assign(members.length, assetRecords.length, candidates.pairs);
  const reasons = explain(candidates, assignment);

  const matchOfDevice = new Map<string, DeviceMatch>();
  const matchesOfGroup = new Map<number, DeviceMatch[]>();
  members.forEach((list, group) => {
    const pair: Candidate | undefined = candidates.pairs[assignment.pairOfGroup[group] ?? -1];
    if (pair === undefined) return;
    const ordered = list.map((i) => records[i] as DeviceRecord).sort(newestFirst);
    const ids = ordered.map((r) => r.id);
    const sortedIds = [...ids].sort();
    const assetId = (assetRecords[pair.asset] as { id: string }).id;
    const rule = RULE_OF_LEVEL[pair.level];
    const matches = ordered.map((record, rank): DeviceMatch => ({
      deviceId: record.id,
      assetId,
      rule,
      keys: pair.keys,
      live: rank === 0,
      duplicates: sortedIds.filter((id) => id !== record.id),
    }));
    matchesOfGroup.set(group, matches);
    for (const match of matches) matchOfDevice.set(match.deviceId, match);
  });

  const byDevice = new Map<string, DeviceMatch>();
  const unmatched = new Map<string, UnmatchedReason>();
  const unmatchedDevices = zeroReasons();
  records.forEach((record, i) => {
    const match = matchOfDevice.get(record.id);
    if (match !== undefined) {
      byDevice.set(record.id, match);
      return;
    }
    const reason = reasons.groups[groupOf[i] ?? -1] ?? "no-evidence";
    unmatched.set(record.id, reason);
    unmatchedDevices[reason] += 1;
  });

  const byAsset = new Map<string, readonly DeviceMatch[]>();
  const unmatchedAssets = new Map<string, UnmatchedReason>();
  const unmatchedAssetCounts = zeroReasons();
  const byRule: Record<MatchRule, number> = { mac: 0, "name+ip": 0, name: 0, ip: 0 };
  assetRecords.forEach((asset, a) => {
    const pair = candidates.pairs[assignment.pairOfAsset[a] ?? -1];
    const matches = pair === undefined ? undefined : matchesOfGroup.get(pair.group);
    if (pair !== undefined && matches !== undefined) {
      byAsset.set(asset.id, matches);
      byRule[RULE_OF_LEVEL[pair.level]] += 1;
      return;
    }
    const reason = reasons.assets[a] ?? "no-evidence";
    unmatchedAssets.set(asset.id, reason);
    unmatchedAssetCounts[reason] += 1;
  });

  return {
    byDevice,
    byAsset,
    unmatched,
    unmatchedAssets,
    summary: {
      devices: records.length,
      physicalDevices: members.length,
      assets: assetRecords.length,
      matchedDevices: byDevice.size,
      matchedAssets: byAsset.size,
      byRule,
      unmatchedDevices,
      unmatchedAssets: unmatchedAssetCounts,
    },
  };
}
