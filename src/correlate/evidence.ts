/**
 * The canonical keys of one device record or asset: raw identifiers parsed (noise dropped),
 * deduplicated. Internal to correlation.
 */
import { parseHostname } from "./hostname.js";
import { parseIp } from "./ip.js";
import { parseMac } from "./mac.js";
import { osFamilyOf, type OsFamily } from "./os-family.js";

/** Canonical keys, each list without repeats. */
export interface Evidence {
  /** Each usable name as a record prints it: the FQDN, or the short name when it has no dot. */
  readonly names: readonly string[];
  readonly macs: readonly string[];
  readonly ips: readonly string[];
  /** Full names (with a dot). */
  readonly fqdns: readonly string[];
  /** First labels of every name, FQDN or not. */
  readonly shorts: readonly string[];
  /** The OS family, when the source says and it is recognisable. */
  readonly os: OsFamily | null;
}

/** Appends `value` unless null or already there (lists are short: one device's identifiers). */
function push(into: string[], value: string | null): void {
  if (value !== null && !into.includes(value)) into.push(value);
}

/** Parses raw identifiers into evidence. Unparseable values and noise are dropped. */
export function evidenceOf(
  names: readonly string[] | undefined,
  macs: readonly string[] | undefined,
  addresses: readonly string[] | undefined,
  os?: string | null,
): Evidence {
  const printed: string[] = [];
  const fqdns: string[] = [];
  const shorts: string[] = [];
  for (const name of names ?? []) {
    const parsed = parseHostname(name);
    if (parsed === null) continue;
    push(printed, parsed.fqdn ?? parsed.short);
    push(fqdns, parsed.fqdn);
    push(shorts, parsed.short);
  }
  const macList: string[] = [];
  for (const mac of macs ?? []) push(macList, parseMac(mac));
  const ips: string[] = [];
  for (const address of addresses ?? []) push(ips, parseIp(address));
  return { names: printed, macs: macList, ips, fqdns, shorts, os: osFamilyOf(os) };
}
