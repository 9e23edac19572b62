/**
 * How a Falcon answer that is retried is waited for: until `X-RateLimit-RetryAfter` when it
 * names a time (a 429), else the HTTP stack's own rule. Shared by the sign-in and the data
 * calls, so that the rule is written once.
 */
import type { PlainResponse, RetryObject } from "got";
import type { Clock } from "../../contract.js";
import { backoffDelay } from "../../runtime/http/client.js";
import { headerOf } from "./api-errors.js";
import { retryAfterWaitMs } from "./rate-limits.js";

/** The wait a Falcon answer asks for, in ms from now, or undefined when it names none. */
export const falconRetryAfterMs =
  (clock: Clock) =>
  (response: PlainResponse): number | undefined =>
    retryAfterWaitMs(headerOf(response.headers, "x-ratelimit-retryafter"), clock.now());

/**
 * got's `calculateDelay` for calls outside the bearer client (the token request): Falcon's
 * RetryAfter when given (no retry when it asks for more than `maxRetryAfter`), else the stack's back-off.
 */
export const falconCalculateDelay =
  (clock: Clock, maxRetryAfter: number) =>
  ({ error, computedValue, retryAfter }: RetryObject): number => {
    const asked = computedValue > 0 && error.response !== undefined ? falconRetryAfterMs(clock)(error.response) : undefined;
    if (asked === undefined) return backoffDelay(computedValue, retryAfter);
    return asked > maxRetryAfter ? 0 : Math.max(1, asked);
  };
