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
  /** Where the scanner found it: `hq`, `branch-a`, `branch-b` (across a router: no MACs), `vpn` (the VPN pool) or `cloud`. */
  site?: string;
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

/**
 * Where a scanned asset was found, and which kinds of names the scan gave it: one site class
 * (`hq`; `branch`, scanned across a router, no MACs; `vpn`; `cloud`), then `netbios` or
 * `netbios-truncated` when it carries its host's NetBIOS name (cut at 15 characters for the
 * latter), and `split-dns` when reverse DNS named it under the internal suffix.
 */
export type AssetClass = "hq" | "branch" | "vpn" | "cloud" | "netbios" | "netbios-truncated" | "split-dns";

/**
 * Where a device's host sits: `hq`, `branch`, `cloud`, `vpn` (at home, tunnel up) or `home`
 * (at home without VPN: it reports its home router's address, and no scanner reaches it); then
 * the name classes of the asset it truly is, if any.
 */
export type DeviceClass = "hq" | "branch" | "vpn" | "home" | "cloud" | "netbios" | "netbios-truncated" | "split-dns";

/** The truth about one asset. */
export interface AssetTruth {
  readonly assetId: string;
  /** Machine ids that truly are this asset (several for a re-imaged host; none for unmanaged hosts). */
  readonly machineIds: readonly string[];
  readonly verdict: EdrVerdict;
  readonly story: AssetStory;
  /** Where it was found and the kinds of names it carries (see `AssetClass`). */
  readonly classes: readonly AssetClass[];
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
  /** Machine id → where its host sits, then the name classes of the asset it truly is (see `DeviceClass`), for every machine. */
  readonly machineClasses: Readonly<Record<string, readonly DeviceClass[]>>;
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
