/**
 * Pure enrichment: Defender machines plus the correlation's decisions become records and
 * an EDR-coverage verdict for every scanned asset.
 */
import type { CoverageStatus, EnrichmentRecord, ProbeMode } from "../../contract.js";
import type { ScannedAsset } from "../../assets.js";
import type { CorrelationResult } from "../../correlate/types.js";
import { parseHostname } from "../../correlate/index.js";
import { canonicalIdentifiers, edrState, flattenAttributes, osOf } from "./device.js";
import type { Machine } from "./machine.js";

/** What enrichment needs to know about the run. */
export interface EnrichSettings {
  readonly mode: ProbeMode;
  /** Site of new assets (the scan's in probe mode, the option's in connector mode). */
  readonly siteId: string | null;
  /** Leave out devices that match no scanned asset. */
  readonly excludeUnknown: boolean;
  /** False when the device list is not whole (pages not read, or an incremental sync): then no asset is called `missing`. */
  readonly complete: boolean;
}

/** Records, coverage and the counts they produce. */
export interface Enrichment {
  readonly records: EnrichmentRecord[];
  readonly coverage: Record<string, CoverageStatus>;
  readonly matched: number;
  readonly created: number;
  readonly unknownSkipped: number;
}

const RANK: Record<CoverageStatus, number> = { protected: 3, unhealthy: 2, missing: 1, unknown: 0 };

/**
 * The coverage of one asset from the machines matched to it: the best of them
 * (`protected` > `unhealthy` > `missing`). Discovered-only devices are not protection.
 * In an incomplete run anything short of `protected` is `unknown`: an unread page may hold
 * the asset's healthy sensor.
 */
export const coverageOf = (matchedMachines: readonly Machine[], complete: boolean): CoverageStatus => {
  let best: CoverageStatus = "missing";
  for (const m of matchedMachines) {
    const state = edrState(m);
    const status: CoverageStatus = state === "not-onboarded" ? "missing" : state;
    if (RANK[status] > RANK[best]) best = status;
  }
  return best === "protected" || complete ? best : "unknown";
};

/** The record of one machine. */
export const recordOf = (m: Machine, assetId: string | null, siteId: string | null, match: EnrichmentRecord["match"]): EnrichmentRecord => {
  const { macs, addresses } = canonicalIdentifiers(m);
  const host = m.computerDnsName ? parseHostname(m.computerDnsName) : null;
  return {
    source: "defender365",
    sourceId: m.id,
    assetId,
    siteId,
    match,
    names: host ? [host.fqdn ?? host.short] : [],
    addresses,
    macs,
    os: osOf(m),
    firstSeen: m.firstSeen ?? null,
    lastSeen: m.lastSeen ?? null,
    edr: edrState(m),
    attributes: flattenAttributes(m),
  };
};

/** Builds every record and the coverage of every scanned asset. */
export const enrich = (machines: readonly Machine[], correlation: CorrelationResult, assets: readonly ScannedAsset[], settings: EnrichSettings): Enrichment => {
  const records: EnrichmentRecord[] = [];
  const byId = new Map(machines.map((m) => [m.id, m] as const));
  let matched = 0;
  let created = 0;
  let unknownSkipped = 0;

  for (const m of machines) {
    const match = correlation.byDevice.get(m.id);
    if (match) {
      matched += 1;
      records.push(recordOf(m, match.assetId, null, { rule: match.rule, keys: match.keys, live: match.live }));
    } else if (settings.excludeUnknown) {
      unknownSkipped += 1;
    } else {
      created += 1;
      records.push(recordOf(m, null, settings.siteId, null));
    }
  }

  const coverage: Record<string, CoverageStatus> = {};
  for (const asset of assets) {
    const matches = correlation.byAsset.get(asset.id) ?? [];
    const matchedMachines = matches.map((x) => byId.get(x.deviceId)).filter((m): m is Machine => m !== undefined);
    coverage[asset.id] = coverageOf(matchedMachines, settings.complete);
  }
  return { records, coverage, matched, created, unknownSkipped };
};
