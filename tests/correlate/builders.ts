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
