/**
 * The identifiers readable in a Falcon host that failed decoding (see `sync/undecodable.ts`):
 * its host name, IPs and MACs. A field that is there but not a string makes the host
 * unreadable: it could be any asset's.
 */
import type { InvalidItemIdentifiers } from "../../sync/source.js";
import { isRawFalconItem } from "./host.js";

const NAME_FIELDS = ["hostname"] as const;
const ADDRESS_FIELDS = ["local_ip", "connection_ip"] as const;
const MAC_FIELDS = ["mac_address", "connection_mac_address"] as const;

/** The identifiers of a host that failed decoding (as a page handed it over, or the host itself), or null when they cannot be read. */
export const identifiersOfInvalidHost = (raw: unknown): InvalidItemIdentifiers | null => {
  const host = isRawFalconItem(raw) ? raw.host : raw;
  if (typeof host !== "object" || host === null || Array.isArray(host)) return null;
  const fields = host as Readonly<Record<string, unknown>>;
  const read = (keys: readonly string[]): string[] | null => {
    const out: string[] = [];
    for (const key of keys) {
      const value = Object.hasOwn(fields, key) ? fields[key] : undefined;
      if (value === undefined || value === null || value === "") continue;
      if (typeof value !== "string") return null;
      out.push(value);
    }
    return out;
  };
  const names = read(NAME_FIELDS);
  const addresses = read(ADDRESS_FIELDS);
  const macs = read(MAC_FIELDS);
  return names === null || addresses === null || macs === null ? null : { names, addresses, macs };
};
