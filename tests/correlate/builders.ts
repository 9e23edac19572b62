/** Builders for correlation tests: a device or asset from only the fields a test cares about. */
import type { AssetEvidence, CorrelationResult, SourceDevice } from "../../src/correlate/index.js";

/** A source device with empty evidence unless given. */
export const device = (id: string, fields: Partial<Omit<SourceDevice, "id">> = {}): SourceDevice => ({
  id,
  names: [],
  macs: [],
  addresses: [],
  lastSeen: "2025-06-01T00:00:00Z",
  mergedIntoId: null,
  potentialDuplicate: false,
  ...fields,
});

/** A scanned asset. */
export const asset = (id: string, fields: Omit<AssetEvidence, "id"> = {}): AssetEvidence => ({ id, ...fields });

/** The result as plain sorted data, for deep comparison and readable failures. */
export const plain = (result: CorrelationResult) => ({
  byDevice: [...result.byDevice.entries()].sort(([a], [b]) => (a < b ? -1 : 1)),
  byAsset: [...result.byAsset.entries()].sort(([a], [b]) => (a < b ? -1 : 1)),
  unmatched: [...result.unmatched.entries()].sort(([a], [b]) => (a < b ? -1 : 1)),
  unmatchedAssets: [...result.unmatchedAssets.entries()].sort(([a], [b]) => (a < b ? -1 : 1)),
  summary: result.summary,
});

/** `deviceId → assetId` of every match, sorted by device id. */
export const pairs = (result: CorrelationResult): [string, string][] =>
  [...result.byDevice.values()].map((m): [string, string] => [m.deviceId, m.assetId]).sort(([a], [b]) => (a < b ? -1 : 1));

/**
 * A device and the asset it matches by MAC, at `address`, seen at `lastSeen` (default: the
 * builders' date): a device matched on that subnet by stronger evidence, which an IP-only match
 * there needs when the device gives no egress (see `site-evidence.ts`). Ids `n` and `n-asset`.
 */
export const neighbourAt = (address: string, lastSeen: string | null = "2025-06-01T00:00:00Z"): { device: SourceDevice; asset: AssetEvidence } => ({
  device: device("n", { macs: ["00AB00C0FFEE"], addresses: [address], lastSeen }),
  asset: asset("n-asset", { macs: ["00:ab:00:c0:ff:ee"], addresses: [address] }),
});
