/**
 * The canonical keys of one device record or asset: raw identifiers parsed (noise dropped),
 * deduplicated. Internal to correlation.
 */
import { parseHostname } from "./hostname.js";
import { parseIp } from "./ip.js";
import { parseMac } from "./mac.js";

/** Canonical keys, each list without repeats. */
export interface Evidence {
  readonly macs: readonly string[];
  readonly ips: readonly string[];
  /** Full names (with a dot). */
  readonly fqdns: readonly string[];
  /** First labels of every name, FQDN or not. */
  readonly shorts: readonly string[];
}

/** Adds the non-null values of `values` to `into`. */
function addAll(into: Set<string>, values: Iterable<string | null>): void {
  for (const value of values) if (value !== null) into.add(value);
}

/** Parses raw identifiers into evidence. Unparseable values and noise are dropped. */
export function evidenceOf(names: readonly string[] | undefined, macs: readonly string[] | undefined, addresses: readonly string[] | undefined): Evidence {
  const fqdns = new Set<string>();
  const shorts = new Set<string>();
  for (const name of names ?? []) {
    const parsed = parseHostname(name);
    if (parsed === null) continue;
    if (parsed.fqdn !== null) fqdns.add(parsed.fqdn);
    shorts.add(parsed.short);
  }
  const macSet = new Set<string>();
  addAll(macSet, (macs ?? []).map(parseMac));
  const ipSet = new Set<string>();
  addAll(ipSet, (addresses ?? []).map(parseIp));
  return { macs: [...macSet], ips: [...ipSet], fqdns: [...fqdns], shorts: [...shorts] };
}

/** The union of several evidences (a physical device made of several records). */
export function mergeEvidence(parts: readonly Evidence[]): Evidence {
  if (parts.length === 1 && parts[0] !== undefined) return parts[0];
  const macs = new Set<string>();
  const ips = new Set<string>();
  const fqdns = new Set<string>();
  const shorts = new Set<string>();
  for (const part of parts) {
    addAll(macs, part.macs);
    addAll(ips, part.ips);
    addAll(fqdns, part.fqdns);
    addAll(shorts, part.shorts);
  }
  return { macs: [...macs], ips: [...ips], fqdns: [...fqdns], shorts: [...shorts] };
}

/** True when the two lists have a value in common (lists are short: a device's MACs or names). */
export function intersects(a: readonly string[], b: readonly string[]): boolean {
  return a.some((value) => b.includes(value));
}
