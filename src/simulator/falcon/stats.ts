/**
 * Live counters of a simulated Falcon cloud (`falcon.stats`), updated in place: requests per
 * endpoint, tokens issued, 429s sent, faults applied, bytes and hosts served. No token or
 * secret is ever kept.
 */

/** A fault that was applied. */
export interface FalconAppliedFault {
  readonly kind: string;
  readonly path: string;
  readonly region: string;
}

/** The counters. */
export interface FalconStats {
  /** Requests by `METHOD path` (query left out), every cloud. */
  byEndpoint: Record<string, number>;
  /** Responses by status. */
  byStatus: Record<string, number>;
  /** Requests by cloud. */
  byRegion: Record<string, number>;
  tokensIssued: number;
  tokensRevoked: number;
  /** 429 answers (limiter or fault). */
  throttled: number;
  faultsApplied: FalconAppliedFault[];
  /** Response body bytes sent. */
  bytesSent: number;
  /** Host records sent in `resources`. */
  hostsServed: number;
  /** Combined pages built from host records, and sent pre-rendered. */
  pagesRendered: number;
  pagesFromCache: number;
}

/** Fresh counters. */
export const emptyFalconStats = (): FalconStats => ({
  byEndpoint: {},
  byStatus: {},
  byRegion: {},
  tokensIssued: 0,
  tokensRevoked: 0,
  throttled: 0,
  faultsApplied: [],
  bytesSent: 0,
  hostsServed: 0,
  pagesRendered: 0,
  pagesFromCache: 0,
});

/** Adds one to `counts[key]`. */
export const bump = (counts: Record<string, number>, key: string): void => {
  counts[key] = (counts[key] ?? 0) + 1;
};
