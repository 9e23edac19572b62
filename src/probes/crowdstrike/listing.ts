/**
 * Reads Falcon's host list to its documented end, page by page, so that no host is lost or
 * handed over twice:
 * - the combined endpoint (`GET /devices/combined/devices/v1`), full hosts by the page,
 *   following `meta.pagination.next` (sent back as `offset`, with the filter and sort each
 *   time): the fewest calls;
 * - on GovCloud, or when the combined endpoint is not there (404, or a 403 that is not a
 *   missing scope), the scroll endpoint's ids (`GET /devices/queries/devices-scroll/v1`, read
 *   to its end first: its pointer expires two minutes after each call), then the hosts by
 *   `POST /devices/entities/devices/v2`, 5,000 ids a call.
 * A token that expired (400) starts the listing again; hosts already read are not handed over
 * again (by `device_id`). The listing ends without error only at the documented end (a
 * `meta.pagination` with no `next`, or a scroll `offset` of ""); every other way it ends is an error. Decisions: `paging.ts`.
 *
 * Vendor docs: the swagger's hosts operations (gofalcon `falcon/client/hosts/hosts_client.go`).
 */
import type { ProbeLogEvent } from "../../contract.js";
import { ProbeRunError } from "../../engine/errors.js";
import { firstSightingsBy, parsedItems, scannedItems, type PageItems } from "../../sync/page-items.js";
import type { PageLayout } from "../../sync/page-scan.js";
import type { SourcePage } from "../../sync/source.js";
import { badPage, listShort, listTooLong, pagingError } from "./api-errors.js";
import type { CallRequest, FalconCalls, FalconEnvelope } from "./calls.js";
import { deviceIdOf, type RawFalconItem } from "./host.js";
import { failureOf, LoopWatch, MAX_RESTARTS, nextToken, paginationProblem, recovery, totalOf } from "./paging.js";

/** The paths of the hosts API. */
export const HOSTS_PATHS = {
  combined: "/devices/combined/devices/v1",
  scroll: "/devices/queries/devices-scroll/v1",
  entities: "/devices/entities/devices/v2",
} as const;

/** Most ids one `POST /devices/entities/devices/v2` takes. */
export const ENTITIES_BATCH = 5_000;

/** The sort that keeps pages stable (the combined endpoint's default, sent on every call). */
const SORT = "device_id.asc";

/** What to read. */
export interface ListingSettings {
  /** Hosts (or ids) per call, 1 to 10,000. */
  readonly pageSize: number;
  /** Most distinct hosts (or scroll ids) read before the list is taken to go on without end. */
  readonly maxDevices: number;
  /** An FQL filter, passed as it is. */
  readonly filter?: string | undefined;
  /** Read by scroll from the start (GovCloud). */
  readonly scrollOnly: boolean;
  /** The time before which a `last_seen` is stale, by the run's clock now. */
  readonly staleBefore: () => number;
  /** The run's task log. */
  readonly taskLog: (event: ProbeLogEvent) => void;
  /** Prefix of the task-log codes. */
  readonly logPrefix: string;
}

/** What the listing found, for the warnings once it ends. */
export interface ListingStats {
  /** How the hosts were read. */
  path: "combined" | "scroll";
  /** Starts again after a token expired. */
  restarts: number;
  /** The total Falcon announced (combined: on the latest page; scroll: on the first page of the last start), when it did. */
  total: number | null;
  /** Distinct hosts (combined) or ids (scroll) read. */
  distinct: number;
  /** Ids the scroll listed whose host was gone when asked for. */
  vanished: number;
  /** True once the documented end was reached. */
  ended: boolean;
}

/** A page's hosts as the pipeline takes them, each with the run's staleness time; an item's text is its host's, as sent. */
export const falconItems = (hosts: PageItems, staleBefore: number): PageItems => ({
  length: hosts.length,
  idAt: (index) => hosts.idAt(index),
  itemAt: (index): RawFalconItem => ({ host: hosts.itemAt(index), staleBefore }),
  textAt: (index) => hosts.textAt(index),
  pick: (keep) => falconItems(hosts.pick(keep), staleBefore),
});

/** Where a combined page keeps its hosts, and each host its id. */
const HOSTS_PAGE: PageLayout = { items: "resources", id: "device_id" };

/** The hosts of an answer: split when they could be, else parsed. */
const hostsOf = (envelope: FalconEnvelope): PageItems =>
  envelope.split === undefined ? parsedItems(envelope.resources, deviceIdOf) : scannedItems(envelope.split);

/** The list was started again {@link MAX_RESTARTS} times and its token expired once more. */
const expiredTooOften = (what: string): ProbeRunError =>
  new ProbeRunError(
    pagingError(
      `The Falcon ${what} token expired (HTTP 400) again after the list was read from its start ${MAX_RESTARTS} times; the list could not be read to its end.`,
      "Falcon's tokens live about two minutes between calls: check for long pauses (a slow link, a throttled CID) and run again.",
    ),
  );

/** What the listing sends its calls through: {@link FalconCalls}, or a script of answers in a test. */
export type HostCalls = Pick<FalconCalls, "call">;

/** A call under way, and how to cancel it. */
interface PendingCall {
  readonly result: Promise<FalconEnvelope>;
  readonly abort: AbortController;
}

/** Starts `request` through `calls`, cancellable; its failure is seen where it is awaited, not as an unhandled rejection meanwhile. */
const startCall = (calls: HostCalls, request: CallRequest): PendingCall => {
  const abort = new AbortController();
  const result = calls.call({ ...request, signal: abort.signal });
  result.catch(() => undefined);
  return { result, abort };
};

/**
 * At the documented end of the list: throws `ERR_API_LIST_CUT_SHORT` when fewer hosts were
 * `read` than Falcon `announced` (the total counts the hosts there are now: some exist that were
 * not read). More read than announced is hosts removed meanwhile, a warning of the session's.
 */
const endsWhole = (announced: number | null, read: number): void => {
  if (announced !== null && read < announced) throw new ProbeRunError(listShort(announced, read));
};

/** Yields the host list (see the module comment); throws what stopped it, for the session to classify. */
export async function* listHosts(calls: HostCalls, settings: ListingSettings, stats: ListingStats): AsyncGenerator<SourcePage, void, undefined> {
  const seen = new Set<string>();
  /** Hosts without an id read since the list was (re)started: read, though `seen` cannot hold them. */
  let idless = 0;
  let number = 0;
  const page = (hosts: PageItems): SourcePage => {
    const items = falconItems(hosts, settings.staleBefore());
    const firstSightings = firstSightingsBy(items, (id) => seen.size < seen.add(id).size);
    for (let index = 0; index < items.length; index++) if (items.idAt(index) === undefined) idless += 1;
    stats.distinct = seen.size;
    number += 1;
    return { number, items, firstSightings };
  };
  const base = { limit: settings.pageSize, sort: SORT, ...(settings.filter === undefined ? {} : { filter: settings.filter }) };
  const restart = (what: string) => {
    stats.restarts += 1;
    idless = 0;
    settings.taskLog({
      level: "warning",
      code: `${settings.logPrefix}_LIST_RESTARTED`,
      message: `The ${what} token expired (HTTP 400); reading the list again from its start (${stats.restarts} of ${MAX_RESTARTS}); hosts already read are not repeated.`,
    });
  };

  if (!settings.scrollOnly) {
    let token: string | undefined;
    let readAny = false;
    let watch = new LoopWatch();
    /** The combined page after `after` (the first page without it). */
    const askFor = (after: string | undefined): PendingCall =>
      startCall(calls, { method: "GET", path: HOSTS_PATHS.combined, searchParams: after === undefined ? base : { ...base, offset: after }, split: HOSTS_PAGE });
    /** The call for `token` when it was made before the page before was handed over (see below). */
    let pending: PendingCall | undefined;
    try {
      for (;;) {
        let envelope;
        try {
          const call = pending ?? askFor(token);
          pending = undefined;
          envelope = await call.result;
        } catch (error) {
          const next = recovery(failureOf(error), "combined", token, readAny, stats.restarts);
          if (next === "fail") throw error;
          if (next === "exhausted") throw expiredTooOften("next");
          if (next === "restart") {
            restart("next");
            token = undefined;
            watch = new LoopWatch();
            continue;
          }
          settings.taskLog({
            level: "info",
            code: `${settings.logPrefix}_SCROLL`,
            message: "The combined hosts endpoint is not available here (GovCloud?); reading host ids by scroll, then the hosts 5,000 at a time.",
          });
          break;
        }
        readAny = true;
        const wrong = paginationProblem(envelope.pagination, "next");
        if (wrong !== null) throw new ProbeRunError(badPage(wrong, envelope.traceId));
        stats.total = totalOf(envelope.pagination) ?? stats.total; // the latest: hosts added or removed meanwhile count
        const before = seen.size;
        const hosts = hostsOf(envelope);
        const taken = page(hosts);
        if (seen.size > settings.maxDevices) throw new ProbeRunError(listTooLong(settings.maxDevices));
        const next = nextToken(envelope.pagination, "next");
        if (next === null) {
          yield taken;
          stats.ended = true;
          endsWhole(stats.total, seen.size + idless);
          return;
        }
        const looping = watch.page(hosts.length, seen.size - before, seen.size);
        if ((next === token && seen.size === before) || looping) {
          yield taken;
          throw new ProbeRunError(
            pagingError("The Falcon host list kept giving a next token with no new host: it loops.", "Run again; report it with the trace ids if it persists."),
          );
        }
        token = next;
        // The next page is asked for now, so that it downloads while this one is worked through (calls still go one
        // at a time: this one has been read whole).
        pending = askFor(token);
        yield taken;
      }
    } finally {
      pending?.abort.abort(); // the consumer stopped early or failed: the page asked for ahead is not wanted
    }
  }

  stats.path = "scroll";
  const ids = await scrollIds(calls, { ...base, limit: Math.min(settings.pageSize, 10_000) }, stats, restart, settings.maxDevices);
  const batch = Math.min(settings.pageSize, ENTITIES_BATCH);
  const details = async (asked: readonly string[]) =>
    (await calls.call({ method: "POST", path: HOSTS_PATHS.entities, json: { ids: asked }, tolerateNotFound: true })).resources;
  for (let from = 0; from < ids.length; from += batch) {
    const asked = ids.slice(from, from + batch);
    const resources = await details(asked);
    const returned = new Set(resources.map(deviceIdOf));
    const left = asked.filter((id) => !returned.has(id));
    // Asked once more: an id left out twice is a host hidden or deleted since the scroll listed it.
    const again = left.length > 0 ? await details(left) : [];
    for (const host of again) returned.add(deviceIdOf(host));
    stats.vanished += left.filter((id) => !returned.has(id)).length;
    if (vanishedTooMany(stats.vanished, ids.length))
      throw new ProbeRunError(
        pagingError(
          `${stats.vanished} of the ${ids.length} host ids the scroll listed had no host when asked for, twice: more than deletions during a read explain.`,
          "Run again; report it with the trace ids if it persists.",
        ),
      );
    yield page(parsedItems(again.length > 0 ? [...resources, ...again] : resources, deviceIdOf));
  }
  stats.distinct = ids.length;
  stats.ended = true;
}

/**
 * True when more ids vanished between the scroll and the details than hosts hidden or deleted
 * during one read explain (more than 1 % of the list): Falcon leaves unknown ids out of its
 * answer without an error, so a server that answered with nothing at all would otherwise end
 * the run complete with every scanned asset missing.
 */
export const vanishedTooMany = (vanished: number, listed: number): boolean => vanished * 100 > listed;

/** Reads every id by scroll, to the pointer's end (`offset: ""`), each id once across restarts. */
const scrollIds = async (
  calls: HostCalls,
  params: Readonly<Record<string, string | number>>,
  stats: ListingStats,
  restart: (what: string) => void,
  maxDevices: number,
): Promise<string[]> => {
  const ids: string[] = [];
  const known = new Set<string>();
  let token: string | undefined;
  let watch = new LoopWatch();
  for (;;) {
    let envelope;
    try {
      envelope = await calls.call({ method: "GET", path: HOSTS_PATHS.scroll, searchParams: token === undefined ? params : { ...params, offset: token } });
    } catch (error) {
      const next = recovery(failureOf(error), "scroll", token, true, stats.restarts);
      if (next === "exhausted") throw expiredTooOften("scroll");
      if (next !== "restart") throw error;
      restart("scroll");
      token = undefined;
      watch = new LoopWatch();
      continue;
    }
    const wrong = paginationProblem(envelope.pagination, "offset");
    if (wrong !== null) throw new ProbeRunError(badPage(wrong, envelope.traceId));
    if (token === undefined) stats.total = totalOf(envelope.pagination);
    let fresh = 0;
    for (const id of envelope.resources) {
      if (typeof id !== "string") throw new ProbeRunError(badPage("a scroll page's resources are not all host ids", envelope.traceId));
      if (!known.has(id)) {
        known.add(id);
        ids.push(id);
        fresh += 1;
      }
    }
    if (ids.length > maxDevices) throw new ProbeRunError(listTooLong(maxDevices));
    const next = nextToken(envelope.pagination, "offset");
    if (next === null) {
      endsWhole(stats.total, ids.length);
      return ids;
    }
    if (watch.page(envelope.resources.length, fresh, ids.length))
      throw new ProbeRunError(
        pagingError("The Falcon scroll went on without any new host id: it loops.", "Run again; report it with the trace ids if it persists."),
      );
    token = next;
  }
};
