/**
 * Reads the machine list page by page, so that no device is silently lost or repeated:
 * `$top`/`$skip` until a short page (the API turns `@odata.nextLink` off when `$top` is
 * given), a nextLink followed if one appears anyway (same origin only: the bearer token
 * never goes elsewhere), a guard against loops, and the next pages fetched while the current
 * one is processed. Three parts:
 * - `paging-plan.ts`: which pages to ask for, what each says about a list that changes while it
 *   is read, what to hand over, when the list ended (pure, tested without HTTP);
 * - `read-ahead.ts`: how many pages to have in flight, and how far ahead (pure);
 * - this file: fetching a page with got ({@link readPages} performs what the plan says).
 *
 * Vendor doc: https://learn.microsoft.com/defender-endpoint/api/get-machines and
 * https://learn.microsoft.com/defender-endpoint/api/exposed-apis-odata-samples
 */
import type { Got, PlainResponse } from "got";
import { HTTPError } from "got";
import { badPage, pageTooLarge, pageTooSlow, readErrorBody } from "./api-errors.js";
import { ProbeRunError } from "../../engine/errors.js";
import { parsedItems, scannedItems, type PageItems } from "../../sync/page-items.js";
import { scanPage, withoutItems, type PageLayout } from "../../sync/page-scan.js";
import { BodyBuffer, BodyDeadlineError, BodyTooLargeError, streamBody, type BodyLimits } from "../../runtime/http/stream-body.js";
import { DEFAULT_MAX_PAGE_BYTES, DEFAULT_PAGE_DEADLINE_MS } from "../../sync/read-bounds.js";
import { PagingPlan, boundaryOf, endConfirmed, pageUrl, type Boundary, type Command, type DriftStats, type PlannedRead } from "./paging-plan.js";
import {
  FAST_SERVICE_PREFETCH,
  MAX_PREFETCH,
  ReadAhead,
  SERVICE_SAMPLES,
  SLOW_PAGE_MS,
  SLOW_SERVICE_PREFETCH,
  lastSkipOf,
  slowPrefetch,
} from "./read-ahead.js";

export { boundaryOf, endConfirmed, pageUrl, type Boundary, type DriftStats };
export { FAST_SERVICE_PREFETCH, MAX_PREFETCH, SERVICE_SAMPLES, SLOW_PAGE_MS, SLOW_SERVICE_PREFETCH, lastSkipOf, slowPrefetch };

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

/** Where a machine list page keeps its machines, and each machine its id. */
const MACHINE_PAGE: PageLayout = { items: "value", id: "id" };

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
  bodies: BodyPool,
): Promise<Fetched> => {
  let body: string;
  let serviceMs: number;
  let status: number;
  const bytes = bodies.take();
  try {
    const response = await streamBody(client, url, limits, bytes, onAnswer);
    status = response.statusCode;
    body = status === 200 ? bytes.text() : "";
    serviceMs = response.timings.phases.firstByte ?? response.timings.phases.total ?? 0;
  } catch (error) {
    // Only the not-found of the resource itself says "no machines": a route the API does not have (a wrong apiBaseUrl)
    // answers 404 `NotFound` in the same error shape, and an empty tenant read from it would call every asset missing.
    if (error instanceof HTTPError && error.response.statusCode === 404 && readErrorBody(error.response.body)?.code === "ResourceNotFound")
      return { noMachines: true };
    if (error instanceof BodyTooLargeError) throw new ProbeRunError(pageTooLarge(pageNumber, error.maxBytes, error.declared));
    if (error instanceof BodyDeadlineError) throw new ProbeRunError(pageTooSlow(pageNumber, error.deadlineMs, error.received));
    throw error;
  } finally {
    bodies.give(bytes);
  }
  if (status !== 200) throw new ProbeRunError(badPage(pageNumber, `the API answered HTTP ${status}, not 200`));
  // A page the scan can split is parsed without its items (each is parsed when used); any other, whole.
  const scan = scanPage(body, MACHINE_PAGE);
  let parsed: unknown;
  try {
    parsed = JSON.parse(scan === undefined ? body : withoutItems(body, scan));
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

/**
 * Byte buffers of page bodies, kept from one page to the next: as many as pages were ever in
 * flight at once. Closed when the list has been read, it keeps none (a fetch still being
 * cancelled then drops its own): nothing that outlives the read holds them.
 */
class BodyPool {
  private free: BodyBuffer[] = [];
  private closed = false;

  /** A buffer for the next body: a kept one, or a new one. */
  take(): BodyBuffer {
    return this.free.pop() ?? new BodyBuffer();
  }

  /** Gives `buffer` back once its body has been read (kept only while the pool is open). */
  give(buffer: BodyBuffer): void {
    if (!this.closed) this.free.push(buffer);
  }

  /** Drops every kept buffer; the pool keeps none afterwards. */
  close(): void {
    this.closed = true;
    this.free = [];
  }
}

/** A page asked for: its fetch, and how to cancel it. */
interface InFlight {
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
 * up to three pages) so that none is lost. A read ends without error only when its pages,
 * linked by the devices they share, prove that every device that stayed in the list was read;
 * otherwise `ERR_API_PAGING` (the run is incomplete). The overlap costs one extra
 * call only when the device count is within one device per page below a multiple of the
 * page size.
 *
 * The end of the list: a short page. An empty page where the overlap says a device is (the
 * last of the full page before) ends it only once a read of the stretch before comes back
 * short, showing that the list shrank; otherwise `ERR_API_LIST_CUT_SHORT`. Defender's 404
 * "no machines" is an empty tenant on the first page only; on any other page (a followed
 * nextLink's or a recovery read's included) it is `ERR_API_LIST_CUT_SHORT`. More than
 * `maxDevices` devices is `ERR_API_LIST_TOO_LONG`. (The decisions: `paging-plan.ts`.)
 */
export async function* readPages(client: Got, query: PageQuery, drift: DriftStats = { shifts: 0, recoveryPages: 0 }): AsyncGenerator<RawPage> {
  const ahead = new ReadAhead(query);
  const plan = new PagingPlan(query, ahead, drift);
  const bodies = new BodyPool();
  const inFlight = new Map<number, InFlight>();
  const limits = (signal: AbortSignal): BodyLimits => ({
    signal,
    maxBytes: query.maxPageBytes ?? DEFAULT_MAX_PAGE_BYTES,
    deadlineMs: query.pageDeadlineMs ?? DEFAULT_PAGE_DEADLINE_MS,
  });
  const start = ({ number, url }: PlannedRead): InFlight => {
    const abort = new AbortController();
    const signal = query.signal ? AbortSignal.any([query.signal, abort.signal]) : abort.signal;
    let answered = false;
    const onAnswer = (response: PlainResponse) => {
      answered = true;
      query.onResponse?.(response);
    };
    const result = fetchPage(client, url, number, limits(signal), onAnswer, bodies);
    result.catch(() => undefined); // observed when taken; avoid an unhandled rejection meanwhile
    return { result, abort, answered: () => answered };
  };
  const perform = (commands: readonly Command[]) => {
    for (const { _tag, read } of commands) {
      if (_tag === "Start") inFlight.set(read.number, start(read));
      else {
        inFlight.get(read.number)?.abort.abort();
        inFlight.delete(read.number);
      }
    }
  };

  /**
   * The answer to `read`. While the service has not started answering the first page after
   * {@link SLOW_PAGE_MS}, it is taken as slow at once and the next pages are asked for,
   * instead of waiting for the first to arrive before learning that more are needed (it
   * costs up to {@link SLOW_SERVICE_PREFETCH} calls past the end when the whole list fits
   * that one page). A first page that is answered but still downloading is not slow service.
   */
  const answerOf = async (read: PlannedRead, page: InFlight): Promise<Fetched> => {
    if (read.skip !== 0 || read.recovery !== null || !ahead.watchesFirstAnswer()) return page.result;
    let timer: NodeJS.Timeout | undefined;
    // Checked after the loop's next I/O phase: a response already in the socket counts as answered.
    const slow = new Promise<"slow">((resolve) => (timer = setTimeout(() => setImmediate(() => resolve("slow")), SLOW_PAGE_MS)));
    try {
      const answer = await Promise.race([page.result, slow]);
      if (answer !== "slow") return answer;
    } finally {
      clearTimeout(timer);
    }
    if (page.answered()) return page.result;
    ahead.markSlow();
    perform(plan.readAhead());
    return page.result;
  };

  perform(plan.begin());
  try {
    for (let read = plan.take(); read !== undefined; read = plan.take()) {
      const pending = inFlight.get(read.number);
      inFlight.delete(read.number);
      if (pending === undefined) throw new Error(`page ${read.number} was never asked for`); // the plan starts every page it queues
      const page = await answerOf(read, pending);
      if (!("noMachines" in page)) ahead.noteService(page.serviceMs);
      const { commands, decision } = plan.onPage(read, page);
      perform(commands);
      if (decision._tag === "End") break;
      if (decision._tag === "Fail") throw new ProbeRunError(decision.error);
      const handedOverAt = performance.now();
      yield { number: read.number, items: decision.items, recovery: decision.recovery, firstSightings: decision.firstSightings };
      ahead.noteProcessing(performance.now() - handedOverAt, decision.items.length);
      if (decision.then !== undefined) throw new ProbeRunError(decision.then);
    }
  } finally {
    perform(plan.cancelAll()); // the consumer stopped early or failed: cancel what is still in flight
    bodies.close(); // the run correlates and writes its records after this: the page buffers (tens of megabytes) go now
  }
}
