/**
 * What a probe built on the sync pipeline supplies: a source adapter. The framework
 * (`syncProbe`) owns everything else: cancellation, reading pages while the previous one is
 * worked through, decoding each item, de-duplication, correlation with the scanned assets,
 * records as bytes on a spool, the record sink, the coverage of every asset for the probe's
 * control, the summary, the task log, and one failure channel that keeps what was read and
 * never calls an asset `missing` from a partial read.
 *
 * A source says only what is its own: how to sign in and list its devices (`open`), how to
 * decode one item (`decode`), what an item says (`describe`), and what an item that failed
 * decoding could still be (`identifiersOfInvalid`). Everything is Promise-based: writing a
 * source needs no fp-ts.
 */
import type { ControlState, HttpCounts, Probe, ProbeInput, ProbeWarning, RunCounts } from "../contract.js";
import type { ProbeError } from "../engine/errors.js";
import type { SourceDevice } from "../correlate/types.js";
import type { PageItems } from "./page-items.js";
import type { RunContext } from "./run-context.js";

/** Where an item sits in the list, for warnings: page `page` (1-based), item `index` (0-based) of it. */
export interface ItemPlace {
  /** 1-based page number. */
  readonly page: number;
  /** 0-based index of the item in its page. */
  readonly index: number;
}

/** An item decoded, or the warning that replaces it (the item is then counted invalid, never a failed run). */
export type DecodedItem<Item> = { readonly item: Item } | { readonly warning: ProbeWarning };

/** What the pipeline reads of a decoded item. */
export interface DeviceFacts {
  /** The evidence correlation uses (names, addresses, MACs, …), with the device's id as `id`. */
  readonly device: SourceDevice;
  /** The device's state for the probe's control. */
  readonly state: ControlState;
  /** True for a device the source calls inactive: left out unless the run includes inactive devices. */
  readonly inactive: boolean;
  /** Operating system as one string, e.g. `Windows11 23H2`. */
  readonly os: string | null;
  /** First seen by the source (ISO 8601). */
  readonly firstSeen: string | null;
  /** Last seen by the source (ISO 8601): the newest one read is the summary's `cursor`. */
  readonly lastSeen: string | null;
}

/** The identifiers readable in an item that failed decoding (see {@link SyncSource.identifiersOfInvalid}). */
export interface InvalidItemIdentifiers {
  /** Host names, as the source spells them. */
  readonly names: readonly string[];
  /** IP addresses, as the source spells them. */
  readonly addresses: readonly string[];
  /** MAC addresses, as the source spells them. */
  readonly macs: readonly string[];
}

/** One page of the source's device list, as the pipeline takes it. */
export interface SourcePage {
  /** 1-based page number, for messages. */
  readonly number: number;
  /** The page's items, not yet decoded: an array, or {@link PageItems} (items parsed one at a time, each with its JSON text). */
  readonly items: PageItems | readonly unknown[];
  /**
   * For each item, 1 when no item handed over before it had its id, else 0 (a repeat the
   * pipeline drops). Give it when paging already tracks every id (no second set is kept);
   * absent, the pipeline tells repeats by id itself.
   */
  readonly firstSightings?: Uint8Array | undefined;
}

/** An open listing: what {@link SyncSource.open} resolves to. */
export interface SourceSession {
  /**
   * The pages, in order. The pipeline asks for the next page once it has taken the one
   * before; read-ahead (requests in flight while a page is worked through) is the session's.
   * `return()` is called when the run stops early: cancel what is in flight there.
   */
  readonly pages: AsyncIterator<SourcePage, unknown, undefined>;
  /** Turns whatever `pages` threw into the run's error (with the source's own codes and hints). */
  classify(error: unknown): ProbeError;
  /** Findings of the listing, read once the last page is in (e.g. the list changed while it was read); `counts`: what the run read. */
  warnings?(counts: Readonly<RunCounts>): readonly ProbeWarning[];
}

/** What a run gives {@link SyncSource.open}: the run's environment, its HTTP counters, and the run's signal. */
export interface SyncRun extends RunContext {
  /** Counters the source's HTTP client fills (requests, retries, throttled): the summary's `http`. */
  readonly counts: HttpCounts;
  /** The source's {@link SyncSource.logPrefix}, for the task-log codes the source emits. */
  readonly logPrefix: string;
  /** The run's cancel signal: pass it to every request. */
  readonly signal: AbortSignal | undefined;
}

/** What the pipeline reads from a run's options. */
export interface SyncSettings {
  /** Keep devices the source calls inactive (default off). */
  readonly includeInactive: boolean;
  /** Leave out devices that match no scanned asset. */
  readonly excludeUnknown: boolean;
  /** Site of new assets in connector mode (in probe mode the scan's site comes first). */
  readonly siteId: string | null;
  /**
   * True when the run lists only devices changed since a cursor: like a partial run, it
   * gives no `missing` verdict.
   */
  readonly incremental: boolean;
}

/**
 * A probe as a source adapter: the {@link Probe} fields a person and the engine read, plus
 * the source's own parts. Turn it into a probe with `syncProbe`.
 */
export interface SyncSource<Options, Cred, Item> extends Omit<Probe<Options, Cred>, "run"> {
  /**
   * Prefix of the task-log codes the pipeline emits for this probe, e.g. `DEFENDER` for
   * `DEFENDER_PAGE`, `DEFENDER_DONE`, `DEFENDER_INVALID_DEVICE`: uppercase letters, digits and `_`.
   */
  readonly logPrefix: string;
  /** What the pipeline reads from the options. */
  readonly settingsOf: (options: Options) => SyncSettings;
  /**
   * Signs in and opens the device list. Rejects with a `ProbeRunError` (its error becomes the
   * run's); anything else it rejects with is a fault of the probe. Called after the input was
   * checked (`checkInput`), only when the run was not cancelled.
   */
  readonly open: (input: ProbeInput<Options, Cred>, run: SyncRun) => Promise<SourceSession>;
  /** Decodes one item of a page; never throws. The warning names fields, never values. */
  readonly decode: (raw: unknown, place: ItemPlace) => DecodedItem<Item>;
  /** The id of a decoded item. */
  readonly idOf: (item: Item) => string;
  /** What a decoded item says; `id` is `idOf(item)` (an equal string the pipeline already holds: keep that one). */
  readonly describe: (item: Item, id: string) => DeviceFacts;
  /**
   * The item's attributes as JSON: every field under the source's name. `text` is the item's
   * JSON as received, when known (use it as it is when it is the answer). Absent: the item's
   * fields, nested objects flattened with dots (`attributesJson`). May throw a `RangeError`
   * for an item too deep or too large to serialise: the item then counts as invalid.
   */
  readonly attributes?: ((item: Item, text: string | undefined) => string) | undefined;
  /**
   * The identifiers readable in an item that failed decoding, read loosely (any field that
   * could hold one), or null when an identifier field is there but cannot be read. An asset
   * one of them could be is called neither `missing` nor `unhealthy`; an item with no
   * identifier correlation can use (null, or empty lists) could be any asset.
   */
  readonly identifiersOfInvalid: (raw: unknown) => InvalidItemIdentifiers | null;
}
