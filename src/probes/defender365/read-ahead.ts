/**
 * How many pages of the machine list to ask for ahead of the one being processed, and how far:
 * two while the service answers quickly, more while it is slow (enough to hide its time behind
 * the processing of the pages before), never past the end that `expectedDevices` or the ids
 * themselves foretell (`list-size.ts`). No I/O and no clock: the reader hands in the times it
 * measured. Only how soon pages are asked for depends on it; which pages are read does not
 * (`paging-plan.ts` reads until a short page, whatever this says).
 */
import { ListSizeEstimate } from "./list-size.js";
import type { PageItems } from "../../sync/page-items.js";

/** A page slower than this to start answering (request to response headers) marks the service as slow. */
export const SLOW_PAGE_MS = 1_000;

/**
 * Pages whose answer times judge the service: the quicker of the last two counts. A page
 * asked for while others were still being served may wait its turn there, so a slow answer is
 * not on its own proof of a slow service; one quick answer shows that the service keeps up.
 * Judged by the slowest page ever instead, one first page slow to answer on a busy machine
 * would keep three pages in flight to the end of a fast list, and cost two calls past its end.
 */
export const SERVICE_SAMPLES = 2;

/**
 * Pages in flight while the service answers quickly. Two, not one: the service starts a page
 * only when it is asked for, so with one this process waits for nearly every page
 * (docs/benchmark.md). When the ids foretell the list's end (`list-size.ts`), the second page
 * is not asked for past it.
 */
export const FAST_SERVICE_PREFETCH = 2;

/** Pages in flight once the service is slow, until a page's processing time is known. */
export const SLOW_SERVICE_PREFETCH = 3;

/**
 * Most pages in flight. Each one past the end of the list is a call wasted (the API gives no
 * count), so a slow service costs at most this many minus one calls past the end.
 */
export const MAX_PREFETCH = 4;

/**
 * Pages to keep in flight when the service takes `serviceMs` to answer one and this process
 * takes `processingMs` to work through one: enough that a page has arrived by the time the
 * one before is done (`ceil(serviceMs / processingMs) + 1`), between
 * {@link SLOW_SERVICE_PREFETCH} and {@link MAX_PREFETCH}.
 */
export const slowPrefetch = (serviceMs: number, processingMs: number | null): number => {
  if (processingMs === null || !(processingMs > 0)) return SLOW_SERVICE_PREFETCH;
  return Math.min(MAX_PREFETCH, Math.max(SLOW_SERVICE_PREFETCH, Math.ceil(serviceMs / processingMs) + 1));
};

/**
 * How far `$skip` advances from one page to the next for pages of `pageSize`: one less, so
 * that consecutive pages overlap by one device (which shows whether the list shifted between
 * them); 1 for pages of one device, which cannot overlap.
 */
export const strideOf = (pageSize: number): number => (pageSize > 1 ? pageSize - 1 : 1);

/**
 * The `$skip` of the last page a reader asks for when the list holds `devices` devices: the
 * first page that comes back short (pages advance by `stride`, overlapping by one device).
 */
export const lastSkipOf = (devices: number, pageSize: number, stride: number): number =>
  devices < pageSize ? 0 : (Math.floor((devices - pageSize) / stride) + 1) * stride;

/** What the read-ahead policy is told of the read (the fields of `PageQuery` it uses). */
export interface ReadAheadQuery {
  /** Devices per call. */
  readonly pageSize: number;
  /** Pages in flight, fixed; undefined for the adaptive policy. */
  readonly prefetch?: number | undefined;
  /** Devices the list is expected to hold, if known (see `PageQuery.expectedDevices`). */
  readonly expectedDevices?: number | undefined;
}

/**
 * The read-ahead policy of one read (see the module comment). The reader notes each page's
 * service time and processing time; the paging plan notes each full page read in order and
 * asks {@link ReadAhead.wants} before it asks for a page ahead.
 */
export class ReadAhead {
  /**
   * How long the service takes to start answering a page: the quicker of the last
   * {@link SERVICE_SAMPLES} pages. Set to just over {@link SLOW_PAGE_MS} while a first page is
   * slow to answer, until pages are measured.
   */
  private serviceMs = 0;
  private readonly recentServiceMs: number[] = [];
  /** Time the consumer spent on the full pages handed over so far, and their number. */
  private processingMs = 0;
  private processed = 0;
  private readonly stride: number;
  /** The skip of the expected last page (see `PageQuery.expectedDevices`), or Infinity once the list has outgrown it (or no count was given). */
  private expectedLastSkip: number;
  /** From the first full page on, while the ids allow it, the expected end is the one they give (see `list-size.ts`). */
  private readonly listSize = new ListSizeEstimate();

  constructor(private readonly query: ReadAheadQuery) {
    this.stride = strideOf(query.pageSize);
    this.expectedLastSkip = query.expectedDevices === undefined ? Number.POSITIVE_INFINITY : lastSkipOf(query.expectedDevices, query.pageSize, this.stride);
  }

  /** Pages to keep in flight now: `prefetch` when given, else two while the service is fast and {@link slowPrefetch} while it is slow; at least one. */
  pagesAhead(): number {
    const { prefetch } = this.query;
    return Math.max(
      1,
      prefetch ??
        (this.serviceMs > SLOW_PAGE_MS ? slowPrefetch(this.serviceMs, this.processed > 0 ? this.processingMs / this.processed : null) : FAST_SERVICE_PREFETCH),
    );
  }

  /** True when, with `ahead` pages in order already in flight, the page at `skip` should be asked for now. */
  wants(ahead: number, skip: number): boolean {
    return ahead < this.pagesAhead() && skip <= this.expectedLastSkip;
  }

  /**
   * True while the first page's answer time should be watched: no fixed `prefetch`, and the
   * service not yet known to be slow. Past {@link SLOW_PAGE_MS} without an answer, the reader
   * calls {@link ReadAhead.markSlow} and asks for the pages it then wants.
   */
  watchesFirstAnswer(): boolean {
    return this.query.prefetch === undefined && this.serviceMs <= SLOW_PAGE_MS;
  }

  /** Takes the service as slow until pages are measured (a first page slow to answer). */
  markSlow(): void {
    this.serviceMs = SLOW_PAGE_MS + 1;
  }

  /** Notes the time a page took the service to start answering (`serviceMs` of the fetch). */
  noteService(ms: number): void {
    if (this.recentServiceMs.push(ms) > SERVICE_SAMPLES) this.recentServiceMs.shift();
    this.serviceMs = Math.min(...this.recentServiceMs);
  }

  /** Notes the time the consumer spent on a page of `length` items; only a full page (less its overlap) counts. */
  noteProcessing(ms: number, length: number): void {
    if (length >= this.query.pageSize - 1) {
      this.processingMs += ms;
      this.processed += 1;
    }
  }

  /**
   * Notes a full page read in order by skip (its items as sent). One at or past the expected
   * last page shows the list longer than expected: read on as if no count were known.
   * Otherwise the ids may tell where the list ends (see `list-size.ts`).
   */
  noteFullPage(skip: number, items: PageItems): void {
    if (skip >= this.expectedLastSkip) {
      this.expectedLastSkip = Number.POSITIVE_INFINITY;
      this.listSize.stop();
      return;
    }
    const bound = this.listSize.notePage(skip, items);
    if (bound !== undefined) this.expectedLastSkip = lastSkipOf(bound, this.query.pageSize, this.stride);
  }
}
