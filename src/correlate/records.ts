/**
 * Device records and assets as correlation works on them: parsed once, and input entries that
 * share an id merged into one, so that the result cannot depend on which came first.
 */
import { evidenceOf, mergeEvidence, type Evidence } from "./evidence.js";
import type { AssetEvidence, SourceDevice } from "./types.js";

/** One device record, parsed. */
export interface DeviceRecord {
  readonly id: string;
  readonly evidence: Evidence;
  readonly lastSeen: string | null;
  /** `lastSeen` in ms since the epoch; -Infinity when absent or unreadable. */
  readonly lastSeenMs: number;
  readonly mergedIntoId: string | null;
  readonly potentialDuplicate: boolean;
}

/** One asset, parsed. */
export interface AssetRecord {
  readonly id: string;
  readonly evidence: Evidence;
}

/** ms since the epoch, or -Infinity. `Date.parse` reads Defender's 0–7 fractional digits. */
function millis(iso: string | null): number {
  if (iso === null) return Number.NEGATIVE_INFINITY;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
}

/** The later of two timestamps; ties broken on the text so that the choice is order-free. */
function later(a: DeviceRecord, b: DeviceRecord): DeviceRecord {
  if (a.lastSeenMs !== b.lastSeenMs) return a.lastSeenMs > b.lastSeenMs ? a : b;
  return (a.lastSeen ?? "") >= (b.lastSeen ?? "") ? a : b;
}

/** The smaller of two optional ids, null only when both are null. */
function minId(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a < b ? a : b;
}

/**
 * Parses device records. Records with the same id are merged: the union of their identifiers,
 * the newest `lastSeen`, the smallest non-null `mergedIntoId`, `potentialDuplicate` if any says so.
 * Output order: first appearance.
 */
export function collectDevices(devices: readonly SourceDevice[]): DeviceRecord[] {
  const byId = new Map<string, DeviceRecord>();
  for (const device of devices) {
    const record: DeviceRecord = {
      id: device.id,
      evidence: evidenceOf(device.names, device.macs, device.addresses, device.os),
      lastSeen: device.lastSeen,
      lastSeenMs: millis(device.lastSeen),
      mergedIntoId: device.mergedIntoId === device.id ? null : device.mergedIntoId,
      potentialDuplicate: device.potentialDuplicate,
    };
    const seen = byId.get(device.id);
    if (seen === undefined) {
      byId.set(device.id, record);
      continue;
    }
    const newest = later(seen, record);
    byId.set(device.id, {
      id: device.id,
      evidence: mergeEvidence([seen.evidence, record.evidence]),
      lastSeen: newest.lastSeen,
      lastSeenMs: newest.lastSeenMs,
      mergedIntoId: minId(seen.mergedIntoId, record.mergedIntoId),
      potentialDuplicate: seen.potentialDuplicate || record.potentialDuplicate,
    });
  }
  return [...byId.values()];
}

/** Parses assets; assets with the same id are merged (union of identifiers). Output order: first appearance. */
export function collectAssets(assets: readonly AssetEvidence[]): AssetRecord[] {
  const byId = new Map<string, AssetRecord>();
  for (const asset of assets) {
    const evidence = evidenceOf(asset.names, asset.macs, asset.addresses, asset.os);
    const seen = byId.get(asset.id);
    byId.set(asset.id, { id: asset.id, evidence: seen === undefined ? evidence : mergeEvidence([seen.evidence, evidence]) });
  }
  return [...byId.values()];
}
