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
}

/** A scanned asset as correlation sees it. */
export interface AssetEvidence {
  readonly id: string;
  readonly names?: readonly string[] | undefined;
  readonly macs?: readonly string[] | undefined;
  readonly addresses?: readonly string[] | undefined;
}

/** Match rules, strongest first. */
export type MatchRule = "mac" | "name+ip" | "name" | "ip";

/** One device tied to one asset. */
export interface DeviceMatch {
  readonly deviceId: string;
  readonly assetId: string;
  readonly rule: MatchRule;
  /** Canonical keys that matched, prefixed by kind: `mac:00:0c:29:92:a6:4d`, `ip:10.0.0.5`, `name:host.corp.example`. */
  readonly keys: readonly string[];
  /** False when another device matched the same asset with a newer `lastSeen` (re-imaged, duplicate). */
  readonly live: boolean;
}

/** Why a device stayed unmatched. */
export type UnmatchedReason =
  | "no-evidence" // nothing on the asset side shares any key
  | "shared-key" // its only common keys are carried by several devices or assets
  | "ambiguous-name" // its name points at more than one asset (or device)
  | "contradiction" // a key matched but other evidence contradicts it (e.g. same IP, different MACs)
  | "asset-taken"; // the asset it matched was claimed by a stronger match of another device

/** What correlation decided. */
export interface CorrelationResult {
  /** Device id → its match. A device matches at most one asset. */
  readonly byDevice: ReadonlyMap<string, DeviceMatch>;
  /** Asset id → every device that matched it, the live one first. */
  readonly byAsset: ReadonlyMap<string, readonly DeviceMatch[]>;
  /** Device id → why it stayed unmatched. */
  readonly unmatched: ReadonlyMap<string, UnmatchedReason>;
}
