/**
 * A Defender record as JSON text, in two parts: the tail (everything the machine itself
 * decides, serialised when its page is read) and the head (source, id, asset, site, match:
 * known only after correlation). Head + tail is exactly `JSON.stringify` of the
 * {@link EnrichmentRecord}, key order included.
 */
import type { EnrichmentRecord } from "../../contract.js";
import { parseHostname, type ParsedIdentifiers } from "../../correlate/index.js";
import { attributesJson, edrState, osOf } from "./device.js";
import type { Machine } from "./machine.js";

/** The record fields after `match`, as JSON text without the opening brace (`"names":[…],…}`). */
export const recordTail = (m: Machine, identifiers: ParsedIdentifiers): string => {
  const host = m.computerDnsName ? parseHostname(m.computerDnsName) : null;
  const fields: Omit<EnrichmentRecord, "source" | "sourceId" | "assetId" | "siteId" | "match" | "attributes"> = {
    names: host ? [host.fqdn ?? host.short] : [],
    addresses: identifiers.addresses,
    macs: identifiers.macs,
    os: osOf(m),
    firstSeen: m.firstSeen ?? null,
    lastSeen: m.lastSeen ?? null,
    edr: edrState(m),
  };
  const head = JSON.stringify(fields);
  return `${head.slice(1, -1)},"attributes":${attributesJson(m)}}`;
};

/** One whole record as a JSON line (no newline) from the head fields and a {@link recordTail}. */
export const recordLine = (sourceId: string, assetId: string | null, siteId: string | null, match: EnrichmentRecord["match"], tail: string): string =>
  `{"source":"defender365","sourceId":${JSON.stringify(sourceId)},"assetId":${JSON.stringify(assetId)},"siteId":${JSON.stringify(siteId)},"match":${JSON.stringify(match)},${tail}`;
