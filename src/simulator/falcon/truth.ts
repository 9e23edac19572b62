/**
 * The Falcon verdict of a scanned asset and how it combines with Defender's.
 *
 * Falcon verdict, from the hosts that truly are the asset:
 * - `protected`: a host reported within 7 days (`last_seen`), is not in reduced
 *   functionality mode and its `status` is `normal`;
 * - `unhealthy`: otherwise, a host reported within 7 days but is in reduced functionality
 *   mode or contained (any `status` other than `normal`);
 * - `missing`: no host, or only stale hosts (last seen more than 7 days ago). The probe
 *   leaves stale hosts out unless `includeInactive`, as the Defender probe leaves out
 *   `Inactive` devices; `falconVerdictIncludingInactive` is the verdict with them in, where a
 *   stale host makes the asset `unhealthy`.
 *
 * Combined verdict: `protected` if either vendor protects the asset, else `unhealthy` if
 * either says unhealthy, else `missing`.
 */
import type { EdrVerdict } from "../gen/truth.js";
import { INACTIVE_AFTER_DAYS } from "./sensor.js";
import type { SensorState } from "./spec.js";

/** Probe ids of the vendors, as a combined coverage names them. */
export type Vendor = "defender365" | "crowdstrike";

/** Why a Falcon host exists, for test diagnostics. */
export type FalconStory =
  | "falcon-only" // a scanned asset Defender does not protect (discovered, unmanaged, or only an Inactive record): Falcon runs on it
  | "both" // a Defender-onboarded asset that runs Falcon too
  | "not-scanned" // a Falcon host the scanner never saw (a new asset, a laptop at home)
  | "synthetic"; // no scanned network (bench)

/** The truth about one scanned asset, both vendors. */
export interface FalconAssetTruth {
  readonly assetId: string;
  /** Falcon `device_id`s that truly are this asset. */
  readonly hostIds: readonly string[];
  readonly falconVerdict: EdrVerdict;
  /** The Falcon verdict when stale hosts are included (`includeInactive`). */
  readonly falconVerdictIncludingInactive: EdrVerdict;
  /** The Microsoft tenant's verdict (its truth). */
  readonly defenderVerdict: EdrVerdict;
  readonly combinedVerdict: EdrVerdict;
  /** Vendors whose verdict is `protected`, in a fixed order (defender365, crowdstrike). */
  readonly vendors: readonly Vendor[];
}

/** Ground truth of a Falcon customer's hosts (asset parts empty without a tenant). */
export interface FalconTruth {
  /** Asset id → truth, for every scanned asset of the tenant. */
  readonly assets: Readonly<Record<string, FalconAssetTruth>>;
  /** device_id → the scanned asset it truly is, or null (not scanned). Every host. Empty for synthetic hosts (too many to list). */
  readonly hosts: Readonly<Record<string, string | null>>;
  /** device_id → why it exists. Same keys as `hosts`. */
  readonly stories: Readonly<Record<string, FalconStory>>;
  /** Assets Defender alone calls `missing` and Falcon protects: the ones only a combined view calls protected. */
  readonly protectedOnlyByFalcon: readonly string[];
  /** Count of each Falcon verdict over the scanned assets. */
  readonly falconCounts: Readonly<Record<EdrVerdict, number>>;
  /** Count of each combined verdict over the scanned assets. */
  readonly combinedCounts: Readonly<Record<EdrVerdict, number>>;
}

const DAY_MS = 86_400_000;

/** Whether a sensor last seen at `lastSeenMs` is stale at `nowMs`. */
export const isStale = (lastSeenMs: number, nowMs: number): boolean => nowMs - lastSeenMs > INACTIVE_AFTER_DAYS * DAY_MS;

/** The Falcon verdict of the hosts that truly are one asset (rules above). */
export const falconVerdictOf = (hosts: readonly SensorState[], nowMs: number, includeInactive = false): EdrVerdict => {
  const counted = includeInactive ? hosts : hosts.filter((h) => !isStale(h.lastSeenMs, nowMs));
  if (counted.some((h) => !isStale(h.lastSeenMs, nowMs) && !h.rfm && h.status === "normal")) return "protected";
  return counted.length > 0 ? "unhealthy" : "missing";
};

/** The combined verdict (rules above). */
export const combineVerdicts = (verdicts: readonly EdrVerdict[]): EdrVerdict => {
  if (verdicts.includes("protected")) return "protected";
  return verdicts.includes("unhealthy") ? "unhealthy" : "missing";
};
