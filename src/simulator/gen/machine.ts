/**
 * Defender's record of device `i`: the machine entity of reference §3.3 with every 2023+
 * field, in wire order. A pure function of (seed, count, now, i).
 */
import { RBAC_GROUPS, TAGS } from "./catalog.js";
import { currentIp, identityAt } from "./identity.js";
import type { Identity } from "./identity.js";
import { idAt } from "./ids.js";
import { externalIpv4 } from "./net.js";
import { discoveredNics, onboardedNics } from "./nics.js";
import { rngAt } from "./rng.js";
import type { Rng } from "./rng.js";
import { slotAt } from "./slots.js";
import type { Slot } from "./slots.js";
import { DAY_MS, HOUR_MS, randomTimestamp } from "./time.js";

/** The tenant-wide inputs of every record. */
export interface MachineContext {
  readonly seed: number;
  readonly count: number;
  /** The data clock, epoch ms. */
  readonly nowMs: number;
}

/** Everything decided about record `i` before it is printed; used by the asset side too. */
export interface RecordFacts {
  readonly index: number;
  readonly id: string;
  readonly slot: Slot;
  readonly host: Identity;
  readonly onboardingStatus: string;
  readonly healthStatus: string;
  readonly firstSeenMs: number;
  readonly lastSeenMs: number;
  /** `lastIpAddress` (for a retired DHCP record: the address now used by its partner). */
  readonly lastIp: string;
}

const SALT_HEALTH = 0x4ea;
const SALT_TIME = 0x71e;
const SALT_RECORD = 0x2ec;

const onboardingOf = (rng: Rng, host: Identity): string => {
  switch (host.role) {
    case "printer":
      return rng.weighted([
        ["Unsupported", 70],
        ["InsufficientInfo", 30],
      ]);
    case "iot":
      return rng.weighted([
        ["InsufficientInfo", 50],
        ["Unsupported", 50],
      ]);
    case "unmanaged":
      return rng.weighted([
        ["CanBeOnboarded", 90],
        ["InsufficientInfo", 10],
      ]);
    default:
      return "Onboarded";
  }
};

const healthOf = (rng: Rng, slot: Slot, onboarded: boolean): string => {
  switch (slot.situation) {
    case "duplicate-old":
    case "dhcp-old":
      return "Inactive";
    case "duplicate-new":
      return rng.weighted([
        ["Active", 85],
        ["ImpairedCommunication", 15],
      ]);
    case "dhcp-trap":
    case "dhcp-current":
    case "twin-a":
    case "twin-b":
      return "Active";
    case "single":
      return onboarded
        ? rng.weighted([
            ["Active", 80],
            ["Inactive", 9],
            ["ImpairedCommunication", 4],
            ["NoSensorData", 3],
            ["NoSensorDataImpairedCommunication", 1],
            ["Unknown", 1],
          ])
        : rng.weighted([
            ["Active", 85],
            ["Inactive", 15],
          ]);
  }
};

const lastSeenAgoMs = (rng: Rng, health: string, situation: Slot["situation"]): number => {
  if (situation === "dhcp-trap") return rng.range(26, 120) * HOUR_MS + rng.int(HOUR_MS);
  switch (health) {
    case "Active":
      return rng.int(30 * HOUR_MS);
    case "Inactive":
      return rng.range(8, 120) * DAY_MS + rng.int(DAY_MS);
    case "Unknown":
      return rng.int(3 * DAY_MS);
    default:
      return rng.range(1, 6) * DAY_MS + rng.int(DAY_MS);
  }
};

/** The decided facts of record `i` (no printing). */
export const recordFacts = (ctx: MachineContext, i: number): RecordFacts => {
  const slot = slotAt(ctx.seed, ctx.count, i);
  const host = identityAt(ctx.seed, slot.identity, slot);
  const hr = rngAt(ctx.seed, i, SALT_HEALTH);
  const onboardingStatus = onboardingOf(hr, host);
  const healthStatus = healthOf(hr, slot, onboardingStatus === "Onboarded");
  const tr = rngAt(ctx.seed, i, SALT_TIME);
  let lastSeenMs = ctx.nowMs - lastSeenAgoMs(tr, healthStatus, slot.situation);
  let firstSeenMs = lastSeenMs - tr.range(10, 700) * DAY_MS - tr.int(DAY_MS);
  if (slot.situation === "duplicate-old" && slot.partner !== null) {
    // The old record stopped reporting shortly before the re-imaged host first reported.
    const newer = recordFacts(ctx, slot.partner);
    lastSeenMs = Math.min(lastSeenMs, newer.firstSeenMs - tr.range(1, 72) * HOUR_MS);
    firstSeenMs = Math.min(firstSeenMs, lastSeenMs - tr.range(30, 900) * DAY_MS);
  }
  if (slot.situation === "duplicate-new") {
    firstSeenMs = ctx.nowMs - tr.range(10, 200) * DAY_MS - tr.int(DAY_MS);
    lastSeenMs = Math.max(lastSeenMs, firstSeenMs);
  }
  if (onboardingStatus !== "Onboarded" && tr.chance(0.4)) firstSeenMs = lastSeenMs;
  const partnerSlot = slot.situation === "dhcp-old" && slot.partner !== null ? slotAt(ctx.seed, ctx.count, slot.partner) : null;
  const lastIp = partnerSlot === null ? currentIp(host) : currentIp(identityAt(ctx.seed, partnerSlot.identity, partnerSlot));
  return { index: i, id: idAt(ctx.seed, ctx.count, i), slot, host, onboardingStatus, healthStatus, firstSeenMs, lastSeenMs, lastIp };
};

const agentVersionOf = (rng: Rng, facts: RecordFacts): string | null => {
  const p = facts.host.platform;
  if (facts.onboardingStatus !== "Onboarded") return facts.onboardingStatus === "CanBeOnboarded" ? "1.1500" : null;
  if (p.family === "windows") return `10.${rng.pick(["8560", "8760", "8805"])}.${p.osBuild ?? 20348}.${rng.range(1000, 5999)}`;
  if (p.family === "linux") return `30.${rng.pick(["124052", "124082", "125012"])}.${rng.range(1, 9)}.0`;
  return `101.${rng.pick(["24042", "24062", "25012"])}.00${rng.range(10, 99)}`;
};

/** Prints record `i` as the API serves it (a fresh object each call). */
export const machineRecord = (ctx: MachineContext, i: number): Record<string, unknown> => {
  const facts = recordFacts(ctx, i);
  const { host, slot } = facts;
  const rng = rngAt(ctx.seed, i, SALT_RECORD);
  const onboarded = facts.onboardingStatus === "Onboarded";
  const windows = host.platform.family === "windows";
  const inactive = facts.healthStatus === "Inactive";
  const x86 = onboarded && windows && rng.chance(0.02);

  let mergedIntoMachineId: string | null = null;
  let isPotentialDuplication = rng.chance(0.01);
  let isExcluded = false;
  let exclusionReason: string | null = null;
  if (slot.situation === "duplicate-old" && slot.partner !== null) {
    if (rng.chance(0.4)) mergedIntoMachineId = idAt(ctx.seed, ctx.count, slot.partner);
    isPotentialDuplication = rng.chance(0.6);
    if (rng.chance(0.15)) {
      isExcluded = true;
      exclusionReason = "DuplicateDevice";
    }
  } else if (slot.situation === "duplicate-new") {
    isPotentialDuplication = rng.chance(0.4);
  } else if (inactive && rng.chance(0.05)) {
    isExcluded = true;
    exclusionReason = "InactiveDevice";
  }

  const [rbacGroupId, rbacGroupName] = onboarded ? rng.weighted(RBAC_GROUPS) : [0, null];
  const aadJoined = windows && onboarded && host.role !== "server" && host.role !== "cloud" ? rng.chance(0.7) : false;
  let ipAddresses = onboarded ? onboardedNics(ctx.seed, rng, host) : discoveredNics(host);
  if (slot.situation === "dhcp-old")
    ipAddresses = [{ ipAddress: facts.lastIp, macAddress: host.mac, type: "Ethernet", operationalStatus: "Down" }, ...ipAddresses.slice(1)];
  if (rng.chance(onboarded ? 0.03 : 0.1)) ipAddresses = [];
  const vm = host.role === "cloud";
  const lastSeen = randomTimestamp(rng, facts.lastSeenMs);
  const firstSeen = facts.firstSeenMs === facts.lastSeenMs ? lastSeen : randomTimestamp(rng, facts.firstSeenMs);

  return {
    id: facts.id,
    mergedIntoMachineId,
    isPotentialDuplication,
    isExcluded,
    exclusionReason,
    computerDnsName: host.dnsName,
    firstSeen,
    lastSeen,
    osPlatform: host.platform.osPlatform,
    osVersion: null,
    osProcessor: onboarded ? (x86 ? "x86" : "x64") : null,
    version: host.platform.version,
    lastIpAddress: facts.lastIp,
    lastExternalIpAddress: onboarded ? egressOf(rng, host) : null,
    agentVersion: agentVersionOf(rng, facts),
    osBuild: onboarded ? host.platform.osBuild : null,
    healthStatus: facts.healthStatus,
    deviceValue: rng.weighted([
      ["Normal", 92],
      ["High", 5],
      ["Low", 3],
    ]),
    rbacGroupId,
    rbacGroupName,
    riskScore: onboarded
      ? rng.weighted([
          ["None", 25],
          ["Informational", 15],
          ["Low", 25],
          ["Medium", 25],
          ["High", 10],
        ])
      : "None",
    exposureLevel: onboarded
      ? rng.weighted([
          ["None", 5],
          ["Low", 40],
          ["Medium", 45],
          ["High", 10],
        ])
      : rng.pick(["None", "Low"]),
    isAadJoined: host.platform.family === "linux" && onboarded ? null : aadJoined,
    aadDeviceId: aadJoined && rng.chance(0.95) ? rng.guid() : null,
    machineTags: onboarded ? [...rng.weighted(TAGS)] : [],
    defenderAvStatus: !onboarded
      ? "Unknown"
      : host.platform.family === "linux"
        ? "NotSupported"
        : rng.weighted([
            ["Updated", 90],
            ["Unknown", 10],
          ]),
    onboardingStatus: facts.onboardingStatus,
    osArchitecture: onboarded ? (x86 ? "32-bit" : "64-bit") : null,
    managedBy: onboarded && host.role === "laptop" && rng.chance(0.6) ? "Intune" : "Unknown",
    managedByStatus: "Unknown",
    ipAddresses,
    vmMetadata: vm ? vmMetadataOf(rng, host) : null,
  };
};

/** The public address a report reached Microsoft from: the site's NAT pool, headquarters' for a full VPN tunnel, else the household's. */
const egressOf = (rng: Rng, host: Identity): string => {
  if (host.site !== "home") return externalIpv4(rng, host.site);
  return host.fullTunnel ? externalIpv4(rng, "hq") : (host.homeEgress ?? externalIpv4(rng, "hq"));
};

const vmMetadataOf = (rng: Rng, host: Identity): Record<string, string | null> => {
  const sub = rng.guid();
  const rg = `rg-${host.shortName.split("-")[1] ?? "prod"}`;
  return {
    vmId: rng.guid(),
    cloudProvider: "Azure",
    resourceId: `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachines/${host.shortName}`,
    subscriptionId: rng.chance(0.8) ? sub : null,
  };
};
