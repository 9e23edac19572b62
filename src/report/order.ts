/**
 * Sort keys for listed assets: addresses in numeric order (10.0.0.9 before 10.0.0.10),
 * IPv4 before IPv6, assets without an address last.
 */
import ipaddr from "ipaddr.js";

const hex = (bytes: readonly number[]): string => bytes.map((b) => b.toString(16).padStart(2, "0")).join("");

/** A string key that sorts addresses numerically; `undefined` (no address) sorts after every address. */
export const addressSortKey = (address: string | undefined): string => {
  if (address === undefined) return "9";
  try {
    const parsed = ipaddr.parse(address);
    return parsed.kind() === "ipv4" ? `4${hex(parsed.toByteArray())}` : `6${hex(parsed.toByteArray())}`;
  } catch {
    return `8${address}`;
  }
};
