/**
 * What a run keeps of each page, page by page, so that the page can be dropped: every device
 * decoded, de-duplicated and filtered; its identifiers handed to correlation; its record
 * serialised to the spool; its control state in one byte. A million devices cost their ids,
 * correlation's indexes and a spool file, not a million decoded items.
 */
import type { ControlState, ProbeWarning, RunCounts } from "../contract.js";
import type { ScannedAsset } from "../engine/assets.js";
import { createCorrelator, createCorrelatorPausing, type CorrelationResult, type Correlator } from "../correlate/index.js";
import { ProbeRunError } from "../engine/errors.js";
import { ByteList } from "../util/growable.js";
import { nextTurn, turnsUntil } from "../util/event-loop.js";
import { LineSpool, spoolWriteError } from "../records/spool.js";
import { itemNotJson } from "./failures.js";
import { firstSightings, parsedItems, type PageItems } from "./page-items.js";
import { attributesJson } from "./attributes.js";
import { UndecodableDevices } from "./undecodable.js";
import { recordTail, recordTailBound, writeRecordTail, type RecordFormat, type RecordTail } from "./record-json.js";
import type { SourcePage, SyncSource } from "./source.js";

/** The parts of a source the intake uses. */
export type IngestSource<Item> = Pick<SyncSource<unknown, unknown, Item>, "decode" | "idOf" | "describe" | "attributes" | "identifiersOfInvalid" | "logPrefix">;

/** Warnings kept in full; beyond this they are only counted (a schema drift yields one per device). */
export const MAX_WARNINGS = 100;

/** Devices taken between two yields to the event loop (a few milliseconds of work). */
export const YIELD_EVERY = 500;

/** Control states by their one-byte code. */
export const CONTROL_STATES: readonly ControlState[] = ["not-onboarded", "unhealthy", "protected"];

const STATE_CODE: Readonly<Record<ControlState, number>> = { "not-onboarded": 0, unhealthy: 1, protected: 2 };

/** Item `index` of page `pageNumber`, parsed; a `ProbeRunError` (`ERR_API_BAD_RESPONSE`) when it is not JSON. */
const parseItem = (items: PageItems, index: number, pageNumber: number): unknown => {
  try {
    return items.itemAt(index);
  } catch {
    throw new ProbeRunError(itemNotJson(pageNumber, index));
  }
};

/** The devices of one run as pages arrive. */
export class DeviceIngest<Item> {
  /** Counters of what was read; `matched`, `created` and `unknownSkipped` stay 0 here (the summary counts them as records are written). */
  readonly counts: RunCounts = { fetched: 0, invalid: 0, inactiveSkipped: 0, unknownSkipped: 0, duplicates: 0, matched: 0, created: 0 };
  /** The first {@link MAX_WARNINGS} invalid devices, in full. */
  readonly warnings: ProbeWarning[] = [];
  /** Ids of the devices kept, in the order read: device `i`'s record is line `i` of {@link spool}. */
  readonly ids: string[] = [];
  /** Each kept device's record without its head (see `record-json.ts`). */
  readonly spool: LineSpool;
  /**
   * Newest `lastSeen` read that is not later than the run's clock, as text (the next
   * incremental sync's cursor). A device that reports a time to come would otherwise move the
   * cursor past every change until then, and each sync after this one would read none.
   */
  newestSeen: string | null = null;
  private newestSeenMs = Number.NEGATIVE_INFINITY;
  /**
   * Ids read so far only on records that did not decode. A record repeating an id read before
   * (paging tells, see `firstSightings`) is a duplicate, unless its id is here: then it is the
   * first good record of that device. Paging holds the set of every id read; the intake keeps
   * only these few, so that no id is stored or looked up twice.
   */
  private readonly readOnlyWhenInvalid = new Set<string>();
  /** Control state code of each kept device, by position in {@link ids}. */
  private readonly states = new ByteList();
  /** Every id read, when the source's pages do not say which items are first sightings. */
  private seen: Set<string> | null = null;
  private correlator: Correlator | null = null;
  /** The identifiers of the devices that failed decoding: an asset one of them could be has no `missing` verdict. */
  readonly undecodable = new UndecodableDevices();

  constructor(
    private readonly source: IngestSource<Item>,
    private readonly format: RecordFormat,
    private readonly assets: readonly ScannedAsset[],
    private readonly includeInactive: boolean,
    private readonly now: () => number,
    spool: LineSpool = new LineSpool(),
  ) {
    this.spool = spool;
  }

  /**
   * The run's correlator, made on first use if {@link indexAssets} was not awaited (it indexes
   * every asset in one go). It runs on this thread: a worker could overlap only the interning
   * done while pages arrive, not the decision, which needs every device, and would cost a second
   * heap in the engine's process (docs/benchmark.md).
   */
  correlation(): Correlator {
    this.correlator ??= createCorrelator(this.assets);
    return this.correlator;
  }

  /**
   * Makes the run's correlator, indexing the assets in slices between which the event loop
   * turns: call it while the first page is requested and downloads, so that indexing a large
   * scan does not hold that request back. Rejects between two slices once `signal` aborts
   * (a million assets take seconds), leaving no correlator.
   */
  async indexAssets(signal?: AbortSignal): Promise<void> {
    if (this.correlator !== null) return;
    const correlator = await createCorrelatorPausing(this.assets, turnsUntil(signal));
    this.correlator ??= correlator;
  }

  /**
   * Correlation's decisions, the event loop turning between the decision's steps. When no
   * device was kept and the assets were never indexed (a run that failed at sign-in, an empty
   * tenant), nothing can match: the assets are not indexed just to learn that. Not stopped by a
   * cancel: a cancelled run still matches and writes every device it read.
   */
  async finishCorrelation(): Promise<CorrelationResult> {
    if (this.correlator === null && this.ids.length === 0) return createCorrelator([]).finish();
    return this.correlation().finishPausing(turnsUntil());
  }

  /** The control state of kept device `ordinal` (its position in {@link ids}, and its record number in correlation). */
  stateAt(ordinal: number): ControlState | undefined {
    return ordinal >= 0 && ordinal < this.ids.length ? CONTROL_STATES[this.states.at(ordinal)] : undefined;
  }

  /**
   * Takes one page's items, parsing each (when the page was split) just before it is used:
   * an item that is not JSON stops the run with `ERR_API_BAD_RESPONSE`. The page's
   * `firstSightings` tells, item by item, whether its id is read for the first time; when the
   * source does not give it, the intake works it out from every id read. Returns how many were
   * new (not seen on an earlier page). Yields to the event loop every {@link YIELD_EVERY}
   * devices, so that pages in flight keep downloading (and an abort is seen) while a page is
   * worked through.
   */
  async takePage(page: SourcePage): Promise<number> {
    const items = isPageItems(page.items) ? page.items : parsedItems(page.items);
    const pageNumber = page.number;
    const firsts = page.firstSightings ?? firstSightings(items, (this.seen ??= new Set()));
    let fresh = 0;
    for (let from = 0; from < items.length; from += YIELD_EVERY) {
      if (from > 0) await nextTurn();
      const to = Math.min(items.length, from + YIELD_EVERY);
      for (let index = from; index < to; index++) {
        const item = parseItem(items, index, pageNumber);
        if (this.take(item, pageNumber, index, items.textAt(index), items.idAt(index), firsts[index] === 1)) fresh += 1;
      }
    }
    return fresh;
  }

  /**
   * Takes one item (`text`: its JSON as received, when known; `pagedId`: its id as paging read
   * it and keeps it, the decoded one; `first`: no item before it had that id); true when its
   * id was new. `pagedId` is the instance kept, so that a run holds each id's string once
   * rather than twice.
   */
  private take(item: unknown, pageNumber: number, index: number, text: string | undefined, pagedId: string | undefined, first: boolean): boolean {
    this.counts.fetched += 1;
    const decoded = this.source.decode(item, { page: pageNumber, index });
    if ("warning" in decoded) {
      this.invalid(decoded.warning, item);
      if (first && pagedId !== undefined) this.readOnlyWhenInvalid.add(pagedId);
      return false;
    }
    const m = decoded.item;
    const decodedId = this.source.idOf(m);
    const id = pagedId === decodedId ? pagedId : decodedId;
    if (!first && !this.readOnlyWhenInvalid.delete(id)) {
      this.counts.duplicates += 1;
      return false;
    }
    const facts = this.source.describe(m, id);
    const seenMs = facts.lastSeen ? Date.parse(facts.lastSeen) : Number.NaN;
    if (seenMs > this.newestSeenMs && seenMs <= this.now()) {
      this.newestSeenMs = seenMs;
      this.newestSeen = facts.lastSeen;
    }
    if (facts.inactive && !this.includeInactive) {
      this.counts.inactiveSkipped += 1;
      return true;
    }
    let attributes: string;
    try {
      const asSent = (m as unknown) === item ? text : undefined; // a decode that changed the item makes its text stale
      attributes = this.source.attributes ? this.source.attributes(m, asSent) : attributesJson(m as Readonly<Record<string, unknown>>, asSent);
    } catch (error) {
      // Nested deeper than the stack can walk (or larger than a string can hold): a device that cannot be kept, like one that does not decode.
      if (!(error instanceof RangeError)) throw error;
      this.invalid(
        {
          code: `${this.source.logPrefix}_INVALID_DEVICE`,
          message: `Skipped device ${id}: its fields are nested too deeply (or are too large) to be serialised.`,
          path: `page ${pageNumber} › value[${index}]`,
        },
        item,
      );
      this.readOnlyWhenInvalid.add(id); // it was first read here, or read before only on records that did not decode either
      return false;
    }
    this.ids.push(id);
    this.states.push(STATE_CODE[facts.state]);
    const identifiers = this.correlation().addDevice(facts.device);
    this.spoolRecord(recordTail(facts, identifiers, attributes));
    return true;
  }

  /**
   * Counts an invalid device, keeps its warning while fewer than {@link MAX_WARNINGS} are kept,
   * and notes what it could be (`undecodable`): no asset it could be is called missing.
   */
  private invalid(warning: ProbeWarning, item: unknown): void {
    this.counts.invalid += 1;
    this.undecodable.add(this.source.identifiersOfInvalid(item));
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push(warning);
  }

  /** Settles once every record spilled to the spool's file is on disk; `ERR_SPOOL` (a `ProbeRunError`) if a spill failed. */
  async spoolWritten(): Promise<void> {
    try {
      await this.spool.written();
    } catch (error) {
      throw new ProbeRunError(spoolWriteError(error, this.ids.length));
    }
  }

  private spoolRecord(tail: RecordTail): void {
    try {
      writeRecordTail(this.spool.beginLine(recordTailBound(tail, this.format)), tail, this.format);
      this.spool.endLine();
    } catch (error) {
      throw new ProbeRunError(spoolWriteError(error, this.ids.length));
    }
  }
}

/** True for items given as {@link PageItems} rather than as an array. */
const isPageItems = (items: PageItems | readonly unknown[]): items is PageItems => !Array.isArray(items);
