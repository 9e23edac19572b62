/**
 * The part of correlation that needs every device: group records into physical devices, index
 * the groups' keys, find candidate pairs, assign, explain, and build the result. Ids only,
 * except for the few records with a `mergedIntoId` and the strings of the result.
 */
import { assign } from "./assign.js";
import { findCandidatesInSteps, IP_LEVEL } from "./candidates.js";
import { groupDuplicatesInSteps } from "./duplicates.js";
import { explain } from "./explain.js";
import { groupKeys } from "./group-keys.js";
import { addCarriers, type Carriers } from "./indexes.js";
import type { KeySpace } from "./key-space.js";
import type { AssetTable, DeviceTable } from "./records.js";
import { buildResultInSteps } from "./result.js";
import { addressGate, assetNetworks } from "./site-evidence.js";
import { runSteps, runStepsPausing, type Steps } from "./steps.js";
import type { CorrelationResult } from "./types.js";

/**
 * How old a device's newest report may be, behind the newest report in the data, for its IPs
 * to count as evidence on their own. Defender's `lastSeen` is a daily full report, so two
 * days allow one missed report. Measured against the data, not the clock, so that the result
 * does not depend on when it runs.
 */
export const IP_FRESHNESS_MS = 48 * 3_600_000;

/**
 * {@link IP_FRESHNESS_MS} for a device on a server edition: its address is set by hand or
 * reserved, not leased, so it stays the host's while the sensor is impaired. Seven days is when
 * Defender itself calls a device Inactive.
 */
export const SERVER_IP_FRESHNESS_MS = 7 * 24 * 3_600_000;

/** Everything parsed before the decision: keys, assets (with their carriers filled in) and device records. */
export interface Parsed {
  readonly space: KeySpace;
  readonly assets: AssetTable;
  /** Carrier indexes with the asset side filled in; the device side is added here. */
  readonly carriers: Carriers;
  readonly devices: DeviceTable;
}

/**
 * Decides every match (see the module comment). Uses up `parsed`: its interners and tables are
 * sealed, its carrier indexes, key lists and pair tables released as soon as no later step reads them.
 */
export function decide(parsed: Parsed): CorrelationResult {
  return runSteps(decideInSteps(parsed));
}

/**
 * {@link decide}, with `pause()` awaited between its steps (grouping, key indexes, each pass of
 * the candidates, assignment, each pass of the result), so that the event loop turns between
 * them: at a million devices the whole takes seconds. A pause that rejects stops the decision
 * with its error.
 */
export function decidePausing(parsed: Parsed, pause: () => Promise<void>): Promise<CorrelationResult> {
  return runStepsPausing(decideInSteps(parsed), pause);
}

/** The decision as a generator: it yields between steps, and returns the result. */
function* decideInSteps({ space, assets, carriers, devices }: Parsed): Steps<CorrelationResult> {
  for (const interner of [space.macs, space.ips, space.fqdns, space.shorts]) interner.seal();
  const groups = yield* groupDuplicatesInSteps(devices, space.knownMac);
  devices.seal();
  yield;
  const keys = groupKeys(devices, groups, space);
  devices.lists.release(); // the groups' lists hold every key of the records from here on
  yield;
  addCarriers(carriers, keys.lists, groups.count, "device");
  yield;

  let newestReport = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < devices.size; i++) newestReport = Math.max(newestReport, devices.lastSeenMs.at(i));
  const isFresh = (group: number): boolean =>
    newestReport === Number.NEGATIVE_INFINITY ||
    (keys.newest[group] ?? Number.NEGATIVE_INFINITY) >= newestReport - (keys.server[group] === 1 ? SERVER_IP_FRESHNESS_MS : IP_FRESHNESS_MS);

  const candidates = yield* findCandidatesInSteps(
    {
      space,
      carriers,
      multiDomain: space.multiDomain(),
      groups: keys.lists,
      groupCount: groups.count,
      groupOs: keys.os,
      assets: assets.lists,
      assetCount: assets.size,
      assetOs: assets.os,
    },
    isFresh,
  );
  const networks = assetNetworks(candidates.pairs, assets.size, assets.lists, assets.site, space);
  // What follows reads the candidate pairs only: drop the key indexes now, so that the result is built in their room.
  for (const index of carriers) index.release();
  keys.lists.release();
  assets.lists.release();
  space.fqdnIps.release();
  space.shortIps.release();
  yield;
  const refused = new Uint8Array(candidates.pairs.length);
  const assignment = assign(groups.count, assets.size, candidates.pairs, (level, pairOfGroup, pairOfAsset) =>
    level === IP_LEVEL ? addressGate({ pairs: candidates.pairs, pairOfGroup, pairOfAsset, where: keys, networks, space, candidates, refused }) : undefined,
  );
  space.release(); // the address gate was the last to read a key string: the result is built in their room
  const reasons = explain(candidates, assignment, refused);
  yield;
  return yield* buildResultInSteps({ records: devices, assets, groups, candidates, assignment, reasons });
}
