/**
 * The scanner's view of a generated tenant: about one asset per device on the scanned
 * networks, spelled the way a scanner sees it, plus hosts Defender does not know and the
 * traps (DHCP impostors, same short name in two domains), with their ground truth.
 *
 * The scanner sits at headquarters: it sees MACs there on the subnets it shares (70 %), and
 * none across the routers to the two branch offices, the VPN pool or the cloud VNet. Every
 * asset says which of those it was found in (`site`). Names come as a scanner finds them:
 * reverse DNS (often under the internal suffix `contoso.local` where Defender reports the AD
 * FQDN: split DNS) and NetBIOS (the short name upper-cased, cut at 15 characters).
 */
import { OUI } from "./catalog.js";
import type { Identity } from "./identity.js";
import { idAt } from "./ids.js";
import { recordFacts } from "./machine.js";
import type { MachineContext, RecordFacts } from "./machine.js";
import { branchIpv4, lanIpv4, macFor, smallOfficeIpv4 } from "./net.js";
import type { ScannedSite } from "./net.js";
import { rngAt } from "./rng.js";
import type { Rng } from "./rng.js";
import { spellIpv4Mapped, spellIpv6, spellMac, spellName } from "./spelling.js";
import { verdictOf } from "./truth.js";
import type { AssetClass, AssetStory, AssetTruth, DeviceClass, ScannedAssetJson, Truth } from "./truth.js";

const SALT_ASSET = 0xa55;
const SALT_SHUFFLE = 0x5f1;
const SALT_STRANGER = 0x57a;
const SALT_SCAN = 0x5ca;

/** The internal DNS suffix reverse lookups answer under (split DNS). */
export const INTERNAL_SUFFIX = "contoso.local";

interface Draft {
  readonly asset: Omit<ScannedAssetJson, "id">;
  readonly records: readonly RecordFacts[];
  readonly story: AssetStory;
}

/** Where the scanner found `host`: its site, or the VPN pool for a remote laptop. */
const scannedSiteOf = (host: Identity): ScannedSite => (host.site === "home" ? "vpn" : host.site);

const addressesOf = (rng: Rng, host: Identity): string[] => {
  if (host.remote && host.vpnIp !== null) return [host.vpnIp];
  const r = rng.next();
  if (r < 0.05) return [spellIpv4Mapped(rng, host.lanIp)];
  if (host.ipv6 !== null && r < 0.09) return [spellIpv6(rng, host.ipv6)];
  if (host.ipv6 !== null && r < 0.2) return [host.lanIp, spellIpv6(rng, host.ipv6)];
  return [host.lanIp];
};

/**
 * The FQDN reverse DNS answers for `host`: the AD FQDN, or the same short name under the
 * internal suffix (split DNS; most answers in the branches, some at headquarters). `scan` draws it.
 */
const reverseName = (scan: Rng, host: Identity, fqdn: string): string => {
  const split = host.site === "branch-a" || host.site === "branch-b" ? 0.7 : host.site === "hq" ? 0.2 : 0;
  return scan.chance(split) ? `${host.shortName}.${INTERNAL_SUFFIX}` : fqdn;
};

const namesOf = (rng: Rng, scan: Rng, host: Identity, story: AssetStory): string[] => {
  const netbios = host.shortName.toUpperCase().slice(0, 15);
  if (story === "twin") return [rng.chance(0.5) && host.fqdn !== null ? spellName(rng, host.fqdn, true) : netbios];
  if (host.fqdn === null) return rng.chance(0.7) ? [spellName(rng, host.shortName, false)] : [];
  if (story === "vpn" || story === "cloud") return rng.chance(0.8) ? [spellName(rng, host.fqdn, true)] : [];
  const fqdn = reverseName(scan, host, host.fqdn);
  return rng.weighted<string[]>([
    [[spellName(rng, fqdn, true)], 50],
    [[spellName(rng, fqdn, true), netbios], 25],
    [[netbios], 15],
    [[], 10],
  ]);
};

/** The classes of a scanned asset of `host` named `names` (see `AssetClass`). */
const classesOf = (site: string, host: Identity | null, names: readonly string[]): AssetClass[] => {
  const classes: AssetClass[] = [site === "branch-a" || site === "branch-b" ? "branch" : site === "vpn" || site === "cloud" ? site : "hq"];
  if (host === null) return classes;
  const netbios = host.shortName.toUpperCase().slice(0, 15);
  if (names.includes(netbios)) classes.push(host.shortName.length > 15 ? "netbios-truncated" : "netbios");
  if (names.some((name) => name.toLowerCase().replace(/\.$/, "").endsWith(`.${INTERNAL_SUFFIX}`))) classes.push("split-dns");
  return classes;
};

const assetOf = (rng: Rng, host: Identity, story: AssetStory, index: number, seed: number): Omit<ScannedAssetJson, "id"> => {
  const scan = rngAt(seed, index, SALT_SCAN);
  const site = scannedSiteOf(host);
  const sameL2 = site === "hq" && rng.chance(0.7);
  const names = namesOf(rng, scan, host, story);
  const os = host.platform.scanOs !== null && rng.chance(0.7) ? host.platform.scanOs : null;
  return {
    addresses: addressesOf(rng, host),
    ...(sameL2 ? { macs: [spellMac(rng, host.mac)] } : {}),
    ...(names.length > 0 ? { names } : {}),
    ...(os !== null ? { os } : {}),
    site,
  };
};

/**
 * A host Defender has never seen, at `ip` in headquarters when given, else in a site drawn for
 * it: headquarters, or a branch, where extra `k` (of the extras) sits in the small-office
 * subnets home routers use too while they have room.
 */
const stranger = (seed: number, n: number, ip?: string, k?: number): Omit<ScannedAssetJson, "id"> => {
  const rng = rngAt(seed, n, SALT_STRANGER);
  const where = rngAt(seed, n, SALT_SCAN);
  const site =
    ip !== undefined
      ? "hq"
      : where.weighted<"hq" | "branch-a" | "branch-b">([
          ["hq", 50],
          ["branch-a", 25],
          ["branch-b", 25],
        ]);
  const small = site !== "hq" && k !== undefined && where.chance(0.6) ? smallOfficeIpv4(site, k) : null;
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
  const seesMac = rng.chance(0.8) && site === "hq";
  return {
    addresses: [ip ?? small ?? (site === "hq" ? lanIpv4(n) : branchIpv4(site, n))],
    ...(seesMac ? { macs: [spellMac(rng, mac)] } : {}),
    ...(rng.chance(0.6) ? { names: [spellName(rng, name, true)] } : {}),
    ...(rng.chance(0.5) ? { os } : {}),
    site,
  };
};

const singleChance = (f: RecordFacts): [number, AssetStory] => {
  if (f.onboardingStatus !== "Onboarded") return [0.85, "discovered"];
  if (f.host.role === "cloud") return [0.15, "cloud"];
  if (f.host.remote) return [f.host.tunnel === null ? 0 : 0.5, "vpn"];
  if (f.healthStatus === "Inactive") return [0.25, "managed"];
  return [0.9, "managed"];
};

/** The class of where a device's host sits (see `DeviceClass`). */
const whereClass = (host: Identity): DeviceClass => {
  if (host.site === "home") return host.tunnel === null ? "home" : "vpn";
  return host.site === "branch-a" || host.site === "branch-b" ? "branch" : host.site;
};

/** One asset draft per scanned device, for devices 0..count-1, and where each device's host sits. */
const draftsOf = (ctx: MachineContext): { drafts: Draft[]; where: DeviceClass[] } => {
  const drafts: Draft[] = [];
  const where: DeviceClass[] = [];
  let previous: RecordFacts | null = null;
  for (let i = 0; i < ctx.count; i++) {
    const f = recordFacts(ctx, i);
    const rng = rngAt(ctx.seed, i, SALT_ASSET);
    const old = previous;
    previous = f;
    where.push(whereClass(f.host));
    const scanned = !(f.host.remote && f.host.tunnel === null); // at home without VPN: no scanner reaches it
    const asset = (story: AssetStory): Omit<ScannedAssetJson, "id"> => assetOf(rng, f.host, story, i, ctx.seed);
    switch (f.slot.situation) {
      case "duplicate-old":
      case "dhcp-old":
        break;
      case "duplicate-new":
        if (rng.chance(0.95) && scanned) drafts.push({ asset: asset("reimaged"), records: old === null ? [f] : [old, f], story: "reimaged" });
        break;
      case "dhcp-current":
        if (rng.chance(0.95) && scanned) drafts.push({ asset: asset("dhcp-current"), records: [f], story: "dhcp-current" });
        break;
      case "twin-a":
      case "twin-b":
        drafts.push({ asset: asset("twin"), records: [f], story: "twin" });
        break;
      case "dhcp-trap":
        drafts.push({ asset: stranger(ctx.seed, 9_000_000 + i, f.lastIp), records: [], story: "dhcp-impostor" });
        break;
      case "single": {
        const [p, story] = singleChance(f);
        if (rng.chance(p) && scanned) drafts.push({ asset: asset(story), records: [f], story });
      }
    }
  }
  const extras = Math.round(ctx.count * 0.08) + 2;
  for (let k = 0; k < extras; k++) drafts.push({ asset: stranger(ctx.seed, ctx.count + k, undefined, k), records: [], story: "unmanaged" });
  return { drafts, where };
};

/** Scanned assets (shuffled, ids `asset-000001`…) and their truth, for a tenant's devices. */
export const scannedAssets = (ctx: MachineContext): { assets: ScannedAssetJson[]; truth: Truth } => {
  const { drafts, where } = draftsOf(ctx);
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
  const machineClasses: Record<string, DeviceClass[]> = {};
  for (let i = 0; i < ctx.count; i++) {
    const id = idAt(ctx.seed, ctx.count, i);
    byMachine[id] = null;
    machineClasses[id] = [where[i] ?? "hq"];
  }
  drafts.forEach((d, k) => {
    const id = `asset-${String(k + 1).padStart(6, "0")}`;
    assets.push({ id, ...d.asset });
    const machineIds = d.records.map((r) => r.id);
    const host = d.records[d.records.length - 1]?.host ?? null;
    const classes = classesOf(d.asset.site ?? "hq", host, d.asset.names ?? []);
    byAsset[id] = { assetId: id, machineIds, verdict: verdictOf(d.records), story: d.story, classes };
    for (const m of machineIds) {
      byMachine[m] = id;
      machineClasses[m]?.push(...classes.filter((c): c is DeviceClass & AssetClass => c === "netbios" || c === "netbios-truncated" || c === "split-dns"));
    }
  });
  return { assets, truth: { assets: byAsset, machines: byMachine, machineClasses } };
};
