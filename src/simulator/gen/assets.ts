/**
 * The scanner's view of a generated tenant: about one asset per device on the scanned
 * network, spelled the way a scanner sees it, plus hosts Defender does not know and the
 * traps (DHCP impostors, same short name in two domains), with their ground truth.
 */
import { OUI } from "./catalog.js";
import type { Identity } from "./identity.js";
import { idAt } from "./ids.js";
import { recordFacts } from "./machine.js";
import type { MachineContext, RecordFacts } from "./machine.js";
import { lanIpv4, macFor } from "./net.js";
import { rngAt } from "./rng.js";
import type { Rng } from "./rng.js";
import { spellIpv4Mapped, spellIpv6, spellMac, spellName } from "./spelling.js";
import { verdictOf } from "./truth.js";
import type { AssetStory, AssetTruth, ScannedAssetJson, Truth } from "./truth.js";

const SALT_ASSET = 0xa55;
const SALT_SHUFFLE = 0x5f1;
const SALT_STRANGER = 0x57a;

interface Draft {
  readonly asset: Omit<ScannedAssetJson, "id">;
  readonly records: readonly RecordFacts[];
  readonly story: AssetStory;
}

const addressesOf = (rng: Rng, host: Identity): string[] => {
  if (host.remote && host.vpnIp !== null) return [host.vpnIp];
  const r = rng.next();
  if (r < 0.05) return [spellIpv4Mapped(rng, host.lanIp)];
  if (host.ipv6 !== null && r < 0.09) return [spellIpv6(rng, host.ipv6)];
  if (host.ipv6 !== null && r < 0.2) return [host.lanIp, spellIpv6(rng, host.ipv6)];
  return [host.lanIp];
};

const namesOf = (rng: Rng, host: Identity, story: AssetStory): string[] => {
  const netbios = host.shortName.toUpperCase().slice(0, 15);
  if (story === "twin") return [rng.chance(0.5) && host.fqdn !== null ? spellName(rng, host.fqdn, true) : netbios];
  if (host.fqdn === null) return rng.chance(0.7) ? [spellName(rng, host.shortName, false)] : [];
  if (story === "vpn" || story === "cloud") return rng.chance(0.8) ? [spellName(rng, host.fqdn, true)] : [];
  return rng.weighted<string[]>([
    [[spellName(rng, host.fqdn, true)], 50],
    [[spellName(rng, host.fqdn, true), netbios], 25],
    [[netbios], 15],
    [[], 10],
  ]);
};

const assetOf = (rng: Rng, host: Identity, story: AssetStory): Omit<ScannedAssetJson, "id"> => {
  const sameL2 = !(host.remote || host.role === "cloud") && rng.chance(0.7);
  const names = namesOf(rng, host, story);
  const os = host.platform.scanOs !== null && rng.chance(0.7) ? host.platform.scanOs : null;
  return {
    addresses: addressesOf(rng, host),
    ...(sameL2 ? { macs: [spellMac(rng, host.mac)] } : {}),
    ...(names.length > 0 ? { names } : {}),
    ...(os !== null ? { os } : {}),
  };
};

/** A host Defender has never seen, at `ip` (its own LAN address unless given). */
const stranger = (seed: number, n: number, ip?: string): Omit<ScannedAssetJson, "id"> => {
  const rng = rngAt(seed, n, SALT_STRANGER);
  const kind = rng.weighted<"pc" | "phone" | "printer" | "camera">([
    ["pc", 40],
    ["phone", 25],
    ["printer", 20],
    ["camera", 15],
  ]);
  const mac = macFor(seed, n + 8_000_000, rng.pick(OUI[kind]));
  const name = {
    pc: () => `DESKTOP-${rng.hex(7)}`,
    phone: () => `android-${rng.hex(16).toLowerCase()}`,
    printer: () => `NPI${mac.slice(6)}`,
    camera: () => `IPCAM-${rng.hex(4)}`,
  }[kind]();
  const os = { pc: "Microsoft Windows 10", phone: "Android", printer: "HP JetDirect", camera: "embedded Linux" }[kind];
  return {
    addresses: [ip ?? lanIpv4(n)],
    ...(rng.chance(0.8) ? { macs: [spellMac(rng, mac)] } : {}),
    ...(rng.chance(0.6) ? { names: [spellName(rng, name, true)] } : {}),
    ...(rng.chance(0.5) ? { os } : {}),
  };
};

const singleChance = (f: RecordFacts): [number, AssetStory] => {
  if (f.onboardingStatus !== "Onboarded") return [0.85, "discovered"];
  if (f.host.role === "cloud") return [0.15, "cloud"];
  if (f.host.remote) return [0.5, "vpn"];
  if (f.healthStatus === "Inactive") return [0.25, "managed"];
  return [0.9, "managed"];
};

/** One asset draft per scanned device, for devices 0..count-1. */
const draftsOf = (ctx: MachineContext): Draft[] => {
  const drafts: Draft[] = [];
  let previous: RecordFacts | null = null;
  for (let i = 0; i < ctx.count; i++) {
    const f = recordFacts(ctx, i);
    const rng = rngAt(ctx.seed, i, SALT_ASSET);
    const old = previous;
    previous = f;
    switch (f.slot.situation) {
      case "duplicate-old":
      case "dhcp-old":
        break;
      case "duplicate-new":
        if (rng.chance(0.95)) drafts.push({ asset: assetOf(rng, f.host, "reimaged"), records: old === null ? [f] : [old, f], story: "reimaged" });
        break;
      case "dhcp-current":
        if (rng.chance(0.95)) drafts.push({ asset: assetOf(rng, f.host, "dhcp-current"), records: [f], story: "dhcp-current" });
        break;
      case "twin-a":
      case "twin-b":
        drafts.push({ asset: assetOf(rng, f.host, "twin"), records: [f], story: "twin" });
        break;
      case "dhcp-trap":
        drafts.push({ asset: stranger(ctx.seed, 9_000_000 + i, f.lastIp), records: [], story: "dhcp-impostor" });
        break;
      case "single": {
        const [p, story] = singleChance(f);
        if (rng.chance(p)) drafts.push({ asset: assetOf(rng, f.host, story), records: [f], story });
      }
    }
  }
  const extras = Math.round(ctx.count * 0.08) + 2;
  for (let k = 0; k < extras; k++) drafts.push({ asset: stranger(ctx.seed, ctx.count + k), records: [], story: "unmanaged" });
  return drafts;
};

/** Scanned assets (shuffled, ids `asset-000001`…) and their truth, for a tenant's devices. */
export const scannedAssets = (ctx: MachineContext): { assets: ScannedAssetJson[]; truth: Truth } => {
  const drafts = draftsOf(ctx);
  const rng = rngAt(ctx.seed, 0, SALT_SHUFFLE);
  for (let k = drafts.length - 1; k > 0; k--) {
    const j = rng.int(k + 1);
    const a = drafts[k];
    const b = drafts[j];
    if (a !== undefined && b !== undefined) {
      drafts[k] = b;
      drafts[j] = a;
    }
  }
  const assets: ScannedAssetJson[] = [];
  const byAsset: Record<string, AssetTruth> = {};
  const byMachine: Record<string, string | null> = {};
  for (let i = 0; i < ctx.count; i++) byMachine[idAt(ctx.seed, ctx.count, i)] = null;
  drafts.forEach((d, k) => {
    const id = `asset-${String(k + 1).padStart(6, "0")}`;
    assets.push({ id, ...d.asset });
    const machineIds = d.records.map((r) => r.id);
    byAsset[id] = { assetId: id, machineIds, verdict: verdictOf(d.records), story: d.story };
    for (const m of machineIds) byMachine[m] = id;
  });
  return { assets, truth: { assets: byAsset, machines: byMachine } };
};
