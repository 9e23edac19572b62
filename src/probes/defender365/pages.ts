/**
 * Reads the machine list page by page, so that no device is silently lost or repeated:
 * `$top`/`$skip` until a short page (the API turns `@odata.nextLink` off when `$top` is
 * given), a nextLink followed if one appears anyway (same origin only: the bearer token
 * never goes elsewhere), a guard against loops, and the next page fetched while the current
 * one is processed.
 *
 * Vendor doc: https://learn.microsoft.com/defender-endpoint/api/get-machines and
 * https://learn.microsoft.com/defender-endpoint/api/exposed-apis-odata-samples
 */
import type { Got } from "got";
import { HTTPError } from "got";
import { badPage, pagingError, readErrorBody } from "./api-errors.js";

/** What to read. */
export interface PageQuery {
  /** API base URL (`https://api.security.microsoft.com`). */
  readonly apiBaseUrl: string;
  /** Devices per call (1–10,000). */
  readonly pageSize: number;
  /** OData `$filter`, e.g. `healthStatus ne 'Inactive'`. */
  readonly filter?: string | undefined;
  /** Pages requested ahead of the one being processed (1 = the next page only). */
  readonly prefetch?: number | undefined;
  /** Cancels every request in flight. */
  readonly signal?: AbortSignal | undefined;
}

/** One page as received: its raw items, not yet decoded. */
export interface RawPage {
  /** 1-based page number, for messages. */
  readonly number: number;
  /** The items of `value`, undecoded. */
  readonly items: readonly unknown[];
}

/** The URL of the page at `skip`. */
export const pageUrl = (query: PageQuery, skip: number): string => {
  const url = new URL(`${query.apiBaseUrl}/api/machines`);
  url.searchParams.set("$top", String(query.pageSize));
  url.searchParams.set("$skip", String(skip));
  if (query.filter) url.searchParams.set("$filter", query.filter);
  return url.toString();
};

type Fetched = { readonly items: readonly unknown[]; readonly nextLink: string | null } | { readonly end: true };

/**
 * Fetches one page. A 404 that carries Defender's error body means "no machines here"
 * (documented for an empty list; also seen past the end): it ends the list. Any other
 * failure is thrown for the caller to classify.
 */
const fetchPage = async (client: Got, url: string, pageNumber: number, signal: AbortSignal | undefined): Promise<Fetched> => {
  let body: string;
  try {
    body = await client.get(url, { signal }).text();
  } catch (error) {
    if (error instanceof HTTPError && error.response.statusCode === 404 && readErrorBody(error.response.body) !== null) return { end: true };
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw badPage(pageNumber, body.length === 0 ? "the body was empty" : `the body is not JSON (${body.length} bytes, starting ${JSON.stringify(body.slice(0, 20))})`);
  }
  if (typeof parsed !== "object" || parsed === null || !Array.isArray((parsed as { value?: unknown }).value)) {
    throw badPage(pageNumber, "it has no `value` array");
  }
  const next = (parsed as { "@odata.nextLink"?: unknown })["@odata.nextLink"];
  return { items: (parsed as { value: unknown[] }).value, nextLink: typeof next === "string" ? next : null };
};

/** Refuses a nextLink to another origin or plain http: the bearer token goes to the API origin only. */
const checkNextLink = (link: string, apiBaseUrl: string): string => {
  let url: URL;
  try {
    url = new URL(link, apiBaseUrl);
  } catch {
    throw pagingError("The API returned a nextLink that is not a URL.", "Run again; report it if it persists.");
  }
  if (url.origin !== new URL(apiBaseUrl).origin) {
    throw pagingError(
      `The API returned a nextLink to another origin (${url.origin}); it was not followed, so the token was not sent there.`,
      "Check apiBaseUrl and any proxy rewriting responses. The run is marked incomplete.",
    );
  }
  return url.toString();
};

/**
 * Yields the machine list page by page. Throws (for the caller to classify) on any
 * failure; what was yielded before stays valid.
 */
export async function* readPages(client: Got, query: PageQuery): AsyncGenerator<RawPage> {
  const prefetch = Math.max(1, query.prefetch ?? 1);
  const seenUrls = new Set<string>();
  const queue: { number: number; result: Promise<Fetched>; abort: AbortController }[] = [];
  const drop = () => {
    for (const pending of queue.splice(0)) pending.abort.abort();
  };
  let nextSkip = 0;
  let pageNumber = 0;
  let followingNextLinks = false;

  const enqueue = (url: string) => {
    if (seenUrls.has(url)) throw pagingError("The API sent the same page link twice (a paging loop); stopped.", "Run again; the run is marked incomplete.");
    seenUrls.add(url);
    pageNumber += 1;
    const abort = new AbortController();
    const signal = query.signal ? AbortSignal.any([query.signal, abort.signal]) : abort.signal;
    const result = fetchPage(client, url, pageNumber, signal);
    result.catch(() => undefined); // observed when dequeued; avoid an unhandled rejection meanwhile
    queue.push({ number: pageNumber, result, abort });
  };
  const enqueueBySkip = () => {
    enqueue(pageUrl(query, nextSkip));
    nextSkip += query.pageSize;
  };

  enqueueBySkip();
  try {
  while (queue.length > 0) {
    const head = queue.shift();
    if (head === undefined) break;
    const page = await head.result;
    if ("end" in page) break;
    const full = page.items.length >= query.pageSize;
    if (page.nextLink !== null) {
      // Not expected with $top; follow it, one page at a time, and drop pages read ahead by skip.
      followingNextLinks = true;
      drop();
      enqueue(checkNextLink(page.nextLink, query.apiBaseUrl));
    } else if (!followingNextLinks && full) {
      while (queue.length < prefetch) enqueueBySkip();
    } else {
      drop(); // a short page ends the list; pages read ahead past it are cancelled
    }
    yield { number: head.number, items: page.items };
  }
  } finally {
    drop(); // the consumer stopped early or failed: cancel what is still in flight
  }
}
