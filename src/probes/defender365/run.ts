/**
 * One Defender365 run: sign in, read every page, decode, correlate, enrich. A failure at
 * any point keeps what was read, marks the run incomplete, and makes no `missing` verdict.
 */
import type { Got } from "got";
import type { Either } from "fp-ts/lib/Either.js";
import { left, right } from "fp-ts/lib/Either.js";
import type { HttpCounts, ProbeEnv, ProbeInput, ProbeResult, ProbeWarning, RunCounts, RunSummary } from "../../contract.js";
import { ProbeRunError, withPartial, type ProbeError } from "../../errors.js";
import { correlate } from "../../correlate/index.js";
import type { AccessToken, TokenProvider } from "../../auth/token-provider.js";
import { cancelled, classifyApiError } from "./api-errors.js";
import { readPages, type DriftStats } from "./pages.js";
import { decodeMachine } from "./decode-machine.js";
import { isInactive, toSourceDevice } from "./device.js";
import { enrich } from "./enrich.js";
import type { Machine } from "./machine.js";
import type { Defender365Options } from "./options.js";

/** The probe id. */
export const PROBE_ID = "defender365";

/** State a run builds up as pages arrive. */
interface Progress {
  readonly counts: RunCounts;
  readonly http: HttpCounts;
  readonly warnings: ProbeWarning[];
  readonly machines: Machine[];
  readonly seen: Set<string>;
  pages: number;
  /** Newest `lastSeen` read (ISO text compares in time order once normalised to ms). */
  newestSeenMs: number;
  newestSeen: string | null;
}

const newProgress = (): Progress => ({
  counts: { fetched: 0, invalid: 0, inactiveSkipped: 0, unknownSkipped: 0, duplicates: 0, matched: 0, created: 0 },
  http: { requests: 0, retries: 0, throttled: 0 },
  warnings: [],
  machines: [],
  seen: new Set(),
  pages: 0,
  newestSeenMs: Number.NEGATIVE_INFINITY,
  newestSeen: null,
});

/** Warnings kept in full; beyond this they are only counted (a schema drift yields one per device). */
const MAX_WARNINGS = 100;

/**
 * The API client of one run: the shared HTTP stack plus this run's bearer token, a paced
 * budget, counters, and one fresh token and one retry after a 401.
 */
export const apiClient = (
  env: ProbeEnv,
  tokens: TokenProvider,
  first: AccessToken,
  input: ProbeInput<Defender365Options>,
  progress: Progress,
): { client: Got; current: () => AccessToken } => {
  const budget = env.budgets.for(input.credential.tenantId, input.credential.clientId);
  const debug = env.log("scan-probes:defender365:http");
  let token = first;
  const client = env.http.extend({
    hooks: {
      beforeRequest: [
        async (options) => {
          await budget.take(input.signal);
          progress.http.requests += 1;
          options.headers["authorization"] = `Bearer ${token.token}`;
          options.headers["accept"] = "application/json";
        },
      ],
      afterResponse: [
        async (response, retryWithMergedOptions) => {
          if (response.statusCode === 429) progress.http.throttled += 1;
          debug("%s %s → %d", response.request.options.method, redactQuery(response.url), response.statusCode);
          const context = response.request.options.context as { refreshed?: boolean };
          if (response.statusCode === 401 && context.refreshed !== true) {
            const fresh = await tokens.getToken({ forceRefresh: true })();
            if (fresh._tag === "Left") throw new ProbeRunError(fresh.left);
            token = fresh.right; // the retry below is counted by beforeRetry, like any other
            env.taskLog({ level: "info", code: "DEFENDER_TOKEN_REFRESHED", message: "The API refused the token once (401); signed in again and retried." });
            return retryWithMergedOptions({ context: { refreshed: true } });
          }
          return response;
        },
      ],
      beforeRetry: [
        (error, retryCount) => {
          progress.http.retries += 1;
          debug("retry %d after %s", retryCount, error.response?.statusCode ?? error.code);
        },
      ],
    },
  });
  return { client, current: () => token };
};

const redactQuery = (url: string): string => url.replace(/\$filter=[^&]*/, "$filter=…");

/** Decodes one page into the run's state. */
const takePage = (items: readonly unknown[], pageNumber: number, options: Defender365Options, progress: Progress): number => {
  let fresh = 0;
  items.forEach((item, index) => {
    progress.counts.fetched += 1;
    const decoded = decodeMachine(item, pageNumber, index);
    if ("warning" in decoded) {
      progress.counts.invalid += 1;
      if (progress.warnings.length < MAX_WARNINGS) progress.warnings.push(decoded.warning);
      return;
    }
    const m = decoded.machine;
    if (progress.seen.has(m.id)) {
      progress.counts.duplicates += 1;
      return;
    }
    progress.seen.add(m.id);
    fresh += 1;
    const seenMs = m.lastSeen ? Date.parse(m.lastSeen) : Number.NaN;
    if (seenMs > progress.newestSeenMs) {
      progress.newestSeenMs = seenMs;
      progress.newestSeen = m.lastSeen ?? null;
    }
    if (isInactive(m) && !options.includeInactive) {
      progress.counts.inactiveSkipped += 1;
      return;
    }
    progress.machines.push(m);
  });
  return fresh;
};

/** Builds the result from what was read; `errors` non-empty means incomplete. */
const resultOf = (input: ProbeInput<Defender365Options>, progress: Progress, errors: readonly ProbeError[]): ProbeResult => {
  const complete = errors.length === 0;
  const incremental = input.options.lastSeenAfter !== undefined;
  const correlation = correlate(progress.machines.map(toSourceDevice), input.assets);
  const siteId = input.mode === "probe" ? (input.scanSiteId ?? input.options.siteId) : input.options.siteId;
  const enriched = enrich(progress.machines, correlation, input.assets, {
    mode: input.mode,
    siteId,
    excludeUnknown: input.options.excludeUnknown,
    complete: complete && !incremental,
  });
  const tally = { protected: 0, unhealthy: 0, missing: 0, unknown: 0 };
  for (const status of Object.values(enriched.coverage)) tally[status] += 1;
  const unmatched: Record<string, number> = {};
  for (const reason of correlation.unmatched.values()) unmatched[reason] = (unmatched[reason] ?? 0) + 1;
  const summary: RunSummary = {
    probe: PROBE_ID,
    mode: input.mode,
    complete,
    incremental,
    cursor: progress.newestSeen,
    siteId,
    counts: { ...progress.counts, matched: enriched.matched, created: enriched.created, unknownSkipped: enriched.unknownSkipped },
    http: { ...progress.http },
    coverage: { ...tally, byAsset: enriched.coverage },
    unmatched,
    errors: errors.map((e) => ({ code: e.code, message: e.message })),
  };
  const warnings = [...progress.warnings];
  if (progress.counts.invalid > progress.warnings.length) {
    warnings.push({ code: "DEFENDER_INVALID_DEVICE", message: `${progress.counts.invalid - progress.warnings.length} more devices were skipped as invalid.` });
  }
  return { records: enriched.records, summary, warnings };
};

/**
 * The `$filter` that saves calls: inactive devices are left out by the API when they are not
 * wanted (the client-side check stays), and an incremental sync asks only for devices seen
 * since its cursor.
 */
export const serverFilter = (options: Defender365Options): string | undefined => {
  const parts: string[] = [];
  if (!options.includeInactive) parts.push("healthStatus ne 'Inactive'");
  if (options.lastSeenAfter !== undefined) parts.push(`lastSeen gt ${options.lastSeenAfter}`);
  return parts.length > 0 ? parts.join(" and ") : undefined;
};

/** Resolves with `work`, or with "aborted" as soon as the signal aborts (msal takes no signal). */
const untilAborted = <T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T | "aborted"> => {
  if (signal === undefined) return work;
  if (signal.aborted) return Promise.resolve("aborted");
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve("aborted");
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => (signal.removeEventListener("abort", onAbort), resolve(value)),
      (error: Error) => (signal.removeEventListener("abort", onAbort), reject(error)),
    );
  });
};

/** Runs the probe. Resolves to Left (with `partial`) on failure, Right when every page was read. */
export const runDefender365 = async (input: ProbeInput<Defender365Options>, env: ProbeEnv): Promise<Either<ProbeError, ProbeResult>> => {
  const { options, credential, signal } = input;
  const debug = env.log("scan-probes:defender365");
  const progress = newProgress();
  const fail = (error: ProbeError): Either<ProbeError, ProbeResult> => {
    env.taskLog({ level: "error", code: error.code, message: error.message, hint: error.hint });
    return left(withPartial(error, resultOf(input, progress, [error])));
  };
  if (signal?.aborted) return fail(cancelled());

  const tokens = env.tokens({ credential, authorityHost: options.authorityHost, scope: options.scope });
  const signedIn = await untilAborted(tokens.getToken()(), signal);
  if (signedIn === "aborted") return fail(cancelled());
  if (signedIn._tag === "Left") return fail(signal?.aborted ? cancelled() : signedIn.left);
  env.taskLog({
    level: "info",
    code: "DEFENDER_SIGNED_IN",
    message: `Signed in to tenant ${credential.tenantId}; the token carries roles: ${signedIn.right.claims.roles.join(", ") || "none"}.`,
  });

  const { client, current } = apiClient(env, tokens, signedIn.right, input, progress);
  const started = env.clock.now();
  const drift: DriftStats = { shifts: 0, recoveryPages: 0 };
  try {
    for await (const page of readPages(client, { apiBaseUrl: options.apiBaseUrl, pageSize: options.pageSize, filter: serverFilter(options), signal }, drift)) {
      const fresh = takePage(page.items, page.number, options, progress);
      progress.pages += 1;
      if (!page.recovery && page.items.length >= options.pageSize - 1 && fresh === 0) {
        throw new ProbeRunError({
          _tag: "ApiError",
          code: "ERR_API_PAGING",
          message: `Page ${page.number} held only devices already read: the API is not honouring $skip.`,
          hint: "Run again; report it if it persists.",
        });
      }
      debug("page %d: %d devices (%d total)", page.number, page.items.length, progress.counts.fetched);
      env.taskLog({
        level: "info",
        code: "DEFENDER_PAGE",
        message: `Read page ${page.number}: ${progress.counts.fetched} devices so far.`,
        data: { pages: progress.pages, devices: progress.counts.fetched, elapsedMs: env.clock.now() - started },
      });
    }
  } catch (error) {
    return fail(
      classifyApiError(error, {
        signal,
        claims: current().claims,
        apiBaseUrl: options.apiBaseUrl,
        secrets: tokens.secrets(),
        retryLimit: env.http.defaults.options.retry.limit ?? 0,
      }),
    );
  }
  if (signal?.aborted) return fail(cancelled());

  if (drift.shifts > 0) {
    progress.warnings.push({
      code: "DEFENDER_LIST_CHANGED",
      message: `The device list changed while it was read (shifted at ${drift.shifts} page boundaries; ${drift.recoveryPages} pages read again; ${progress.counts.duplicates} repeats dropped). No device was skipped.`,
    });
  }
  const result = resultOf(input, progress, []);
  for (const w of result.warnings.slice(0, 10)) env.taskLog({ level: "warning", code: w.code, message: w.message });
  const c = result.summary.coverage;
  env.taskLog({
    level: "info",
    code: "DEFENDER_DONE",
    message: `Read ${progress.counts.fetched} devices in ${progress.pages} pages; ${result.summary.counts.matched} matched scanned assets, ${result.summary.counts.created} new. Coverage: ${c.protected} protected, ${c.unhealthy} unhealthy, ${c.missing} missing.`,
  });
  return right(result);
};
