/**
 * A record as JSON, written as UTF-8 straight into a buffer, in two parts: the tail
 * (everything the device itself decides, written to the spool when its page is read) and
 * the head (source, id, asset, site, match: known only after correlation). Head + tail is
 * exactly `JSON.stringify` of the `EnrichmentRecord`, key order included (the tests check
 * it): the fields are written out here in the record's order, strings through `JsonBytes`.
 * Each part comes with a bound of its size, for the caller to make room before writing.
 */
import type { ControlState, EnrichmentRecord, MatchInfo } from "../contract.js";
import { stringBound, stringListBound, textBound, type JsonBytes } from "../records/json-bytes.js";
import type { ParsedIdentifiers } from "../correlate/index.js";
import type { DeviceFacts } from "./source.js";

/** Bytes of the literal text in a head or a tail (keys, brackets, `null`, `false`), with room to spare: about 100 and 90. */
const LITERAL_BYTES = 160;

/**
 * The fixed text of one probe's records: its id in `source`, its control's key in
 * `controls`. Both are ids (lowercase letters, digits, `-`), so their JSON is their text.
 */
export interface RecordFormat {
  /** `{"source":"<probe id>","sourceId":` */
  readonly headOpen: string;
  /** `,"controls":{"<control id>":` */
  readonly controlsOpen: string;
  /** Bytes of the literal text of a head or a tail, with room to spare. */
  readonly literalBytes: number;
}

/** The {@link RecordFormat} of probe `source`'s records, which report control `control`. */
export const recordFormat = (source: string, control: string): RecordFormat => {
  const headOpen = `{"source":${JSON.stringify(source)},"sourceId":`;
  const controlsOpen = `,"controls":{${JSON.stringify(control)}:`;
  return { headOpen, controlsOpen, literalBytes: LITERAL_BYTES + headOpen.length + controlsOpen.length };
};

/** What a record's tail is written from (see {@link recordTail}): the record's own fields after `match`, its attributes as JSON. */
export type RecordTail = Pick<EnrichmentRecord, "names" | "addresses" | "macs" | "os" | "firstSeen" | "lastSeen"> & {
  /** The device's state for the control. */
  readonly state: ControlState;
  /** The attributes' JSON. */
  readonly attributes: string;
};

/** The fields of a record after `match`: what the source says of the device, its identifiers as correlation parsed them, its attributes as JSON. */
export const recordTail = (
  facts: Pick<DeviceFacts, "os" | "firstSeen" | "lastSeen" | "state">,
  identifiers: ParsedIdentifiers,
  attributes: string,
): RecordTail => ({
  names: identifiers.names,
  addresses: identifiers.addresses,
  macs: identifiers.macs,
  os: facts.os,
  firstSeen: facts.firstSeen,
  lastSeen: facts.lastSeen,
  state: facts.state,
  attributes,
});

/** Bytes {@link writeRecordTail} writes at most for `tail`. */
export const recordTailBound = (tail: RecordTail, format: RecordFormat): number =>
  format.literalBytes +
  stringListBound(tail.names) +
  stringListBound(tail.addresses) +
  stringListBound(tail.macs) +
  stringBound(tail.os?.length ?? 0) +
  stringBound(tail.firstSeen?.length ?? 0) +
  stringBound(tail.lastSeen?.length ?? 0) +
  stringBound(tail.state.length) +
  textBound(tail.attributes.length);

/** Writes a record's tail: its fields after `match`, without a comma before them, to the closing brace. */
export const writeRecordTail = (out: JsonBytes, tail: RecordTail, format: RecordFormat): void => {
  out.text('"names":');
  out.stringList(tail.names);
  out.text(',"addresses":');
  out.stringList(tail.addresses);
  out.text(',"macs":');
  out.stringList(tail.macs);
  out.text(',"os":');
  out.stringOrNull(tail.os);
  out.text(',"firstSeen":');
  out.stringOrNull(tail.firstSeen);
  out.text(',"lastSeen":');
  out.stringOrNull(tail.lastSeen);
  out.text(format.controlsOpen);
  out.string(tail.state);
  out.text('},"attributes":');
  out.text(tail.attributes);
  out.text("}");
};

/** Bytes {@link writeRecordHead} writes at most for these fields. */
export const recordHeadBound = (format: RecordFormat, sourceId: string, assetId: string | null, siteId: string | null, match: MatchInfo | null): number =>
  format.literalBytes +
  stringBound(sourceId.length) +
  stringBound(assetId?.length ?? 0) +
  stringBound(siteId?.length ?? 0) +
  (match === null ? 0 : stringBound(match.rule.length) + stringListBound(match.keys));

/**
 * Writes the head of a record, from its opening brace to the comma before its tail: head +
 * tail is the whole record's JSON line. `match` may be a correlation match as it is: only
 * `rule`, `keys` and `live` are written.
 */
export const writeRecordHead = (
  out: JsonBytes,
  format: RecordFormat,
  sourceId: string,
  assetId: string | null,
  siteId: string | null,
  match: MatchInfo | null,
): void => {
  out.text(format.headOpen);
  out.string(sourceId);
  out.text(',"assetId":');
  out.stringOrNull(assetId);
  out.text(',"siteId":');
  out.stringOrNull(siteId);
  out.text(',"match":');
  if (match === null) out.text("null");
  else {
    out.text('{"rule":');
    out.string(match.rule);
    out.text(',"keys":');
    out.stringList(match.keys);
    out.text(match.live ? ',"live":true}' : ',"live":false}');
  }
  out.text(",");
};
