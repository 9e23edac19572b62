/**
 * Live counters of a simulated tenant, readable at any time (`tenant.stats`). The request
 * log keeps the method, path and query, status and the authorization scheme — never a
 * token or secret.
 */

/** One logged request. */
export interface RequestLogEntry {
  readonly method: string;
  /** Path and query as received. */
  readonly path: string;
  readonly status: number;
  /** Authorization scheme (`Bearer`, `Basic`) or null; the credential itself is never kept. */
  readonly auth: string | null;
  /** When it arrived: `performance.now()` of the tenant's process, ms. */
  readonly receivedAtMs: number;
  /** Time to the end of the response, ms. */
  readonly ms: number;
  /** Kinds of the faults applied to it. */
  readonly faults: readonly string[];
}

/** A fault that was applied. */
export interface AppliedFault {
  readonly target: "api" | "token";
  /** Request number within the current fault plan. */
  readonly request: number;
  readonly kind: string;
  readonly path: string;
}

/** Counters; the object is updated in place. */
export interface SimulatorStats {
  /** POSTs (and GETs) to the token endpoints. */
  tokenRequests: number;
  /** Tokens issued. */
  tokensIssued: number;
  /** OpenID configuration and JWKS requests. */
  metadataRequests: number;
  /** Requests under `/api/`. */
  apiRequests: number;
  /** API answers with 429 (rate limiter or fault). */
  throttled: number;
  /** Response count by HTTP status (`"200"`, `"429"`, …), all endpoints. */
  byStatus: Record<string, number>;
  requestLog: RequestLogEntry[];
  /** Log entries not kept because of `requestLogLimit`. */
  requestLogDropped: number;
  /** API requests in flight right now. */
  concurrentApiRequests: number;
  /** Most API requests ever in flight at once. */
  maxConcurrentApiRequests: number;
  /** Machine records served in `/api/machines` pages. */
  machinesServed: number;
  /** `/api/machines` list answers built from the device list. */
  listPagesRendered: number;
  /** `/api/machines` list answers sent from the page cache (`pageCache: true`). */
  listPagesFromCache: number;
  faultsApplied: AppliedFault[];
}

/** Fresh zeroed counters. */
export const emptyStats = (): SimulatorStats => ({
  tokenRequests: 0,
  tokensIssued: 0,
  metadataRequests: 0,
  apiRequests: 0,
  throttled: 0,
  byStatus: {},
  requestLog: [],
  requestLogDropped: 0,
  concurrentApiRequests: 0,
  maxConcurrentApiRequests: 0,
  machinesServed: 0,
  listPagesRendered: 0,
  listPagesFromCache: 0,
  faultsApplied: [],
});

/** Zeroes `stats` in place (keeps in-flight counts). */
export const resetStats = (stats: SimulatorStats): void => {
  const inFlight = stats.concurrentApiRequests;
  Object.assign(stats, emptyStats(), { concurrentApiRequests: inFlight, maxConcurrentApiRequests: inFlight });
};

/** Records a finished response. */
export const recordResponse = (stats: SimulatorStats, entry: RequestLogEntry, limit: number): void => {
  stats.byStatus[String(entry.status)] = (stats.byStatus[String(entry.status)] ?? 0) + 1;
  if (stats.requestLog.length < limit) stats.requestLog.push(entry);
  else stats.requestLogDropped += 1;
};
