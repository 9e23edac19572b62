/**
 * Reads the machine list page by page, so that no device is silently lost or repeated:
 * `$top`/`$skip` until a short page (the API turns `@odata.nextLink` off when `$top` is
 * given), a nextLink followed if one appears anyway (same origin only: the bearer token
 * never goes elsewhere), a guard against loops, and the next pages fetched while the current
 * one is processed.
 *
 * Vendor doc: https://learn.microsoft.com/defender-endpoint/api/get-machines and
 * https://learn.microsoft.com/defender-endpoint/api/exposed-apis-odata-samples
 */
import type { Got, PlainResponse } from "got";
import { HTTPError } from "got";
import { badPage, listCutShort, listTooLong, pageTooLarge, pageTooSlow, pagingError, readErrorBody } from "./api-errors.js";
import { ProbeRunError } from "../../engine/errors.js";
import { firstSightings, parsedItems, scannedItems, type PageItems } from "../../sync/page-items.js";
import { scanPage } from "./page-scan.js";
import { ListSizeEstimate } from "./list-size.js";
import { BodyBuffer, BodyDeadlineError, BodyTooLargeError, streamBody, type BodyLimits } from "../../runtime/http/stream-body.js";
import { DEFAULT_MAX_DEVICES, DEFAULT_MAX_PAGE_BYTES, DEFAULT_PAGE_DEADLINE_MS } from "./options.js";

/** What to read. */
export interface PageQuery {
  /** API base URL (`https://api.security.microsoft.com`). */
  readonly apiBaseUrl: string;
  /** Devices per call (1–10,000). */
  readonly pageSize: number;
  /** OData `$filter`, e.g. `healthStatus ne 'Inactive'`. */
  readonly filter?: string | undefined;
  /**
   * Pages requested ahead of the one being processed. Default: adaptive — the next
   * {@link FAST_SERVICE_PREFETCH}; while the service takes longer than {@link SLOW_PAGE_MS}
   * to answer a page, as many as hide its time behind the processing of the pages before (see
   * {@link slowPrefetch}). Never past the end the ids or `expectedDevices` foretell; the rate
   * budget still caps the calls.
   */
  readonly prefetch?: number | undefined;
  /**
   * Devices the list is expected to hold (the previous sync's count, same filter), if known:
   * pages past the one where that many end are not read ahead, so that a slow service costs no
   * calls past the end. A list that turns out longer is read on as if no count had been given.
   * From the first full page on, an estimate from the ids themselves replaces it, when they
   * allow one (see `list-size.ts`).
   * (Asking for the first pages it says exist at once, before the service is known to be slow,
   * was tried: no faster on a slow service, and 7 % slower on a fast one.)
   */
  readonly expectedDevices?: number | undefined;
  /** Cancels every request in flight. */
  readonly signal?: AbortSignal | undefined;
  /** Largest page body, decompressed, in bytes (`ERR_API_RESPONSE_TOO_LARGE` past it). Default {@link DEFAULT_MAX_PAGE_BYTES}. */
  readonly maxPageBytes?: number | undefined;
  /** Longest time from a page's headers to its last byte, in ms (`ERR_API_PAGE_TIMEOUT` past it). Default {@link DEFAULT_PAGE_DEADLINE_MS}. */
  readonly pageDeadlineMs?: number | undefined;
  /** Most devices handed over; a list that goes on past it fails with `ERR_API_LIST_TOO_LONG`. Default {@link DEFAULT_MAX_DEVICES}. */
  readonly maxDevices?: number | undefined;
  /** Called with each page's response once its headers are in (a response that is not retried; a failed one the client's hooks see). */
  readonly onResponse?: ((response: PlainResponse) => void) | undefined;
}

/** One page as received: its raw items, not yet decoded. */
export interface RawPage {
  /** 1-based page number, for messages. */
  readonly number: number;
  /** The items of `value`, undecoded (and, from a page the scan could split, not yet parsed: see `page-items.ts`). */
  readonly items: PageItems;
  /** True for a page read again to recover from offset drift (it may hold only devices already read). */
  readonly recovery: boolean;
  /** For each item, 1 when no item handed over before it had its id (see `firstSightings`), else 0: the API repeated it. */
  readonly firstSightings: Uint8Array;
}

/** The URL of the page at `skip`. */
export const pageUrl = (query: PageQuery, skip: number): string => {
  const url = new URL(`${query.apiBaseUrl}/api/machines`);
  url.searchParams.set("$top", String(query.pageSize));
  url.searchParams.set("$skip", String(skip));
  if (query.filter) url.searchParams.set("$filter", query.filter);
  return url.toString();
};

/**
 * A page's items, or Defender's "no machines" (a 404 with its error body); `serviceMs` is how
 * long the service took to start answering (request sent to response headers), waits for
 * retries excluded. Not the time to the last byte: that grows while this process is busy and
 * reads the socket late, and a busy client is not a slow service.
 */
type Fetched =
  | {
      readonly items: PageItems;
      readonly nextLink: string | null;
      readonly serviceMs: number;
    }
  | { readonly noMachines: true };

/**
 * Fetches one page within `limits`, its bytes into a buffer of `bodies` (taken, and given back
 * once the page is text: see `streamBody`). A 404 that carries Defender's error body is
 * returned as "no machines" (documented for an empty list): the caller decides whether that
 * can be true where it was asked. Only a 200 is a page: another 2xx, or a 3xx got did not
 * follow, is `ERR_API_BAD_RESPONSE`. A body over the size cap is `ERR_API_RESPONSE_TOO_LARGE`,
 * one past the deadline `ERR_API_PAGE_TIMEOUT`. Any other failure is thrown for the caller to
 * classify.
 */
const fetchPage = async (
  client: Got,
  url: string,
  pageNumber: number,
  limits: BodyLimits,
  onAnswer: (response: PlainResponse) => void,
  bodies: BodyBuffer[],
): Promise<Fetched> => {
  let body: string;
  let serviceMs: number;
  let status: number;
  const bytes = bodies.pop() ?? new BodyBuffer();
  try {
    const response = await streamBody(client, url, limits, bytes, onAnswer);
    status = response.statusCode;
    body = status === 200 ? bytes.text() : "";
    serviceMs = response.timings.phases.firstByte ?? response.timings.phases.total ?? 0;
  } catch (error) {
    if (error instanceof HTTPError && error.response.statusCode === 404 && readErrorBody(error.response.body) !== null) return { noMachines: true };
    if (error instanceof BodyTooLargeError) throw new ProbeRunError(pageTooLarge(pageNumber, error.maxBytes, error.declared));
    if (error instanceof BodyDeadlineError) throw new ProbeRunError(pageTooSlow(pageNumber, error.deadlineMs, error.received));
    throw error;
  } finally {
    bodies.push(bytes);
  }
  if (status !== 200) throw new ProbeRunError(badPage(pageNumber, `the API answered HTTP ${status}, not 200`));
  // A page the scan can split is parsed without its items (each is parsed when used); any other, whole.
  const scan = scanPage(body);
  let parsed: unknown;
  try {
    parsed = JSON.parse(scan === undefined ? body : `${body.slice(0, scan.valueStart)}[]${body.slice(scan.valueEnd + 1)}`);
  } catch {
    throw new ProbeRunError(notJson(body, pageNumber));
  }
  if (typeof parsed !== "object" || parsed === null || !Array.isArray((parsed as { value?: unknown }).value)) {
    throw new ProbeRunError(badPage(pageNumber, "it has no `value` array"));
  }
  const next = (parsed as { "@odata.nextLink"?: unknown })["@odata.nextLink"];
  const items = scan === undefined ? parsedItems((parsed as { value: unknown[] }).value) : scannedItems(scan);
  return { items, nextLink: typeof next === "string" ? next : null, serviceMs };
};

/** `ERR_API_BAD_RESPONSE` for page `pageNumber`, whose body (or the part of it outside the items, for a page the scan split) is not JSON. */
const notJson = (body: string, pageNumber: number) =>
  badPage(pageNumber, body.length === 0 ? "the body was empty" : `the body is not JSON (${body.length} bytes, starting ${JSON.stringify(body.slice(0, 20))})`);

/** The hint of a paging error that only the service can fix. */
const REPORT_HINT = "Run again; report it if it persists. The run is marked incomplete.";

/**
 * Refuses a nextLink to another origin or plain http (the bearer token goes to the API origin
 * only), and one that does not continue the list where the page ended: another path, another
 * `$filter` or `$top`, or a `$skip` other than `offset` (the page's own offset plus its items),
 * which would skip devices or read some twice in a run that still looked complete.
 */
const checkNextLink = (link: string, query: PageQuery, offset: number): string => {
  let url: URL;
  try {
    url = new URL(link, query.apiBaseUrl);
  } catch {
    throw new ProbeRunError(pagingError("The API returned a nextLink that is not a URL.", "Run again; report it if it persists."));
  }
  if (url.origin !== new URL(query.apiBaseUrl).origin) {
    throw new ProbeRunError(
      pagingError(
        `The API returned a nextLink to another origin (${url.origin}); it was not followed, so the token was not sent there.`,
        "Check apiBaseUrl and any proxy rewriting responses. The run is marked incomplete.",
      ),
    );
  }
  const expected = new URL(pageUrl(query, offset));
  const params = url.searchParams;
  const top = params.get("$top");
  if (
    url.pathname.toLowerCase() !== expected.pathname.toLowerCase() ||
    params.get("$skip") !== String(offset) ||
    (params.get("$filter") ?? "") !== (query.filter ?? "") ||
    (top !== null && top !== String(query.pageSize))
  ) {
    throw new ProbeRunError(
      pagingError(
        `The API returned a nextLink that does not continue the list where the page ended (expected $skip=${offset}${query.filter ? " and the same $filter" : ""}); it was not followed.`,
        REPORT_HINT,
      ),
    );
  }
  return url.toString();
};

/** What paging noticed about a list that changed while it was read. */
export interface DriftStats {
  /** Page boundaries where the list had shifted (devices added or removed before the offset). */
  shifts: number;
  /** Pages read again to recover devices that a removal had moved behind the offset. */
  recoveryPages: number;
}

/** A page slower than this to start answering (request to response headers) marks the service as slow. */
export const SLOW_PAGE_MS = 1_000;

/**
 * Pages whose answer times judge the service: the quicker of the last two counts. A page
 * asked for while others were still being served may wait its turn there, so a slow answer is
 * not on its own proof of a slow service; one quick answer shows that the service keeps up.
 * Judged by the slowest page ever instead, one first page slow to answer on a busy machine
 * kept three pages in flight to the end of a fast list, and cost two calls past its end.
 */
export const SERVICE_SAMPLES = 2;

/**
 * Pages in flight while the service answers quickly. Two, not one: with one, this process
 * waited 0.1–0.25 s for nearly every page of a 100,000-device list (the service starts a page
 * only when it is asked for, and shares the machine's CPU with us in the benchmark); with two,
 * the run took 1.11× less wall time and 1.08× less CPU (docs/benchmark.md). When the ids
 * foretell the list's end (`list-size.ts`), the second page is not asked for past it.
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
 * The `$skip` of the last page a reader asks for when the list holds `devices` devices: the
 * first page that comes back short (pages advance by `stride`, overlapping by one device).
 */
export const lastSkipOf = (devices: number, pageSize: number, stride: number): number =>
  devices < pageSize ? 0 : (Math.floor((devices - pageSize) / stride) + 1) * stride;

/**
 * What a page read by skip after a full page says about the list since that page (pages
 * overlap by one device, so it should begin with that page's last device):
 * - `continues`: it does (or the overlap cannot be checked: the page before had no last id);
 * - `grew`: it begins with a device already read: devices were added before the offset (the
 *   repeats are dropped downstream);
 * - `shrank`: it begins with a device never read, or one without an id: devices were removed
 *   and others moved behind the offset, so the stretch before must be read again;
 * - `empty`: no device where one should be: the list shrank to end there, or the answer left
 *   the rest out; only a read of the stretch before tells (see {@link endConfirmed}).
 */
export type Boundary = "continues" | "grew" | "shrank" | "empty";

/** The {@link Boundary} of a page of `length` items beginning with `firstId`, after a page that ended with `lastIdOfPrevious`. */
export const boundaryOf = (length: number, firstId: string | undefined, lastIdOfPrevious: string | undefined, wasRead: (id: string) => boolean): Boundary => {
  if (length === 0) return "empty";
  if (lastIdOfPrevious === undefined || firstId === lastIdOfPrevious) return "continues";
  return firstId !== undefined && wasRead(firstId) ? "grew" : "shrank";
};

/**
 * True when a read at `skip` that gave `length` devices, made after an empty page at
 * `emptySkip`, shows the list ending at or before `emptySkip` (it shrank); false when it shows
 * a device at or past it, so that the empty page left the rest of the list out.
 */
export const endConfirmed = (skip: number, length: number, emptySkip: number): boolean => skip + length <= emptySkip;

/** Steps back at most this many times at one boundary before giving up on a list that keeps moving. */
const MAX_STEP_BACKS = 3;

/** What a read of a stretch again is for, and how far the reading of that stretch has gone. */
interface Recovery {
  /** Steps back taken to reach this page (1 for the first read of the stretch before). */
  readonly stepBack: number;
  /**
   * For the read after an empty page that the overlap says should have held a device: that
   * page's skip and number. The list really shrank only if this read shows no device at or
   * past that skip.
   */
  readonly confirmsEnd: { readonly skip: number; readonly number: number } | null;
  /**
   * For a read of the stretch before a page that began with a device never read: that
   * device's id. The read must reach it (hold it after a device read before), or devices
   * added meanwhile have pushed part of the stretch past it: then the stretch after is read.
   */
  readonly reaches: string | undefined;
  /** Reads of the stretch after taken to reach `reaches` (at most {@link MAX_STEP_BACKS}). */
  readonly forwards: number;
  /**
   * For a read toward `reaches`: ids first read at or after the gap it must close (the page
   * that began with `reaches`, and recovery reads of this gap that began too late). A read
   * beginning with one of them begins past the gap, so it must step back like one beginning
   * with a device never read. Shared by the reads of one gap; at most a few pages of ids.
   */
  readonly late: Set<string> | undefined;
}

interface Pending {
  readonly number: number;
  readonly skip: number | null;
  /** Why this page is a stretch read again; null for a page read in order (by skip or nextLink). */
  readonly recovery: Recovery | null;
  readonly result: Promise<Fetched>;
  readonly abort: AbortController;
  /** True once the service has started answering (response headers in). */
  readonly answered: () => boolean;
}

/**
 * Yields the machine list page by page. Throws (for the caller to classify) on any
 * failure; what was yielded before stays valid.
 *
 * Offset drift: consecutive pages overlap by one device (`$skip` advances by
 * `pageSize - 1`), so a page must begin with the device that ended the one before. When it
 * begins with a device already read, devices were added before the offset: the repeats are
 * dropped downstream by id. When it begins with a device never read, devices were removed
 * and others moved behind the offset: the stretch before it is read again (stepping back
 * up to {@link MAX_STEP_BACKS} pages) so that none is lost. The overlap costs one extra
 * call only when the device count is within one device per page below a multiple of the
 * page size.
 *
 * The end of the list: a short page. An empty page where the overlap says a device is (the
 * last of the full page before) ends it only once a read of the stretch before comes back
 * short, showing that the list shrank; otherwise `ERR_API_LIST_CUT_SHORT`. Defender's 404
 * "no machines" is an empty tenant on the first page only; on any other page (a followed
 * nextLink's or a recovery read's included) it is `ERR_API_LIST_CUT_SHORT`. More than
 * `maxDevices` devices is `ERR_API_LIST_TOO_LONG`.
 */
export async function* readPages(client: Got, query: PageQuery, drift: DriftStats = { shifts: 0, recoveryPages: 0 }): AsyncGenerator<RawPage> {
  /**
   * How long the service takes to start answering a page: the quicker of the last
   * {@link SERVICE_SAMPLES} pages. Set to just over {@link SLOW_PAGE_MS} while a first page is
   * slow to answer, until pages are measured.
   */
  let serviceMs = 0;
  const recentServiceMs: number[] = [];
  /** Time the consumer spent on the full pages handed over so far, and their number. */
  let processingMs = 0;
  let processed = 0;
  const prefetch = (): number =>
    Math.max(
      1,
      query.prefetch ?? (serviceMs > SLOW_PAGE_MS ? slowPrefetch(serviceMs, processed > 0 ? processingMs / processed : null) : FAST_SERVICE_PREFETCH),
    );
  const stride = query.pageSize > 1 ? query.pageSize - 1 : 1;
  const overlapping = query.pageSize > 1;
  /** Byte buffers of bodies, kept from one page to the next: as many as pages were ever in flight at once. */
  const bodies: BodyBuffer[] = [];
  const seenIds = new Set<string>();
  /** Adds to `late` the ids of `items` not read before (called before the page's ids join `seenIds`); returns `late`. */
  const addUnread = (late: Set<string>, items: PageItems): Set<string> => {
    for (let index = 0; index < items.length; index++) {
      const id = items.idAt(index);
      if (id !== undefined && !seenIds.has(id)) late.add(id);
    }
    return late;
  };
  const queue: Pending[] = [];
  const drop = () => {
    for (const pending of queue.splice(0)) pending.abort.abort();
  };
  let nextSkip = 0;
  let pageNumber = 0;
  let followingNextLinks = false;
  /** Where the page a followed nextLink leads to starts in the list (nextLinks are followed one at a time). */
  let linkOffset = 0;
  let lastIdOfPrevious: string | undefined;

  const limits = (signal: AbortSignal): BodyLimits => ({
    signal,
    maxBytes: query.maxPageBytes ?? DEFAULT_MAX_PAGE_BYTES,
    deadlineMs: query.pageDeadlineMs ?? DEFAULT_PAGE_DEADLINE_MS,
  });
  const maxDevices = query.maxDevices ?? DEFAULT_MAX_DEVICES;
  /** Devices handed over so far (repeats that paging itself causes left out). */
  let handedOver = 0;

  const start = (url: string, skip: number | null, recovery: Recovery | null = null): Pending => {
    pageNumber += 1;
    const abort = new AbortController();
    const signal = query.signal ? AbortSignal.any([query.signal, abort.signal]) : abort.signal;
    let answered = false;
    const onAnswer = (response: PlainResponse) => {
      answered = true;
      query.onResponse?.(response);
    };
    const result = fetchPage(client, url, pageNumber, limits(signal), onAnswer, bodies);
    result.catch(() => undefined); // observed when dequeued; avoid an unhandled rejection meanwhile
    return { number: pageNumber, skip, recovery, result, abort, answered: () => answered };
  };
  // No page is asked for twice in order: skips only grow, and a nextLink is followed only where it continues the list
  // past a page that held devices (`checkNextLink`), so a link loop is refused there.
  const enqueue = (url: string, skip: number | null) => queue.push(start(url, skip));
  const enqueueBySkip = () => {
    enqueue(pageUrl(query, nextSkip), nextSkip);
    nextSkip += stride;
  };
  /** The skip of the expected last page (see `PageQuery.expectedDevices`), or Infinity once the list has outgrown it (or no count was given). */
  let expectedLastSkip = query.expectedDevices === undefined ? Number.POSITIVE_INFINITY : lastSkipOf(query.expectedDevices, query.pageSize, stride);
  /** From the first full page on, while the ids allow it, the expected end is the one they give (see `list-size.ts`). */
  const listSize = new ListSizeEstimate();
  /** Asks for pages by skip until {@link prefetch} of them are ahead of the one being read, none past the expected end. */
  const readAhead = () => {
    while (queue.filter((p) => p.recovery === null).length < prefetch() && nextSkip <= expectedLastSkip) enqueueBySkip();
  };
  /** Reads the stretch before `skip` again (with `forward`, the stretch after it), ahead of every page in the queue. */
  const recover = (skip: number, recovery: Recovery, forward = false) => {
    if (recovery.stepBack > MAX_STEP_BACKS || recovery.forwards > MAX_STEP_BACKS) {
      throw new ProbeRunError(
        pagingError(
          `The device list kept changing while it was read (devices removed faster than ${MAX_STEP_BACKS} pages could be read again); stopped so as not to miss any.`,
          "Run again later; the run is marked incomplete.",
        ),
      );
    }
    const back = forward ? skip + stride : Math.max(0, skip - stride);
    drift.recoveryPages += 1;
    queue.unshift(start(pageUrl(query, back), back, recovery));
  };

  /**
   * The head's page. While the service has not started answering the first page after
   * {@link SLOW_PAGE_MS}, it is taken as slow at once and the next pages are asked for,
   * instead of waiting for the first to arrive before learning that more are needed (it
   * costs up to {@link SLOW_SERVICE_PREFETCH} calls past the end when the whole list fits
   * that one page). A first page that is answered but still downloading is not slow service.
   */
  const answerOf = async (head: Pending): Promise<Fetched> => {
    if (head.skip !== 0 || head.recovery !== null || query.prefetch !== undefined || serviceMs > SLOW_PAGE_MS) return head.result;
    let timer: NodeJS.Timeout | undefined;
    // Checked after the loop's next I/O phase: a response already in the socket counts as answered.
    const slow = new Promise<"slow">((resolve) => (timer = setTimeout(() => setImmediate(() => resolve("slow")), SLOW_PAGE_MS)));
    try {
      const answer = await Promise.race([head.result, slow]);
      if (answer !== "slow") return answer;
    } finally {
      clearTimeout(timer);
    }
    if (head.answered()) return head.result;
    serviceMs = SLOW_PAGE_MS + 1;
    readAhead();
    return head.result;
  };

  enqueueBySkip();
  try {
    while (queue.length > 0) {
      const head = queue.shift();
      if (head === undefined) break;
      const page = await answerOf(head);
      if ("noMachines" in page) {
        // Documented for a tenant with no devices: true only of the first page. Past a full page it contradicts what was
        // read, and a recovery read that finds nothing where devices just were shows a list moving too fast to trust.
        if (head.skip === 0 && head.recovery === null) break;
        throw new ProbeRunError(listCutShort(head.number, 'was a 404 "no machines"'));
      }
      if (recentServiceMs.push(page.serviceMs) > SERVICE_SAMPLES) recentServiceMs.shift();
      serviceMs = Math.min(...recentServiceMs);
      const firstId = page.items.idAt(0);
      const recovery = head.recovery;
      if (recovery !== null) {
        // After an empty page: a device at or past its skip shows that the list had not ended there.
        const ends = recovery.confirmsEnd;
        if (ends !== null && head.skip !== null && !endConfirmed(head.skip, page.items.length, ends.skip))
          throw new ProbeRunError(listCutShort(ends.number, "was empty"));
        // A recovery page must reach back into what was already read; otherwise step back again. An empty one reaches
        // nothing: the list shrank below its skip, and devices not yet read may have moved before it. One that begins
        // with the device it must reach does not reach back past it either.
        const reaches = recovery.reaches;
        let at = -1;
        if (reaches !== undefined) for (let index = 0; index < page.items.length && at < 0; index++) if (page.items.idAt(index) === reaches) at = index;
        // One that begins with a device first read at or after the gap (on the page that began with that device, or on a
        // read of this gap that began too late) begins past the gap: the stretch between is still unread.
        const late = recovery.late;
        const beginsLate = firstId !== undefined && late !== undefined && late.has(firstId);
        if (head.skip !== null && head.skip > 0 && (page.items.length === 0 || at === 0 || beginsLate || (firstId !== undefined && !seenIds.has(firstId)))) {
          if (late !== undefined) addUnread(late, page.items);
          recover(head.skip, { ...recovery, stepBack: recovery.stepBack + 1, confirmsEnd: null });
        }
        // A full one that does not reach the device it must: devices were added meanwhile, and the rest of the stretch lies after it.
        else if (reaches !== undefined && at < 0 && head.skip !== null && page.items.length >= query.pageSize)
          recover(head.skip, { ...recovery, forwards: recovery.forwards + 1, confirmsEnd: null }, true);
      } else if (overlapping && !followingNextLinks && head.skip !== null && head.skip > 0) {
        const boundary = boundaryOf(page.items.length, firstId, lastIdOfPrevious, (id) => seenIds.has(id));
        if (boundary !== "continues") drift.shifts += 1;
        if (boundary === "shrank")
          recover(head.skip, { stepBack: 1, confirmsEnd: null, reaches: firstId, forwards: 0, late: addUnread(new Set(), page.items) });
        else if (boundary === "empty")
          recover(head.skip, { stepBack: 1, confirmsEnd: { skip: head.skip, number: head.number }, reaches: undefined, forwards: 0, late: undefined });
      }
      // Repeats that paging itself causes are not the API's duplicates: drop them here.
      let items = page.items;
      if (recovery !== null)
        items = items.pick((index) => {
          const id = page.items.idAt(index);
          return id === undefined || !seenIds.has(id);
        });
      else if (overlapping && head.skip !== null && head.skip > 0 && firstId !== undefined && firstId === lastIdOfPrevious)
        items = items.pick((index) => index > 0);
      // The items picked out above are in seenIds already: adding the rest adds every id of the page.
      const firsts = firstSightings(items, seenIds);
      let refused: Error | undefined;
      if (recovery === null) {
        lastIdOfPrevious = page.items.idAt(page.items.length - 1);
        const full = page.items.length >= query.pageSize;
        if (page.nextLink !== null) {
          // Not expected with $top; follow it, one page at a time, and drop pages read ahead by skip.
          followingNextLinks = true;
          drop();
          try {
            // A link from a page with no device would lead on without end, past any count of devices.
            if (page.items.length === 0)
              throw new ProbeRunError(pagingError("The API sent a page with no device and a link to another; stopped.", REPORT_HINT));
            const offset = (head.skip ?? linkOffset) + page.items.length;
            enqueue(checkNextLink(page.nextLink, query, offset), null);
            linkOffset = offset;
          } catch (error) {
            refused = error as Error; // this page is good: hand it over, then stop
          }
        } else if (followingNextLinks && full) {
          // A full page that names no next one does not show the list ended: the link could have been dropped.
          refused = new ProbeRunError(
            pagingError("A page the API's nextLink led to was full but named no next page, so the rest of the list could not be read.", REPORT_HINT),
          );
        } else if (!followingNextLinks && full) {
          // Read on. Before the expected last page, the next one is at or before it, so readAhead asks for it. A full page at or
          // past the expected last one: longer than expected, read on as if no count were known. Otherwise the ids may tell.
          if (head.skip !== null && head.skip >= expectedLastSkip) {
            expectedLastSkip = Number.POSITIVE_INFINITY;
            listSize.stop();
          } else if (head.skip !== null) {
            const bound = listSize.notePage(head.skip, page.items);
            if (bound !== undefined) expectedLastSkip = lastSkipOf(bound, query.pageSize, stride);
          }
          readAhead();
        } else if (!queue.some((p) => p.recovery !== null)) {
          drop(); // a short page ends the list; pages read ahead past it are cancelled
        } else {
          for (const p of queue.filter((x) => x.recovery === null)) p.abort.abort();
          queue.splice(0, queue.length, ...queue.filter((x) => x.recovery !== null));
        }
      }
      handedOver += items.length;
      if (handedOver > maxDevices) throw new ProbeRunError(listTooLong(maxDevices));
      const handedOverAt = performance.now();
      yield { number: head.number, items, recovery: recovery !== null, firstSightings: firsts };
      if (items.length >= query.pageSize - 1) {
        processingMs += performance.now() - handedOverAt;
        processed += 1;
      }
      if (refused !== undefined) throw refused;
    }
  } finally {
    drop(); // the consumer stopped early or failed: cancel what is still in flight
  }
}
