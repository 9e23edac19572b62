/**
 * Pure reading of one Falcon host: its EDR state, whether it is inactive, the evidence
 * correlation needs, and its OS.
 */
import type { ControlState } from "../../contract.js";
import type { SourceDevice } from "../../correlate/types.js";
import type { FalconItem, Host } from "./host.js";

/** `last_seen` in epoch ms, or NaN when absent or unreadable. */
const lastSeenMs = (host: Host): number => (typeof host.last_seen === "string" ? Date.parse(host.last_seen) : Number.NaN);

/** True when the sensor has reported since `staleBefore`. A host without a readable `last_seen` has not. */
export const isReporting = ({ host, staleBefore }: FalconItem): boolean => lastSeenMs(host) >= staleBefore;

/** Inactive: a `last_seen` older than the run's `inactiveAfterDays` (an absent one says nothing of age). */
export const isInactive = ({ host, staleBefore }: FalconItem): boolean => lastSeenMs(host) < staleBefore;

/**
 * `protected`: reporting within `inactiveAfterDays`, not in reduced functionality mode, status
 * `normal`; `unhealthy`: anything else (reduced functionality mode, contained or any other
 * status, stale or no `last_seen`). A host Falcon lists has its sensor: never `not-onboarded`.
 */
export const edrState = (item: FalconItem): ControlState => {
  const { host } = item;
  const rfm = (host.reduced_functionality_mode ?? "").toLowerCase() === "yes";
  const normal = (host.status ?? "normal").toLowerCase() === "normal";
  return isReporting(item) && !rfm && normal ? "protected" : "unhealthy";
};

/** A non-empty string, or null. */
const present = (value: string | null | undefined): string | null => (typeof value === "string" && value.trim() !== "" ? value.trim() : null);

/**
 * The host's names: `hostname`, and `hostname.machine_domain` when the host name is short and
 * the domain is a DNS name (has a dot: a NetBIOS-style `CORP` is not one).
 */
export const namesOf = (host: Host): string[] => {
  const name = present(host.hostname);
  if (name === null) return [];
  const domain = present(host.machine_domain)?.replace(/\.$/, "") ?? null;
  if (domain !== null && !name.includes(".") && domain.includes(".") && /^[A-Za-z0-9.-]+$/.test(domain)) return [name, `${name}.${domain}`];
  return [name];
};

/** Each value present, once, in order. */
const distinct = (...values: (string | null | undefined)[]): string[] => [...new Set(values.map(present).filter((v): v is string => v !== null))];

/** The evidence correlation uses; `id` is the host's `device_id` (the string the pipeline keeps). */
export const sourceDeviceOf = (host: Host, id: string): SourceDevice => ({
  id,
  names: namesOf(host),
  macs: distinct(host.mac_address, host.connection_mac_address),
  addresses: distinct(host.local_ip, host.connection_ip),
  egress: distinct(host.external_ip),
  lastSeen: present(host.last_seen),
  mergedIntoId: null,
  potentialDuplicate: false,
  os: osOf(host),
});

/** The OS as one string: `os_product_name` (`Windows Server 2022 Datacenter`), else `os_version`, else `platform_name`. */
export const osOf = (host: Host): string | null => present(host.os_product_name) ?? present(host.os_version) ?? present(host.platform_name);
