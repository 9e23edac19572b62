/**
 * Types of the correlation core: source devices (from any probe) matched to scanned assets.
 * Pure data; shared by every probe.
 */

/** A device reported by a source (a Defender machine), reduced to what correlation needs. Identifiers are raw strings in any spelling. */
export interface SourceDevice {
  /** The source's id for the device (Defender machine id). */
  readonly id: string;
  /** Host names as the source reports them (FQDN or short, any case). */
  readonly names: readonly string[];
  /** MAC addresses, any spelling; noise (all-zero, tunnel pseudo-MACs) is dropped by the normaliser. */
  readonly macs: readonly string[];
  /** IP addresses, any spelling; noise (loopback, link-local, ISATAP) is dropped by the normaliser. Secondary evidence: they go stale. */
  readonly addresses: readonly string[];
  /** When the source last saw the device (ISO 8601), used to pick the live record among duplicates. */
  readonly lastSeen: string | null;
  /** Id of the record this one was merged into, if the source says so. */
  readonly mergedIntoId: string | null;
  /** The source suspects this record duplicates another. */
  readonly potentialDuplicate: boolean;
  /** Operating system as the source names it (`Windows11`, `WindowsServer2022`, `Ubuntu`); only its family is compared, and whether it is a server edition (whose address is assigned, not leased). */
  readonly os?: string | null | undefined;
  /**
   * The public addresses the device reached the source through when it last reported (Defender:
   * `lastExternalIpAddress`): the egress of the network it reported from, which the devices of one
   * site share. Omitted when the source does not say; `[]` when it says there is none.
   */
  readonly egress?: readonly string[] | undefined;
  /**
   * Addresses of its VPN or dial-up adapters that were up when it reported (Defender: a `Ppp`
   * adapter, or one with a VPN vendor's fixed MAC): it was off-site, and its other private
   * addresses belong to the network it sat on (a home router), not to a scanned one. They count
   * as addresses too.
   */
  readonly tunnelAddresses?: readonly string[] | undefined;
}

/** A scanned asset as correlation sees it. */
export interface AssetEvidence {
  readonly id: string;
  readonly names?: readonly string[] | undefined;
  readonly macs?: readonly string[] | undefined;
  readonly addresses?: readonly string[] | undefined;
  /** OS as the scanner fingerprinted it; only its family is compared (a printer's firmware, `HP JetDirect`, is a family of its own). */
  readonly os?: string | null | undefined;
  /**
   * The network the scanner found the asset in (a site, an office, a scan range: any label the
   * assets found there share). An address-only match needs evidence that the device was on
   * that network; without `site`, the asset's subnet (/24, /64) stands for it.
   */
  readonly site?: string | undefined;
}

/**
 * Match rules, strongest first: a MAC; a name and an IP (the FQDN or the short name, whatever
 * the DNS suffix); a NetBIOS name and an IP; a name alone (FQDN, then a short name used in one
 * domain only); an IP alone, where the device was on the asset's network.
 */
export type MatchRule = "mac" | "name+ip" | "netbios+ip" | "name" | "ip";

/** One device tied to one asset. */
export interface DeviceMatch {
  readonly deviceId: string;
  readonly assetId: string;
  readonly rule: MatchRule;
  /**
   * Canonical keys that matched, prefixed by kind: `mac:00:0c:29:92:a6:4d`, `ip:10.0.0.5`,
   * `name:host.corp.example` (an FQDN), `name:host` (a short name) or `netbios:HOST` (a NetBIOS
   * name: upper case, at most 15 characters). Sorted. They are the
   * physical device's keys: a record merged with its duplicates may not carry each one itself.
   */
  readonly keys: readonly string[];
  /** False when another record of the same physical device, with a newer `lastSeen`, matched the same asset (re-imaged, duplicate). */
  readonly live: boolean;
  /** Ids of the other records taken as the same physical device (sorted); empty when the record stands alone. */
  readonly duplicates: readonly string[];
}

/**
 * Why a device (or an asset) stayed unmatched.
 * - `no-evidence`: the other side shares no key with it.
 * - `shared-key`: its only common MACs/IPs are carried by several devices or several assets, or are known virtual-adapter values.
 * - `ambiguous-name`: its common name is carried by several devices or assets, is a short name used in several domains, is a NetBIOS name without an IP alongside, or its strongest (name-based) evidence points at several candidates.
 * - `ambiguous-match`: its strongest MAC or IP evidence points at several candidates, or a candidate's does.
 * - `contradiction`: a key matched but other evidence says it is another device (both sides carry identifying MACs and none agrees; for an IP alone, the OS families disagree (a printer's firmware is none of a device's: a Windows laptop's old address now held by a printer), or the short names do: no short or NetBIOS name in common, the DNS suffix aside).
 * - `stale-address`: only an IP ties it, and the device's newest report is over two days older than the newest report in the data (seven for a server edition, whose address is assigned, not leased): the address may have moved on (DHCP).
 * - `off-site`: only an IP ties it, and nothing shows the device was on the network the asset was found in: it reported through a VPN or dial-up tunnel (its other addresses are a remote network's), or from an egress that none of the devices matched on that network uses, or (when the source gives no egress) no other device matched on that network at all.
 * - `asset-taken` (devices): the asset its evidence points at has stronger evidence for another device.
 * - `device-taken` (assets): the device its evidence points at has stronger evidence for another asset.
 */
export type UnmatchedReason =
  "no-evidence" | "shared-key" | "ambiguous-name" | "ambiguous-match" | "contradiction" | "stale-address" | "off-site" | "asset-taken" | "device-taken";

/** Counts of one correlation. */
export interface CorrelationSummary {
  /** Device records received (after merging records with the same id). */
  readonly devices: number;
  /** Physical devices: records grouped as duplicates of one another count once. */
  readonly physicalDevices: number;
  /** Assets received (after merging assets with the same id). */
  readonly assets: number;
  /** Device records matched to an asset. */
  readonly matchedDevices: number;
  /** Assets matched to a device. */
  readonly matchedAssets: number;
  /** Matches by rule, counted per asset. */
  readonly byRule: Readonly<Record<MatchRule, number>>;
  /** Unmatched device records by reason (every reason present, zero when unused). */
  readonly unmatchedDevices: Readonly<Record<UnmatchedReason, number>>;
  /** Unmatched assets by reason (every reason present, zero when unused). */
  readonly unmatchedAssets: Readonly<Record<UnmatchedReason, number>>;
}

/**
 * What correlation decided, by position instead of by id: for a caller that keeps the devices
 * and the assets in the order it gave them, so that nothing hashes an id again (at a million
 * of each, the result's maps cost seconds and a few hundred megabytes).
 */
export interface CorrelationPositions {
  /**
   * Device record → its match, or undefined. Records are numbered in the order their ids first
   * appeared (a device added again under an id already added is merged into that record).
   */
  readonly matchOfRecord: readonly (DeviceMatch | undefined)[];
  /** Device record → why it stayed unmatched, or undefined when it matched. */
  readonly reasonOfRecord: readonly (UnmatchedReason | undefined)[];
  /**
   * The records matched to the asset at `position` in the list correlation was given, live
   * first (as `byAsset` orders them); empty when none, and for a position past the list.
   * Positions with the same id share one answer.
   */
  readonly recordsOfAsset: (position: number) => Int32Array;
  /** True when the asset at `position` has the id of an asset given earlier; also for a position past the list (unknown: check by id). */
  readonly repeatsAnEarlierAsset: (position: number) => boolean;
}

/**
 * What correlation decided. The four maps are built on first use from {@link positions}: a
 * caller that reads only the positions never pays for them.
 */
export interface CorrelationResult {
  /** The decisions by record number and asset position. */
  readonly positions: CorrelationPositions;
  /** Device id → its match. A device matches at most one asset. */
  readonly byDevice: ReadonlyMap<string, DeviceMatch>;
  /** Asset id → every device record that matched it, the live one first (then newest `lastSeen`, then id). All belong to one physical device. */
  readonly byAsset: ReadonlyMap<string, readonly DeviceMatch[]>;
  /** Device id → why it stayed unmatched. */
  readonly unmatched: ReadonlyMap<string, UnmatchedReason>;
  /** Asset id → why no device matched it. */
  readonly unmatchedAssets: ReadonlyMap<string, UnmatchedReason>;
  /** Counts, for the run summary. */
  readonly summary: CorrelationSummary;
}
