/**
 * Ground truth of a generated tenant: which Defender records each scanned asset really is,
 * and the EDR verdict a correct probe should reach for it.
 */

/** A scanned asset in the engine's JSON shape (see `src/assets.ts`). */
export interface ScannedAssetJson {
  id: string;
  addresses?: string[];
  macs?: string[];
  names?: string[];
  os?: string;
}

/**
 * The EDR verdict for one asset, computed from the records that truly are that asset,
 * ignoring `Inactive` records (the probe leaves them out by default):
 * - `protected`: at least one record is `Onboarded` with `healthStatus` `Active`;
 * - `unhealthy`: otherwise, at least one record is `Onboarded` with a health other than
 *   `Active` and `Inactive` (ImpairedCommunication, NoSensorData, …, Unknown);
 * - `missing`: no such record — no record at all, only discovered (not onboarded) records,
 *   or only `Inactive` ones.
 */
export type EdrVerdict = "protected" | "unhealthy" | "missing";

/** Why an asset exists, for test diagnostics. */
export type AssetStory =
  | "managed" // an onboarded device, seen on the LAN
  | "vpn" // a remote laptop seen at its VPN address (no MAC)
  | "cloud" // a cloud VM reachable from the scanner (no MAC)
  | "reimaged" // a re-imaged host: an old Inactive record and a new one
  | "dhcp-current" // the device now holding a retired record's old DHCP address
  | "twin" // one of two hosts with the same short name in different domains
  | "discovered" // in Defender only as a discovered, not onboarded, device
  | "dhcp-impostor" // an unmanaged host at an address a roaming Defender laptop last reported
  | "unmanaged"; // not in Defender at all

/** The truth about one asset. */
export interface AssetTruth {
  readonly assetId: string;
  /** Machine ids that truly are this asset (several for a re-imaged host; none for unmanaged hosts). */
  readonly machineIds: readonly string[];
  readonly verdict: EdrVerdict;
  readonly story: AssetStory;
}

/**
 * Ground truth of a tenant's scanned assets, as plain JSON-able records (both are empty
 * when assets were not generated).
 */
export interface Truth {
  /** Asset id → truth, for every scanned asset. */
  readonly assets: Readonly<Record<string, AssetTruth>>;
  /** Machine id → the asset it truly is, or null (not on the scanned network, retired, or roaming), for every machine. */
  readonly machines: Readonly<Record<string, string | null>>;
}

/** The two fields the verdict reads. */
export interface VerdictInput {
  readonly onboardingStatus: string;
  readonly healthStatus: string;
}

/** The EDR verdict for the records that truly are one asset (rules on `EdrVerdict`). */
export const verdictOf = (records: readonly VerdictInput[]): EdrVerdict => {
  const live = records.filter((r) => r.onboardingStatus === "Onboarded" && r.healthStatus !== "Inactive");
  if (live.some((r) => r.healthStatus === "Active")) return "protected";
  return live.length > 0 ? "unhealthy" : "missing";
};
