/**
 * Pure reading of one Defender machine: its sensor state, the evidence correlation needs,
 * and the fields of its enrichment record.
 */
import type { ControlState } from "../../contract.js";
import type { SourceDevice } from "../../correlate/types.js";
import { KNOWN_VPN_MACS } from "../../correlate/known-shared.js";
import { parseMac } from "../../correlate/mac.js";
import type { Machine } from "./machine.js";

/** True when a Defender sensor is installed (not merely discovered on the network). */
export const isOnboarded = (m: Machine): boolean => m.onboardingStatus === "Onboarded";

/** `protected`: onboarded and Active; `unhealthy`: onboarded, any other health; `not-onboarded`: discovered only. */
export const edrState = (m: Machine): ControlState => (!isOnboarded(m) ? "not-onboarded" : m.healthStatus === "Active" ? "protected" : "unhealthy");

/** Inactive: no signal for 7 days (left out unless `includeInactive`). */
export const isInactive = (m: Machine): boolean => m.healthStatus === "Inactive";

/**
 * Every raw MAC and IP the machine reports (`ipAddresses[]` plus `lastIpAddress`), each
 * spelling once, in first-seen order: an adapter's MAC repeats for each of its addresses, and
 * `lastIpAddress` is usually one of them (correlation would drop the repeats after parsing each).
 * Also the addresses of adapters that were up and carry a VPN or dial-up tunnel (type `Ppp`, or a
 * VPN client's fixed MAC): they say the device sat on the network behind the tunnel, and its other
 * addresses belong to wherever it was (a home router's range). Type `Tunnel` (ISATAP, Teredo,
 * 6to4) says nothing of where it sat.
 */
const rawIdentifiers = (m: Machine): { macs: string[]; addresses: string[]; tunnelAddresses: string[] } => {
  const macs: string[] = [];
  const addresses: string[] = [];
  const tunnelAddresses: string[] = [];
  for (const entry of m.ipAddresses ?? []) {
    if (entry.macAddress && !macs.includes(entry.macAddress)) macs.push(entry.macAddress);
    if (!entry.ipAddress) continue;
    addresses.push(entry.ipAddress);
    if (entry.operationalStatus === "Up" && (entry.type === "Ppp" || (entry.macAddress && KNOWN_VPN_MACS.has(parseMac(entry.macAddress) ?? ""))))
      tunnelAddresses.push(entry.ipAddress);
  }
  if (m.lastIpAddress && !addresses.includes(m.lastIpAddress)) addresses.push(m.lastIpAddress);
  return { macs, addresses, tunnelAddresses };
};

/** The evidence correlation uses. */
export const toSourceDevice = (m: Machine): SourceDevice => sourceDeviceWithId(m, m.id);

/** {@link toSourceDevice} with `id`: `m.id`, or an equal string instance the caller already keeps. */
export const sourceDeviceWithId = (m: Machine, id: string): SourceDevice => {
  const { macs, addresses, tunnelAddresses } = rawIdentifiers(m);
  return {
    id,
    names: m.computerDnsName ? [m.computerDnsName] : [],
    macs,
    addresses,
    egress: m.lastExternalIpAddress ? [m.lastExternalIpAddress] : [],
    tunnelAddresses,
    lastSeen: m.lastSeen ?? null,
    mergedIntoId: m.mergedIntoMachineId ?? null,
    potentialDuplicate: m.isPotentialDuplication === true,
    os: m.osPlatform ?? null,
  };
};

/** True for an OS part worth printing: a non-empty string other than `Other`. */
const isOsPart = (part: string | null | undefined): part is string => typeof part === "string" && part.length > 0 && part !== "Other";

/** The OS as one string: `Windows11 23H2`, `Ubuntu 20.4`. */
export const osOf = (m: Machine): string | null => {
  const platform = isOsPart(m.osPlatform) ? m.osPlatform : null;
  const version = isOsPart(m.version) ? m.version : null;
  if (platform !== null && version !== null) return `${platform} ${version}`;
  return platform ?? version ?? m.osPlatform ?? null;
};
