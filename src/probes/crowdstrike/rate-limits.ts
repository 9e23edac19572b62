/**
 * Falcon's request limits and headers: 6,000 requests a minute per customer (CID), over a
 * sliding window shared by every API client of the CID; `X-RateLimit-Remaining` says what is
 * left, and a 429 carries `X-RateLimit-RetryAfter`, the time to try again as epoch seconds
 * (the swagger says milliseconds; the SDKs and integrations read seconds, so a value that can
 * only be milliseconds is read as such).
 *
 * Vendor docs: gofalcon #364 (the limits, quoted from the console docs); gofalcon
 * `falcon/api_client.go` (`parseRetryAfter`, the low-remaining pauses).
 */
import type { Window } from "../../contract.js";

/** The per-CID limit, with one second of slack for clock skew. */
export const FALCON_LIMITS: readonly Window[] = [{ calls: 6_000, ms: 61_000 }];

/** Epoch values above this are milliseconds (1e12 ms is 2001; 1e12 s is the year 33,658). */
const MILLISECONDS_FROM = 1e12;

/**
 * The wait `X-RateLimit-RetryAfter` asks for, in ms from `nowMs` (0 when it is past), or
 * undefined when the header is absent or not a number. `marginMs` is added: waiting exactly
 * until the time named still meets 429s (JupiterOne).
 */
export const retryAfterWaitMs = (header: string | undefined, nowMs: number, marginMs = 250): number | undefined => {
  if (header === undefined) return undefined;
  const value = Number(header.trim());
  if (header.trim() === "" || !Number.isFinite(value) || value < 0) return undefined;
  const atMs = value > MILLISECONDS_FROM ? value : value * 1000;
  return Math.max(0, Math.ceil(atMs - nowMs)) + marginMs;
};

/**
 * The pause before the next request when the window is nearly spent (`X-RateLimit-Remaining`):
 * 500 ms at 5 or fewer, 200 ms at 10 or fewer, else none (gofalcon's rule). Undefined header: none.
 */
export const pauseForRemaining = (header: string | undefined): number => {
  if (header === undefined) return 0;
  const remaining = Number(header.trim());
  if (header.trim() === "" || !Number.isFinite(remaining)) return 0;
  return remaining <= 5 ? 500 : remaining <= 10 ? 200 : 0;
};
