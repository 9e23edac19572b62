/**
 * Enrichment: the devices a run kept plus correlation's decisions become records (streamed
 * to the run's sink from the spool) and a coverage verdict for every scanned asset, for the
 * control the probe measures.
 */
import type { CoverageStatus, ControlState } from "../contract.js";
import type { ProbeError } from "../engine/errors.js";
import type { ScannedAsset } from "../engine/assets.js";
import type { CorrelationResult } from "../correlate/types.js";
import { recordSinkError, type RecordWriter } from "../records/writer.js";
import { spoolReadError } from "../records/spool.js";
import type { DeviceIngest } from "./ingest.js";
import { recordHeadBound, writeRecordHead, type RecordFormat } from "./record-json.js";
import { LINE_FEED } from "../util/char-codes.js";

/** What writing the records needs to know about the run. */
export interface EnrichSettings {
  /** Site of new assets (the scan's in probe mode, the option's in connector mode). */
  readonly siteId: string | null;
  /** Leave out devices that match no scanned asset. */
  readonly excludeUnknown: boolean;
  /** The probe's record text. */
  readonly format: RecordFormat;
}

/** The record counts of one enrichment. */
export interface RecordCounts {
  readonly matched: number;
  readonly created: number;
  readonly unknownSkipped: number;
}

const RANK: Record<CoverageStatus, number> = { protected: 3, unhealthy: 2, missing: 1, unknown: 0 };

/**
 * The coverage of one asset from the sensor states of the devices matched to it: the best of
 * them (`protected` > `unhealthy` > `missing`). Discovered-only devices are not protection.
 * In an incomplete run anything short of `protected` is `unknown`: an unread page may hold
 * the asset's healthy sensor.
 */
export const coverageOf = (matched: readonly ControlState[], complete: boolean): CoverageStatus => {
  let best: CoverageStatus = "missing";
  for (const state of matched) {
    const status: CoverageStatus = state === "not-onboarded" ? "missing" : state;
    if (RANK[status] > RANK[best]) best = status;
  }
  return best === "protected" || complete ? best : "unknown";
};

/**
 * The verdict an incomplete run gives for `status`, a complete run's verdict from the same
 * matches: `protected` stays, anything else is `unknown` (as {@link coverageOf} decides).
 */
export const asIncomplete = (status: CoverageStatus): CoverageStatus => (status === "protected" ? "protected" : "unknown");

/**
 * An empty table keyed by asset id, without a prototype: the ids are the scan's strings, and
 * an id `__proto__` or `toString` must be a key like any other (on a plain object the first
 * would set the prototype and vanish, the second would read as a verdict for an asset not in
 * the table). `JSON.stringify` writes it as any object.
 */
export const verdictTable = <V>(): Record<string, V> => Object.create(null) as Record<string, V>;

/** The zero tally. */
const noVerdicts = (): Record<CoverageStatus, number> => ({ protected: 0, unhealthy: 0, missing: 0, unknown: 0 });

/** Verdicts by their one-byte code (a verdict's code is its index here). */
const STATUS_OF_CODE: readonly CoverageStatus[] = ["missing", "unhealthy", "protected", "unknown"];
const CODE_OF_STATUS: Readonly<Record<CoverageStatus, number>> = { missing: 0, unhealthy: 1, protected: 2, unknown: 3 };

/**
 * The coverage of every scanned asset, and how many assets have each status. The verdicts are
 * kept by asset position, one byte each; `byAsset` (asset id → verdict) is made from them
 * when first read, and kept. Keying a large table by a million ids costs seconds (V8 enters
 * each id among its property names); a run pays that only when its table is read.
 */
export interface Coverage {
  /** Asset id → verdict, in the order of the assets (an id listed twice: once, where it first appears, with its last verdict). */
  readonly byAsset: Record<string, CoverageStatus>;
  readonly tally: Record<CoverageStatus, number>;
  /** Assets `unknown` only because a device that failed decoding could be theirs (see `undecodable.ts`); 0 in an incomplete run. */
  readonly unknownFromInvalid: number;
  /** The verdict of the asset at each position, as its code (see {@link STATUS_OF_CODE}). */
  readonly codes: Uint8Array;
  /** True when the assets list an id more than once. */
  readonly repeats: boolean;
  /**
   * The assets' ids by position, as they were when the coverage was worked out: the table made
   * later names them, whatever becomes of the caller's list meanwhile.
   */
  readonly ids: readonly string[];
}

/** The verdict table of the assets with `ids` from their codes by position (see {@link Coverage.byAsset}). */
const tableOf = (ids: readonly string[], codes: Uint8Array): Record<string, CoverageStatus> => {
  const byAsset = verdictTable<CoverageStatus>();
  for (let a = 0; a < ids.length; a++) byAsset[ids[a] as string] = STATUS_OF_CODE[codes[a] ?? 0] as CoverageStatus;
  return byAsset;
};

/**
 * The tally of the verdicts `codes` of the assets with `ids`, each id counted once, with its
 * last verdict. Ids are looked up only when the list repeats one (`repeats`), which a scan seldom does.
 */
const tallyOf = (ids: readonly string[], codes: Uint8Array, repeats: boolean): Record<CoverageStatus, number> => {
  const tally = noVerdicts();
  if (!repeats) {
    for (let a = 0; a < codes.length; a++) tally[STATUS_OF_CODE[codes[a] ?? 0] as CoverageStatus] += 1;
    return tally;
  }
  const last = new Map<string, number>();
  for (let a = 0; a < ids.length; a++) last.set(ids[a] as string, codes[a] ?? 0);
  for (const code of last.values()) tally[STATUS_OF_CODE[code] as CoverageStatus] += 1;
  return tally;
};

/** A {@link Coverage} of the assets with `ids` from their verdict codes; its table is made on first read. */
const coverageFrom = (ids: readonly string[], codes: Uint8Array, repeats: boolean, unknownFromInvalid: number): Coverage => {
  let byAsset: Record<string, CoverageStatus> | undefined;
  const tally = tallyOf(ids, codes, repeats);
  return {
    get byAsset() {
      byAsset ??= tableOf(ids, codes);
      return byAsset;
    },
    tally,
    unknownFromInvalid,
    codes,
    repeats,
    ids,
  };
};

/** `coverage` with every verdict as an incomplete run gives it ({@link asIncomplete}), the tally counted again. */
export const coverageAsIncomplete = (coverage: Coverage): Coverage => {
  const codes = coverage.codes.map((code) => CODE_OF_STATUS[asIncomplete(STATUS_OF_CODE[code] as CoverageStatus)]);
  return coverageFrom(coverage.ids, codes, coverage.repeats, 0);
};

/**
 * Assets given their coverage between two pauses of {@link coverageByAsset}: a few
 * milliseconds, so that records being written at the same time wait little for it.
 */
export const ASSETS_PER_PAUSE = 5_000;

/**
 * The coverage of every scanned asset in `assets`, the list `correlation` was made with (or,
 * for a run that correlated nothing, any list: no asset then has a match); `stateOfRecord` gives
 * the control state of a device record by number. Awaits `pause()` every
 * {@link ASSETS_PER_PAUSE} assets, so that the event loop turns. `couldBeUndecodable` tells an
 * asset that a device which failed decoding could be (see `undecodable.ts`): in a complete
 * run, such an asset's verdict short of `protected` is `unknown`.
 */
export const coverageByAsset = async (
  assets: readonly ScannedAsset[],
  correlation: CorrelationResult,
  stateOfRecord: (record: number) => ControlState | undefined,
  complete: boolean,
  pause: () => Promise<void> = () => Promise.resolve(),
  couldBeUndecodable: (asset: ScannedAsset) => boolean = () => false,
): Promise<Coverage> => {
  let unknownFromInvalid = 0;
  const { recordsOfAsset, repeatsAnEarlierAsset } = correlation.positions;
  const codes = new Uint8Array(assets.length);
  const states: ControlState[] = [];
  for (let a = 0; a < assets.length; a++) {
    if (a > 0 && a % ASSETS_PER_PAUSE === 0) await pause();
    const asset = assets[a] as ScannedAsset;
    states.length = 0;
    for (const record of recordsOfAsset(a)) {
      const state = stateOfRecord(record);
      if (state !== undefined) states.push(state);
    }
    let status = coverageOf(states, complete);
    if (complete && status !== "protected" && couldBeUndecodable(asset)) {
      status = asIncomplete(status); // its sensor may be the device that could not be read
      if (!repeatsAnEarlierAsset(a)) unknownFromInvalid += 1;
    }
    codes[a] = CODE_OF_STATUS[status];
  }
  // The correlation counts each id once: fewer than the positions means a repeat (a run that correlated nothing
  // counted none, and its tally then goes by id).
  const repeats = correlation.summary.assets !== assets.length;
  return coverageFrom(
    assets.map((asset) => asset.id),
    codes,
    repeats,
    unknownFromInvalid,
  );
};

/**
 * Writes one record per kept device, in the order read, through `writer`: matched ones with
 * their asset and match, the others as new assets in `siteId`, or left out under
 * `excludeUnknown`. Stops at the first failure (returned, with the counts of what was
 * written). A cancelled run still writes every record: the signal only ends the reading of pages.
 */
export const writeRecords = async <Item>(
  ingest: DeviceIngest<Item>,
  correlation: CorrelationResult,
  settings: EnrichSettings,
  writer: RecordWriter,
): Promise<RecordCounts & { readonly failure?: ProbeError }> => {
  let matched = 0;
  let created = 0;
  let unknownSkipped = 0;
  let ordinal = 0;
  const { matchOfRecord } = correlation.positions;
  const chunks = ingest.spool.chunks();
  for (;;) {
    let chunk: IteratorResult<Buffer>;
    try {
      chunk = await chunks.next();
    } catch (error) {
      return { matched, created, unknownSkipped, failure: spoolReadError(error) };
    }
    if (chunk.done === true) break;
    const bytes = chunk.value;
    for (let from = 0, end = bytes.indexOf(LINE_FEED); end !== -1; from = end + 1, end = bytes.indexOf(LINE_FEED, from)) {
      const id = ingest.ids[ordinal] ?? "";
      const match = matchOfRecord[ordinal++]; // device `i` of the ingest is correlation's record `i`
      if (match === undefined && settings.excludeUnknown) {
        unknownSkipped += 1;
        continue;
      }
      const assetId = match?.assetId ?? null;
      const siteId = match ? null : settings.siteId;
      if (match) matched += 1;
      else created += 1;
      const out = writer.beginRecord(recordHeadBound(settings.format, id, assetId, siteId, match ?? null), bytes.subarray(from, end + 1));
      writeRecordHead(out, settings.format, id, assetId, siteId, match ?? null);
      const pending = writer.endRecord();
      if (pending === undefined) continue;
      try {
        await pending;
      } catch (error) {
        await chunks.return(undefined);
        return { matched, created, unknownSkipped, failure: recordSinkError(error, writer.written) };
      }
    }
  }
  try {
    await writer.flush();
  } catch (error) {
    return { matched, created, unknownSkipped, failure: recordSinkError(error, writer.written) };
  }
  return { matched, created, unknownSkipped };
};
