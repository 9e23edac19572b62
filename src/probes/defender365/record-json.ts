/**
 * A Defender record as JSON text, in two parts: the tail (everything the machine itself
 * decides, serialised when its page is read) and the head (source, id, asset, site, match:
 * known only after correlation). Head + tail is exactly `JSON.stringify` of the
 * `EnrichmentRecord`, key order included (the tests check it): the fields are written out
 * here in the record's order, strings through `json-text.ts`.
 */
import type { MatchInfo } from "../../contract.js";
import { quote, quoteList, quoteOrNull } from "../../records/json-text.js";
import type { ParsedIdentifiers } from "../../correlate/index.js";
import { attributesJson, edrState, osOf } from "./device.js";
import type { Machine } from "./machine.js";

/**
 * A record's tail as the parts whose concatenation is its text: the fields up to
 * `"attributes":`, the attributes' JSON, and the closing brace. The parts stay apart so that
 * the attributes, often a slice of the page as received, are copied once, into the spool.
 */
export type RecordTail = readonly [fields: string, attributes: string, end: string];

/**
 * The record fields after `match`, as JSON text without the opening brace, in parts (see
 * {@link RecordTail}). `text` is the machine's JSON as received, when known (see `attributesJson`).
 */
export const recordTail = (m: Machine, identifiers: ParsedIdentifiers, text?: string): RecordTail => [
  `"names":${quoteList(identifiers.names)},"addresses":${quoteList(identifiers.addresses)},"macs":${quoteList(identifiers.macs)},` +
    `"os":${quoteOrNull(osOf(m))},"firstSeen":${quoteOrNull(m.firstSeen ?? null)},"lastSeen":${quoteOrNull(m.lastSeen ?? null)},"edr":${quote(edrState(m))},"attributes":`,
  attributesJson(m, text),
  "}",
];

/** `JSON.stringify` of a record's `match`, from its three fields only: a correlation match carries more, which the record leaves out. */
const matchJson = (match: MatchInfo | null): string =>
  match === null ? "null" : `{"rule":${quote(match.rule)},"keys":${quoteList(match.keys)},"live":${match.live}}`;

/**
 * The head of a record as JSON text, from its opening brace to the comma before its
 * {@link recordTail}: head + tail is the whole record's JSON line. `match` may be a correlation
 * match as it is: only `rule`, `keys` and `live` are written.
 */
export const recordHead = (sourceId: string, assetId: string | null, siteId: string | null, match: MatchInfo | null): string =>
  `{"source":"defender365","sourceId":${quote(sourceId)},"assetId":${quoteOrNull(assetId)},"siteId":${quoteOrNull(siteId)},"match":${matchJson(match)},`;
