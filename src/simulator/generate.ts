/**
 * The seeded tenant generator: Defender machine records (reference §3.3–3.6 with the noise
 * of §7) and, on request, the scanned assets a network scanner would report for the same
 * network, with the ground truth a correct correlation reaches.
 *
 * Device `i` is a pure function of (seed, devices, now, i): `machineAt(i)` builds it on
 * demand, so a tenant of a million devices is served page by page without being held in
 * memory. Ids increase with `i`, so index order is the API's id order.
 */
import { scannedAssets } from "./gen/assets.js";
import { idAt } from "./gen/ids.js";
import { machineRecord } from "./gen/machine.js";
import type { MachineContext } from "./gen/machine.js";
import { DEFAULT_NOW } from "./gen/time.js";
import type { ScannedAssetJson, Truth } from "./gen/truth.js";

export type { AssetClass, AssetStory, AssetTruth, DeviceClass, EdrVerdict, ScannedAssetJson, Truth } from "./gen/truth.js";
export { verdictOf } from "./gen/truth.js";

/** Inputs of `generateTenant`. */
export interface GenerateOptions {
  /** Seed of every random choice. Default 1. */
  seed?: number;
  /** Number of machine records. Default 200. */
  devices?: number;
  /** Also build the scanned assets and their truth (walks every device once). Default false. */
  assets?: boolean;
  /** The data clock (ISO 8601): `lastSeen`/`firstSeen` are placed relative to it. Default `2025-06-02T08:00:00Z`. */
  now?: string;
}

/** A generated tenant. */
export interface GeneratedTenant {
  /** Record `i` (0 ≤ i < count) as the API serves it; a fresh object on every call. Throws RangeError outside. */
  machineAt(i: number): Record<string, unknown>;
  /** The id of record `i` without building the record. */
  idAt(i: number): string;
  /** A record for a host that is not part of the tenant (index ≥ count), for devices that appear later (drift). Its id must be replaced. */
  extraMachine(k: number): Record<string, unknown>;
  readonly count: number;
  readonly seed: number;
  /** The data clock, ISO 8601. */
  readonly now: string;
  /** Scanned assets; empty unless `assets: true`. */
  readonly assets: ScannedAssetJson[];
  /** Truth for `assets` (empty maps unless `assets: true`). */
  readonly truth: Truth;
}

/** Builds a tenant. Fails with RangeError on a negative or fractional device count or an invalid `now`. */
export function generateTenant(options: GenerateOptions = {}): GeneratedTenant {
  const seed = options.seed ?? 1;
  const count = options.devices ?? 200;
  const now = options.now ?? DEFAULT_NOW;
  const nowMs = Date.parse(now);
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`devices must be a non-negative integer, got ${count}`);
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  if (Number.isNaN(nowMs)) throw new RangeError(`now must be an ISO 8601 timestamp, got ${now}`);
  const ctx: MachineContext = { seed, count, nowMs };
  const generated = options.assets === true ? scannedAssets(ctx) : { assets: [], truth: { assets: {}, machines: {}, machineClasses: {} } };
  return {
    machineAt(i: number) {
      if (!Number.isInteger(i) || i < 0 || i >= count) throw new RangeError(`machine index ${i} is outside 0..${count - 1}`);
      return machineRecord(ctx, i);
    },
    idAt: (i: number) => idAt(seed, count, i),
    extraMachine: (k: number) => machineRecord(ctx, 2 * count + 1_000_000 + k),
    count,
    seed,
    now,
    assets: generated.assets,
    truth: generated.truth,
  };
}
