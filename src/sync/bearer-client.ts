/**
 * The HTTP client of one run against an API that takes a bearer token: the shared HTTP stack
 * plus the run's token, a paced request budget, the run's counters, and one fresh token and
 * one retry after a 401.
 *
 * Pages read through got's stream interface (`streamBody`) run no `afterResponse` hook: a
 * response that is not a success is seen here either as a retried error (`beforeRetry`) or as
 * the final one (`beforeError`), a success by the page reader, which hands it to
 * `noteResponse`; the 401 is retried through the client's own delay (`calculateDelay`), which
 * signs in again first.
 */
import type { Got, PlainResponse, RequestError, RetryObject } from "got";
import { backoffDelay } from "../runtime/http/client.js";
import { ProbeRunError, type ProbeError } from "../engine/errors.js";
import type { RateBudget } from "../runtime/http/rate-budget.js";
import type { SyncRun } from "./source.js";

/** A token the client sends as `Authorization: Bearer …`. */
export interface BearerToken {
  /** The token itself. */
  readonly token: string;
}

/** What the client needs to sign in again after a 401: a fresh token, or the error that ends the run. */
export type RenewToken<T extends BearerToken> = () => Promise<{ readonly token: T } | { readonly error: ProbeError }>;

/** What {@link bearerClient} returns. */
export interface BearerClient<T extends BearerToken> {
  /** The got instance to send the run's requests with. */
  readonly client: Got;
  /** The token in use (the latest after a 401). */
  readonly current: () => T;
  /** Counts and logs a response the page reader received (a success; failures the hooks see). */
  readonly noteResponse: (method: string, response: PlainResponse) => void;
}

/** Settings of {@link bearerClient}. */
export interface BearerClientSettings<T extends BearerToken> {
  /** The run (its HTTP stack, counters, log, clock, signal). */
  readonly run: SyncRun;
  /** The token from the sign-in. */
  readonly first: T;
  /** Signs in again, bypassing any cache. */
  readonly renew: RenewToken<T>;
  /** The request budget the run's calls are paced by. */
  readonly budget: RateBudget;
  /** Removes what must not reach the debug log from a URL (e.g. a filter's values). */
  readonly redactUrl?: ((url: string) => string) | undefined;
  /**
   * The wait a retried answer asks for by the source's own header (e.g. an epoch time in
   * `X-RateLimit-RetryAfter`), in ms, or undefined to keep the stack's rule (`Retry-After`,
   * else back-off). A wait longer than the stack's `maxRetryAfter` is not made: the request
   * fails at once. Absent: the stack's rule.
   */
  readonly retryAfterMs?: ((response: PlainResponse) => number | undefined) | undefined;
  /**
   * True when `token` should be renewed before the next request is sent (it ends soon): one
   * sign-in, shared by every request that finds it so. Absent: renewed only after a 401.
   */
  readonly renewBefore?: ((token: T) => boolean) | undefined;
}

/** The client of one run (see the module comment). */
export const bearerClient = <T extends BearerToken>({
  run,
  first,
  renew,
  budget,
  redactUrl = (url) => url,
  retryAfterMs,
  renewBefore,
}: BearerClientSettings<T>): BearerClient<T> => {
  const { counts: http, signal } = run;
  const debug = run.log(`scan-probes:${run.probe}:http`);
  let token = first;
  /** Counts a throttled response and logs every response: the page reader's, and the failures the hooks below see. */
  const noteResponse = (method: string, response: PlainResponse): void => {
    if (response.statusCode === 429) http.throttled += 1;
    debug("%s %s → %d", method, redactUrl(response.url), response.statusCode);
  };
  const noteFailure = (error: RequestError): void => {
    if (error.response !== undefined) noteResponse(error.options.method, error.response);
  };
  /** The sign-in a 401 started, while it runs: every request refused with the same token waits for it rather than signing in again. */
  let refreshing: Promise<void> | null = null;
  const refresh = (why: "refused" | "ending" = "refused"): Promise<void> =>
    (refreshing ??= (async () => {
      const fresh = await renew();
      if ("error" in fresh) throw new ProbeRunError(fresh.error);
      token = fresh.token;
      run.taskLog(
        why === "refused"
          ? { level: "info", code: `${run.logPrefix}_TOKEN_REFRESHED`, message: "The API refused the token once (401); signed in again and retried." }
          : { level: "info", code: `${run.logPrefix}_TOKEN_RENEWED`, message: "The token was near its end; signed in again before the next request." },
      );
    })().finally(() => (refreshing = null)));
  const maxRetryAfter = run.http.defaults.options.retry.maxRetryAfter ?? Number.POSITIVE_INFINITY;
  /**
   * A 401 not yet answered by a fresh token: signs in again (unless the request was sent with
   * a token already replaced: pages in flight together are refused together, and one sign-in
   * answers them all) and asks for the request again (1 ms later); any other: the stack's back-off.
   */
  const calculateDelay = async ({ error, computedValue, retryAfter }: RetryObject): Promise<number> => {
    if (error.response?.statusCode !== 401) {
      const asked = computedValue > 0 && error.response !== undefined ? retryAfterMs?.(error.response) : undefined;
      if (asked === undefined) return backoffDelay(computedValue, retryAfter);
      return asked > maxRetryAfter ? 0 : Math.max(1, asked);
    }
    const context = error.options.context as { refreshed?: boolean };
    if (context.refreshed === true) return 0;
    context.refreshed = true; // carried into the retry's options
    if (error.options.headers["authorization"] === `Bearer ${token.token}`) await refresh();
    return 1; // the retry is counted by beforeRetry, like any other, and sent with the current token
  };
  const client = run.http.extend({
    retry: { calculateDelay },
    hooks: {
      beforeRequest: [
        async (options) => {
          if (renewBefore?.(token) === true) await (refreshing ?? refresh("ending"));
          await budget.take(signal);
          http.requests += 1;
          options.headers["authorization"] = `Bearer ${token.token}`;
          options.headers["accept"] = "application/json";
        },
      ],
      beforeRetry: [
        (error, retryCount) => {
          noteFailure(error);
          http.retries += 1;
          debug("retry %d after %s", retryCount, error.response?.statusCode ?? error.code);
        },
      ],
      beforeError: [
        (error) => {
          noteFailure(error);
          return error;
        },
      ],
    },
  });
  return { client, current: () => token, noteResponse };
};
