/**
 * A Defender record as JSON text, in two parts: the tail (everything the machine itself
 * decides, serialised when its page is read) and the head (source, id, asset, site, match:
 * known only after correlation). Head + tail is exactly `JSON.stringify` of the
 * {@link EnrichmentRecord}, key order included.
 */
import type { EnrichmentRecord, MatchInfo } from "../../contract.js";
import type { ParsedIdentifiers } from "../../correlate/index.js";
import { attributesJson, edrState, osOf } from "./device.js";
import type { Machine } from "./machine.js";

/**
 * The record fields after `match`, as JSON text without the opening brace (`"names":[…],…}`).
 * `text` is the machine's JSON as received, when known (see `attributesJson`).
 */
export const recordTail = (m: Machine, identifiers: ParsedIdentifiers, text?: string): string => {
  const fields: Omit<EnrichmentRecord, "source" | "sourceId" | "assetId" | "siteId" | "match" | "attributes"> = {
    names: identifiers.names,
    addresses: identifiers.addresses,
    macs: identifiers.macs,
    os: osOf(m),
    firstSeen: m.firstSeen ?? null,
    lastSeen: m.lastSeen ?? null,
    edr: edrState(m),
  };
  const head = JSON.stringify(fields);
  return `${head.slice(1, -1)},"attributes":${attributesJson(m, text)}}`;
};

/** `JSON.stringify` of a record's `match`, from its three fields only: a correlation match carries more, which the record leaves out. */
const matchJson = (match: MatchInfo | null): string =>
  match === null ? "null" : `{"rule":${JSON.stringify(match.rule)},"keys":${JSON.stringify(match.keys)},"live":${match.live}}`;

/**
 * The head of a record as JSON text, from its opening brace to the comma before its
 * {@link recordTail}: head + tail is the whole record's JSON line. `match` may be a correlation
 * match as it is: only `rule`, `keys` and `live` are written.
 */
export const recordHead = (sourceId: string, assetId: string | null, siteId: string | null, match: MatchInfo | null): string =>
  `{"source":"defender365","sourceId":${JSON.stringify(sourceId)},"assetId":${JSON.stringify(assetId)},"siteId":${JSON.stringify(siteId)},"match":${matchJson(match)},`;
