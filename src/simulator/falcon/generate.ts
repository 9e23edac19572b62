/**
 * The seeded Falcon host generator: synthetic hosts (host `i` a pure function of seed,
 * count, now and `i`), or hosts on the scanned network of a generated Microsoft tenant
 * (`overlap.ts`) with the ground truth of both vendors (`truth.ts`).
 */
import type { GeneratedTenant } from "../generate.js";
import type { EdrVerdict } from "../gen/truth.js";
import { overlapHosts } from "./overlap.js";
import { hostRecord, tenantIds } from "./record.js";
import type { TenantIds } from "./record.js";
import type { HostSpec } from "./spec.js";
import { syntheticSpec } from "./synthetic.js";
import { combineVerdicts, falconVerdictOf } from "./truth.js";
import type { FalconAssetTruth, FalconStory, FalconTruth, Vendor } from "./truth.js";

/** Inputs of `generateFalconHosts`. */
export interface GenerateFalconOptions {
  /** Seed of every random choice. Default 1. */
  seed?: number;
  /** Number of synthetic hosts (without `tenant`). Default 200. Ignored with `tenant`: the network decides. */
  hosts?: number;
  /** A tenant generated with `assets: true`: hosts are placed on its scanned network. */
  tenant?: GeneratedTenant;
  /**
   * The data clock (ISO 8601): `last_seen` is placed relative to it. Default: now, rounded
   * down to the minute (a probe judges staleness by its own clock).
   */
  now?: string;
}

/** Generated Falcon hosts. */
export interface GeneratedFalconHosts {
  readonly count: number;
  readonly seed: number;
  /** The data clock, ISO 8601. */
  readonly now: string;
  /** The customer id every host carries. */
  readonly cid: string;
  /** Host `i` (0 ≤ i < count) as the API serves it, a fresh object each call; device ids increase with `i`. RangeError outside. */
  hostAt(i: number): Record<string, unknown>;
  /** The decided host `i` (identity and sensor state) without printing it. */
  specAt(i: number): HostSpec;
  /** The `device_id` of host `i`. */
  idAt(i: number): string;
  readonly truth: FalconTruth;
}

const counts = (verdicts: readonly EdrVerdict[]): Record<EdrVerdict, number> => {
  const out: Record<EdrVerdict, number> = { protected: 0, unhealthy: 0, missing: 0 };
  for (const v of verdicts) out[v] += 1;
  return out;
};

const overlapTruth = (
  tenant: GeneratedTenant,
  specs: readonly HostSpec[],
  assetOf: readonly (string | null)[],
  storyOf: readonly FalconStory[],
  nowMs: number,
): FalconTruth => {
  const hostsOfAsset = new Map<string, HostSpec[]>();
  const hosts: Record<string, string | null> = {};
  const stories: Record<string, FalconStory> = {};
  specs.forEach((s, i) => {
    const a = assetOf[i] ?? null;
    hosts[s.id] = a;
    stories[s.id] = storyOf[i] ?? "not-scanned";
    if (a !== null) hostsOfAsset.set(a, [...(hostsOfAsset.get(a) ?? []), s]);
  });
  const assets: Record<string, FalconAssetTruth> = {};
  const onlyFalcon: string[] = [];
  for (const [assetId, t] of Object.entries(tenant.truth.assets).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const mine = hostsOfAsset.get(assetId) ?? [];
    const falconVerdict = falconVerdictOf(mine, nowMs);
    const vendors: Vendor[] = [];
    if (t.verdict === "protected") vendors.push("defender365");
    if (falconVerdict === "protected") vendors.push("crowdstrike");
    assets[assetId] = {
      assetId,
      hostIds: mine.map((h) => h.id),
      falconVerdict,
      falconVerdictIncludingInactive: falconVerdictOf(mine, nowMs, true),
      defenderVerdict: t.verdict,
      combinedVerdict: combineVerdicts([t.verdict, falconVerdict]),
      vendors,
    };
    if (t.verdict === "missing" && falconVerdict === "protected") onlyFalcon.push(assetId);
  }
  const all = Object.values(assets);
  return {
    assets,
    hosts,
    stories,
    protectedOnlyByFalcon: onlyFalcon,
    falconCounts: counts(all.map((a) => a.falconVerdict)),
    combinedCounts: counts(all.map((a) => a.combinedVerdict)),
  };
};

const EMPTY_TRUTH: FalconTruth = {
  assets: {},
  hosts: {},
  stories: {},
  protectedOnlyByFalcon: [],
  falconCounts: { protected: 0, unhealthy: 0, missing: 0 },
  combinedCounts: { protected: 0, unhealthy: 0, missing: 0 },
};

/** The current time rounded down to the minute, ISO 8601. */
export const currentMinute = (): string => new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString().replace(".000Z", "Z");

/**
 * Builds a Falcon customer's hosts. With `tenant` (generated with `assets: true`) the hosts
 * sit on its scanned network and `truth` judges each scanned asset for both vendors; without,
 * hosts are synthetic and `truth` is empty. RangeError on a bad count, seed or `now`.
 */
export function generateFalconHosts(options: GenerateFalconOptions = {}): GeneratedFalconHosts {
  const seed = options.seed ?? 1;
  const now = options.now ?? currentMinute();
  const nowMs = Date.parse(now);
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  if (Number.isNaN(nowMs)) throw new RangeError(`now must be an ISO 8601 timestamp, got ${now}`);
  const ids: TenantIds = tenantIds(seed);
  const tenant = options.tenant;
  if (tenant !== undefined) {
    if (Object.keys(tenant.truth.assets).length === 0) throw new RangeError("tenant has no scanned assets: generate it with assets: true");
    const { specs, drafts } = overlapHosts(seed, tenant, nowMs);
    const truth = overlapTruth(
      tenant,
      specs,
      drafts.map((d) => d.assetId),
      drafts.map((d) => d.story),
      nowMs,
    );
    const specAt = (i: number): HostSpec => {
      const s = specs[i];
      if (s === undefined) throw new RangeError(`host index ${i} is outside 0..${specs.length - 1}`);
      return s;
    };
    return { count: specs.length, seed, now, cid: ids.cid, specAt, idAt: (i) => specAt(i).id, hostAt: (i) => hostRecord(specAt(i), ids), truth };
  }
  const count = options.hosts ?? 200;
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`hosts must be a non-negative integer, got ${count}`);
  const specAt = (i: number): HostSpec => {
    if (!Number.isInteger(i) || i < 0 || i >= count) throw new RangeError(`host index ${i} is outside 0..${count - 1}`);
    return syntheticSpec(seed, count, nowMs, i);
  };
  return { count, seed, now, cid: ids.cid, specAt, idAt: (i) => specAt(i).id, hostAt: (i) => hostRecord(specAt(i), ids), truth: EMPTY_TRUTH };
}
