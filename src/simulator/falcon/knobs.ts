/**
 * Run-time switches of the simulated Falcon cloud, for behaviour the reference marks
 * unverified or that tests need to force. `falcon.knobs` is the live object: assign a field
 * and the next request sees it.
 */

/** Rate limits (reference §5). */
export interface FalconRateLimits {
  /** Requests per sliding minute per customer (CID), every API client together. Default 6000. */
  perCidPerMinute: number;
  /** Requests per minute per source IP carrying a missing, bad or expired token. Default 15. */
  badTokenPerIpPerMinute: number;
  /** `/oauth2/token` and `/oauth2/revoke` requests per minute per source IP. Default 300. */
  tokenPerIpPerMinute: number;
}

/** Page and batch limits of the hosts endpoints (reference §3.1); over them is a 400. */
export interface FalconPageLimits {
  /** Combined endpoints' `limit`. Default 10000. */
  combined: number;
  /** Scroll `limit`. Default 10000. */
  scroll: number;
  /** Integer-offset queries' `limit`. Default 5000. */
  query: number;
  /** Largest `offset + limit` of `/devices/queries/devices/v1`. Default 10000. */
  queryWindow: number;
  /** Ids on `GET /devices/entities/devices/v2` and online state. Default 100. */
  entitiesGet: number;
  /** Ids in a `POST /devices/entities/devices/v2` body. Default 5000 [UNVERIFIED]. */
  entitiesPost: number;
}

/** The switches. */
export interface FalconKnobs {
  /** `expires_in` of new tokens, and how long they are accepted, seconds. Default 1799. */
  tokenLifetimeSeconds: number;
  /** How long a scroll offset lives after each call (sliding), ms. Default 120000. */
  scrollTtlMs: number;
  /** Whether each scroll page hands out a new offset (real traffic repeated the same one). Default false. */
  scrollOffsetChanges: boolean;
  /** How long a combined `next` token lives after it was handed out, ms; null for ever. Default 120000 [UNVERIFIED]. */
  nextTtlMs: number | null;
  /** Make the combined endpoints answer 404 or 403, as for GovCloud customers; null serves them. Default null. */
  combinedUnavailable: 404 | 403 | null;
  /** Unit of `X-RateLimit-RetryAfter`: epoch seconds (what servers send) or milliseconds (what the swagger says). Default seconds. */
  retryAfterUnit: "seconds" | "milliseconds";
  /** Unknown ids on the entities endpoints add a 404 entry to `errors` (else they are only left out). Default false [UNVERIFIED]. */
  unknownIdErrors: boolean;
  /** `meta.pagination.offset` of `/devices/queries/devices/v1`: the next offset or the one requested. Default "next" [UNVERIFIED]. */
  queryOffset: "next" | "current";
  /** Add `X-Cs-Region` to data responses too (seen on token responses only). Default false. */
  regionOnDataResponses: boolean;
  /** Rate limits, or false for none. */
  rateLimit: FalconRateLimits | false;
  /** Page and batch limits. */
  limits: FalconPageLimits;
}

/** The defaults. */
export const defaultKnobs = (): FalconKnobs => ({
  tokenLifetimeSeconds: 1799,
  scrollTtlMs: 120_000,
  scrollOffsetChanges: false,
  nextTtlMs: 120_000,
  combinedUnavailable: null,
  retryAfterUnit: "seconds",
  unknownIdErrors: false,
  queryOffset: "next",
  regionOnDataResponses: false,
  rateLimit: { perCidPerMinute: 6000, badTokenPerIpPerMinute: 15, tokenPerIpPerMinute: 300 },
  limits: { combined: 10_000, scroll: 10_000, query: 5000, queryWindow: 10_000, entitiesGet: 100, entitiesPost: 5000 },
});
