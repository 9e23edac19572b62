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

/** {@link Coverage} with every verdict as an incomplete run gives it ({@link asIncomplete}), the tally counted again. */
export const coverageAsIncomplete = (coverage: Coverage): Coverage => {
  const byAsset = verdictTable<CoverageStatus>();
  const tally = noVerdicts();
  for (const [id, status] of Object.entries(coverage.byAsset)) {
    const verdict = asIncomplete(status);
    byAsset[id] = verdict;
    tally[verdict] += 1;
  }
  return { byAsset, tally, unknownFromInvalid: 0 };
};

/**
 * Assets given their coverage between two pauses of {@link coverageByAsset}: a few
 * milliseconds, so that records being written at the same time wait little for it.
 */
export const ASSETS_PER_PAUSE = 5_000;

/** The coverage of every scanned asset, and how many assets have each status. */
export interface Coverage {
  readonly byAsset: Record<string, CoverageStatus>;
  readonly tally: Record<CoverageStatus, number>;
  /** Assets `unknown` only because a device that failed decoding could be theirs (see `undecodable.ts`); 0 in an incomplete run. */
  readonly unknownFromInvalid: number;
}

/**
 * The coverage of every scanned asset in `assets`, the list `correlation` was made with (or,
 * for a run that correlated nothing, any list: no asset then has a match); `stateOfRecord` gives
 * the control state of a device record by number. Awaits `pause()` every
 * {@link ASSETS_PER_PAUSE} assets, so that the event loop turns. The verdicts are set in
 * `byAsset`, which is returned: an empty {@link verdictTable}, or the table of
 * `UndecidedVerdicts` over the same assets, keyed beforehand (the same keys, in the same
 * order, every verdict undefined). `couldBeUndecodable` tells an asset that a device which
 * failed decoding could be (see `undecodable.ts`): in a complete run, such an asset's verdict
 * short of `protected` is `unknown`.
 *
 * The tally is counted as the verdicts are set: reading a large table back (`Object.values`)
 * would cost more than setting it.
 */
export const coverageByAsset = async (
  assets: readonly ScannedAsset[],
  correlation: CorrelationResult,
  stateOfRecord: (record: number) => ControlState | undefined,
  complete: boolean,
  pause: () => Promise<void> = () => Promise.resolve(),
  byAsset: Record<string, CoverageStatus | undefined> = verdictTable(),
  couldBeUndecodable: (asset: ScannedAsset) => boolean = () => false,
): Promise<Coverage> => {
  const tally = noVerdicts();
  let unknownFromInvalid = 0;
  const { recordsOfAsset, repeatsAnEarlierAsset } = correlation.positions;
  const states: ControlState[] = [];
  for (let a = 0; a < assets.length; a++) {
    if (a > 0 && a % ASSETS_PER_PAUSE === 0) await pause();
    const asset = assets[a] as ScannedAsset;
    const id = asset.id;
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
    if (repeatsAnEarlierAsset(a)) {
      const before = byAsset[id];
      if (before !== undefined) tally[before] -= 1; // an asset listed twice: counted once, with its last verdict (the same)
    }
    byAsset[id] = status;
    tally[status] += 1;
  }
  return { byAsset: byAsset as Record<string, CoverageStatus>, tally, unknownFromInvalid }; // every asset's verdict is set now
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
