/**
 * Falcon hosts on the network a Microsoft tenant's scanner saw, the way mixed estates run:
 * - most scanned assets Defender does not protect and that can run a sensor (servers, Linux,
 *   Macs, unmanaged PCs; a discovered or unmanaged asset, or one with only an Inactive
 *   record) run Falcon, with the asset's own identifiers (`falcon-only`);
 * - some Defender-onboarded assets run Falcon too (`both`);
 * - some Falcon hosts are not on the scanned network at all (`not-scanned`: addresses in
 *   100.64.0.0/10, which nothing scanned uses);
 * - a few are stale, in reduced functionality mode or contained (the first three
 *   `falcon-only` hosts always are, one each, so every state exists in any tenant).
 */
import type { GeneratedTenant } from "../generate.js";
import { currentIp } from "../gen/identity.js";
import type { Identity } from "../gen/identity.js";
import { recordFacts } from "../gen/machine.js";
import { externalIpv4 } from "../gen/net.js";
import { hash, rngAt } from "../gen/rng.js";
import type { Rng } from "../gen/rng.js";
import type { ScannedAssetJson } from "../gen/truth.js";
import { deviceIdAt } from "./ids.js";
import { drawKind, sensorOf } from "./sensor.js";
import type { SensorKind } from "./sensor.js";
import type { FalconPlatform, HostSpec } from "./spec.js";
import type { FalconStory } from "./truth.js";

const SALT_OVERLAP = 0xfa1c4;
const SALT_SHUFFLE = 0xfa1c5;
const FORCED_KINDS: readonly SensorKind[] = ["stale", "rfm", "contained"];

/** A decided host before ids are handed out, with whom it truly is. */
export interface OverlapDraft {
  readonly spec: Omit<HostSpec, "id">;
  readonly assetId: string | null;
  readonly story: FalconStory;
}

const platformOf = (host: Identity): FalconPlatform | null =>
  host.platform.family === "windows" ? "Windows" : host.platform.family === "linux" ? "Linux" : host.platform.family === "mac" ? "Mac" : null;

/** The chance that the scanned host `host` runs Falcon, given Defender's verdict on it. */
const falconChance = (host: Identity, defenderProtects: boolean): number => {
  if (host.role === "printer" || host.role === "iot") return 0;
  if (defenderProtects) return host.platform.family === "windows" ? 0.15 : 0.1;
  switch (host.role) {
    case "server":
    case "linux":
    case "mac":
    case "cloud":
      return 0.85;
    case "unmanaged":
      return host.platform.family === "linux" ? 0.8 : 0.4;
    default:
      return 0.3;
  }
};

const specOfIdentity = (rng: Rng, key: number, host: Identity, platform: FalconPlatform, kind: SensorKind, nowMs: number): Omit<HostSpec, "id"> => {
  const server = host.role === "server" || host.role === "cloud" || host.platform.family === "linux";
  const domain = host.fqdn !== null && host.fqdn.length > host.shortName.length + 1 ? host.fqdn.slice(host.shortName.length + 1) : null;
  return {
    key,
    platform,
    productType: server ? "Server" : "Workstation",
    hostname: platform === "Windows" ? host.shortName.toUpperCase() : host.shortName,
    domain,
    localIp: currentIp(host),
    mac: host.mac,
    serial: rng.chance(0.85) ? rng.hex(7) : null,
    egress: host.site !== "home" ? externalIpv4(rng, host.site) : host.fullTunnel ? externalIpv4(rng, "hq") : (host.homeEgress ?? externalIpv4(rng, "hq")),
    ...sensorOf(rng, kind, nowMs),
  };
};

const IPV4 = /^(?:\d{1,3}\.){3}\d{1,3}$/;

/** The asset's IPv4 address (an IPv4-mapped IPv6 one unmapped), or null. */
const ipv4Of = (asset: ScannedAssetJson): string | null => {
  for (const a of asset.addresses ?? []) {
    const plain = a.replace(/^(?:::ffff:|0:0:0:0:0:ffff:)/i, "");
    if (IPV4.test(plain)) return plain;
  }
  return null;
};

/** The egress pool of the site a scanner found an asset at (a VPN client leaves through headquarters). */
const SCANNED_SITE_EGRESS: Readonly<Record<string, "hq" | "branch-a" | "branch-b" | "cloud">> = {
  hq: "hq",
  "branch-a": "branch-a",
  "branch-b": "branch-b",
  vpn: "hq",
  cloud: "cloud",
};

/** A PC the scanner found that Defender has never seen (named `DESKTOP-…` or seen as Windows 10), as a Falcon host. */
const specOfStranger = (rng: Rng, key: number, asset: ScannedAssetJson, kind: SensorKind, nowMs: number): Omit<HostSpec, "id"> | null => {
  const name = asset.names?.[0]?.replace(/\.$/, "").split(".")[0] ?? null;
  const pc = (name !== null && /^desktop-/i.test(name)) || asset.os === "Microsoft Windows 10";
  const ip = ipv4Of(asset);
  if (!pc || ip === null) return null;
  const seenMac = asset.macs?.[0]?.replace(/[^0-9a-f]/gi, "") ?? null;
  return {
    key,
    platform: "Windows",
    productType: "Workstation",
    hostname: name === null ? `DESKTOP-${rng.hex(7)}` : name.toUpperCase(),
    domain: null,
    localIp: ip,
    mac: seenMac !== null && seenMac.length === 12 ? seenMac : `02${rng.hex(10)}`,
    serial: rng.chance(0.7) ? rng.hex(7) : null,
    egress: externalIpv4(rng, SCANNED_SITE_EGRESS[asset.site ?? "hq"] ?? "hq"),
    ...sensorOf(rng, kind, nowMs),
  };
};

/** Falcon hosts no scanner saw: laptops at home and new machines, on addresses nothing scanned uses. */
const notScanned = (seed: number, k: number, nowMs: number): Omit<HostSpec, "id"> => {
  const rng = rngAt(seed, 5_000_000 + k, SALT_OVERLAP);
  const mac = rng.chance(0.5);
  return {
    key: hash(seed, 5_000_000 + k, SALT_OVERLAP),
    platform: mac ? "Mac" : "Windows",
    productType: "Workstation",
    hostname: mac ? `remote-mbp-${String(k).padStart(4, "0")}` : `REMOTE-LT-${String(k).padStart(4, "0")}`,
    domain: mac ? null : "corp.example.com",
    localIp: `100.${64 + (Math.floor(k / 65_536) % 64)}.${Math.floor(k / 256) % 256}.${k % 256}`,
    mac: `02${rng.hex(10)}`,
    serial: rng.hex(7),
    ...sensorOf(rng, drawKind(rng), nowMs),
  };
};

/** Index of every machine id of the tenant. */
const machineIndexes = (tenant: GeneratedTenant): Map<string, number> => {
  const byId = new Map<string, number>();
  for (let i = 0; i < tenant.count; i++) byId.set(tenant.idAt(i), i);
  return byId;
};

/** The Falcon hosts of a tenant's network, in device-id order, with their ids. */
export const overlapHosts = (seed: number, tenant: GeneratedTenant, nowMs: number): { specs: HostSpec[]; drafts: OverlapDraft[] } => {
  const ctx = { seed: tenant.seed, count: tenant.count, nowMs: Date.parse(tenant.now) };
  const indexes = machineIndexes(tenant);
  const drafts: OverlapDraft[] = [];
  let forced = 0;
  const kindFor = (rng: Rng, story: FalconStory): SensorKind => {
    if (story === "falcon-only" && forced < FORCED_KINDS.length) return FORCED_KINDS[forced++] ?? "healthy";
    return drawKind(rng);
  };
  const assetIds = Object.keys(tenant.truth.assets).sort();
  const assetsById = new Map(tenant.assets.map((a) => [a.id, a]));
  assetIds.forEach((assetId, k) => {
    const truth = tenant.truth.assets[assetId];
    const asset = assetsById.get(assetId);
    if (truth === undefined || asset === undefined) return;
    const rng = rngAt(seed, k, SALT_OVERLAP);
    const key = hash(seed, k, SALT_OVERLAP);
    const protects = truth.verdict === "protected";
    const story: FalconStory = protects ? "both" : "falcon-only";
    const newest = truth.machineIds[truth.machineIds.length - 1];
    const index = newest === undefined ? undefined : indexes.get(newest);
    if (index === undefined) {
      if (!rng.chance(0.35)) return;
      const spec = specOfStranger(rng, key, asset, kindFor(rng, story), nowMs);
      if (spec !== null) drafts.push({ spec, assetId, story });
      return;
    }
    const host = recordFacts(ctx, index).host;
    const platform = platformOf(host);
    if (platform === null || !rng.chance(falconChance(host, protects))) return;
    drafts.push({ spec: specOfIdentity(rng, key, host, platform, kindFor(rng, story), nowMs), assetId, story });
  });
  const extras = Math.round(tenant.count * 0.05) + 2;
  for (let k = 0; k < extras; k++) drafts.push({ spec: notScanned(seed, k, nowMs), assetId: null, story: "not-scanned" });
  const shuffle = rngAt(seed, 0, SALT_SHUFFLE);
  for (let k = drafts.length - 1; k > 0; k--) {
    const j = shuffle.int(k + 1);
    const a = drafts[k];
    const b = drafts[j];
    if (a !== undefined && b !== undefined) {
      drafts[k] = b;
      drafts[j] = a;
    }
  }
  const specs = drafts.map((d, i) => ({ ...d.spec, id: deviceIdAt(seed, drafts.length, i) }));
  return { specs, drafts };
};
