/**
 * The identifiers readable in a Defender machine that failed decoding (see
 * `sync/undecodable.ts`): its host name, its last IP and each adapter's IP and MAC, read one
 * level deep. A field that is there but not what Defender documents (a number for a name, a
 * string for the adapter list, not an object at all) makes the machine unreadable: it could
 * be any asset's.
 */
import type { InvalidItemIdentifiers } from "../../sync/source.js";

/** An own field of `fields` (never one inherited: `__proto__` in JSON is an own key). */
const own = (fields: Readonly<Record<string, unknown>>, key: string): unknown => (Object.hasOwn(fields, key) ? fields[key] : undefined);

/** Adds `value` to `into` when it is a string; false when it is there but not a string (unreadable). */
const take = (into: string[], value: unknown): boolean => {
  if (value === undefined || value === null) return true;
  if (typeof value !== "string") return false;
  into.push(value);
  return true;
};

/** The identifiers of a machine that failed decoding, or null when they cannot be read. */
export const identifiersOfInvalidMachine = (item: unknown): InvalidItemIdentifiers | null => {
  if (typeof item !== "object" || item === null || Array.isArray(item)) return null;
  const fields = item as Readonly<Record<string, unknown>>;
  const names: string[] = [];
  const addresses: string[] = [];
  const macs: string[] = [];
  if (!take(names, own(fields, "computerDnsName")) || !take(addresses, own(fields, "lastIpAddress"))) return null;
  const list = own(fields, "ipAddresses");
  if (list === undefined || list === null) return { names, addresses, macs };
  if (!Array.isArray(list)) return null;
  for (const entry of list as unknown[]) {
    if (typeof entry !== "object" || entry === null) return null;
    const adapter = entry as Readonly<Record<string, unknown>>;
    if (!take(addresses, own(adapter, "ipAddress")) || !take(macs, own(adapter, "macAddress"))) return null;
  }
  return { names, addresses, macs };
};
