/**
 * One Defender365 run: sign in, read every page (each page decoded, parsed for correlation
 * and serialised while the next one downloads: `ingest.ts`), correlate, write the records.
 * A failure at any point keeps what was read, marks the run incomplete, and makes no
 * `missing` verdict.
 */
import type { Got, PlainResponse, RequestError, RetryObject } from "got";
import { backoffDelay } from "../../http/client.js";
import type { Either } from "fp-ts/lib/Either.js";
import { left, right } from "fp-ts/lib/Either.js";
import type { HttpCounts, ProbeEnv, ProbeInput, ProbeResult, RunSummary } from "../../contract.js";
import { ProbeRunError, withPartial, type ProbeError } from "../../errors.js";
import type { AccessToken, TokenProvider } from "../../auth/token-provider.js";
import { clientIdOf } from "../../credentials.js";
import { cancelled, classifyApiError } from "./api-errors.js";
import { readPages, type DriftStats } from "./pages.js";
import { RecordWriter } from "../../records/writer.js";
import { coverageAsIncomplete, coverageByAsset, writeRecords } from "./enrich.js";
import { DeviceIngest } from "./ingest.js";
import { runContext, type RunContext } from "../../sync/run-context.js";
import { turnsUntil, whileWaiting } from "../../event-loop.js";
import type { Defender365RunOptions as Defender365Options } from "./endpoints.js"; // the options with the endpoints settled for the credential

/** The probe id. */
export const PROBE_ID = "defender365";

/** HTTP counters of a run, filled by the API client's hooks. */
const newHttpCounts = (): HttpCounts => ({ requests: 0, retries: 0, throttled: 0 });

/**
 * The API client of one run: the shared HTTP stack plus this run's bearer token, a paced
 * budget, counters, and one fresh token and one retry after a 401.
 *
 * Pages are read through got's stream interface (`streamBody`), for which got runs no
 * `afterResponse` hook: a response that is not a success is seen here either as a retried
 * error (`beforeRetry`) or as the final one (`beforeError`), a success by the page reader,
 * which hands it to `noteResponse`; the 401 is retried through the client's own delay
 * (`calculateDelay`), which signs in again first.
 */
export const apiClient = (
  env: RunContext,
  tokens: TokenProvider,
  first: AccessToken,
  input: ProbeInput<Defender365Options>,
  http: HttpCounts,
): { client: Got; current: () => AccessToken; noteResponse: (method: string, response: PlainResponse) => void } => {
  const budget = env.budgets.for(input.credential.tenantId, clientIdOf(input.credential));
  const debug = env.log("scan-probes:defender365:http");
  let token = first;
  /** Counts a throttled response and logs every response: the page reader's, and the failures the hooks below see. */
  const noteResponse = (method: string, response: PlainResponse): void => {
    if (response.statusCode === 429) http.throttled += 1;
    debug("%s %s → %d", method, redactQuery(response.url), response.statusCode);
  };
  const noteFailure = (error: RequestError): void => {
    if (error.response !== undefined) noteResponse(error.options.method, error.response);
  };
  /** The sign-in a 401 started, while it runs: every request refused with the same token waits for it rather than signing in again. */
  let refreshing: Promise<void> | null = null;
  const refresh = (): Promise<void> =>
    (refreshing ??= (async () => {
      const fresh = await tokens.getToken({ forceRefresh: true })();
      if (fresh._tag === "Left") throw new ProbeRunError(fresh.left);
      token = fresh.right;
      env.taskLog({ level: "info", code: "DEFENDER_TOKEN_REFRESHED", message: "The API refused the token once (401); signed in again and retried." });
    })().finally(() => (refreshing = null)));
  /**
   * A 401 not yet answered by a fresh token: signs in again (unless the request was sent with
   * a token already replaced: pages in flight together are refused together, and one sign-in
   * answers them all) and asks for the request again (1 ms later); any other: the stack's back-off.
   */
  const calculateDelay = async ({ error, computedValue, retryAfter }: RetryObject): Promise<number> => {
    if (error.response?.statusCode !== 401) return backoffDelay(computedValue, retryAfter);
    const context = error.options.context as { refreshed?: boolean };
    if (context.refreshed === true) return 0;
    context.refreshed = true; // carried into the retry's options
    if (error.options.headers["authorization"] === `Bearer ${token.token}`) await refresh();
    return 1; // the retry is counted by beforeRetry, like any other, and sent with the current token
  };
  const client = env.http.extend({
    retry: { calculateDelay },
    hooks: {
      beforeRequest: [
        async (options) => {
          await budget.take(input.signal);
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

const redactQuery = (url: string): string => url.replace(/\$filter=[^&]*/, "$filter=…");

/**
 * Builds the result from what was read: correlates, writes the records (to the sink, or
 * collected), and sums up. `errors` non-empty means incomplete; a failure while writing
 * records is added to them.
 */
const settle = async (
  input: ProbeInput<Defender365Options>,
  env: RunContext,
  ingest: DeviceIngest,
  http: HttpCounts,
  errors: ProbeError[],
): Promise<ProbeResult> => {
  const incremental = input.options.lastSeenAfter !== undefined;
  env.taskLog({
    level: "info",
    code: "DEFENDER_CORRELATING",
    message: `Matching ${ingest.ids.length} devices to ${input.assets.length} scanned assets, then writing the records.`,
  });
  // Every run delivers everything it read, one cancelled while correlating or writing included (it ends
  // incomplete): neither correlation nor the writing stops on the signal, which only ends the reading of pages.
  const siteId = input.mode === "probe" ? (input.scanSiteId ?? input.options.siteId) : input.options.siteId;
  const writer = new RecordWriter(input.recordSink);
  const correlation = await ingest.finishCorrelation();
  // Coverage is worked out while the records are written (in the sink's waits), as if the run ends complete;
  // one that does not (the sink failed, or it was cancelled) has its verdicts made incomplete afterwards.
  const completeSoFar = errors.length === 0 && !incremental;
  const [written, covered] = await Promise.all([
    writeRecords(ingest, correlation, { siteId, excludeUnknown: input.options.excludeUnknown }, writer),
    coverageByAsset(
      input.assets,
      correlation,
      (record) => ingest.edrAt(record),
      completeSoFar,
      turnsUntil(),
      ingest.verdicts.complete(),
      (asset) => ingest.undecodable.couldBe(asset),
    ),
  ]);
  if (written.failure !== undefined) errors.push(written.failure);
  if (input.signal?.aborted && !errors.some((e) => e.code === "ERR_CANCELLED")) errors.push(cancelled());
  const complete = errors.length === 0;
  const coverage = completeSoFar && !complete ? coverageAsIncomplete(covered) : covered;
  const unmatched: Record<string, number> = {}; // reasons in the order they first occur, as the records are
  for (const reason of correlation.positions.reasonOfRecord) if (reason !== undefined) unmatched[reason] = (unmatched[reason] ?? 0) + 1;
  const summary: RunSummary = {
    probe: PROBE_ID,
    runId: env.runId,
    credentialId: input.credentialId ?? null,
    mode: input.mode,
    control: "edr",
    complete,
    incremental,
    cursor: ingest.newestSeen,
    siteId,
    counts: { ...ingest.counts, matched: written.matched, created: written.created, unknownSkipped: written.unknownSkipped },
    http: { ...http },
    coverage: { edr: { ...coverage.tally, unknownFromInvalidDevices: coverage.unknownFromInvalid, byAsset: coverage.byAsset } },
    unmatched,
    errors: errors.map((e) => ({ code: e.code, message: e.message })),
  };
  const warnings = [...ingest.warnings];
  if (ingest.counts.invalid > ingest.warnings.length) {
    warnings.push({ code: "DEFENDER_INVALID_DEVICE", message: `${ingest.counts.invalid - ingest.warnings.length} more devices were skipped as invalid.` });
  }
  if (coverage.unknownFromInvalid > 0) {
    const why = ingest.undecodable.anyAsset
      ? "one of them has no readable host name, IP or MAC, so it could be any asset's sensor"
      : "one of them has a host name, IP or MAC in common with each";
    warnings.push({
      code: "DEFENDER_INVALID_DEVICE_COVERAGE",
      message: `${coverage.unknownFromInvalid} scanned assets are unknown rather than missing or unhealthy: ${ingest.counts.invalid} devices failed decoding, and ${why}.`,
    });
  }
  return { records: writer.collected, summary, warnings };
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

/** Runs the probe. Resolves to Left (with `partial`) on failure, Right when every page was read and every record written. */
export const runDefender365 = async (input: ProbeInput<Defender365Options>, processEnv: ProbeEnv): Promise<Either<ProbeError, ProbeResult>> => {
  const env = runContext(PROBE_ID, input, processEnv);
  const ingest = new DeviceIngest(input.assets, input.options.includeInactive);
  try {
    return await readAndSettle(input, env, ingest);
  } finally {
    await ingest.spool.dispose();
  }
};

/**
 * Reads every page into `ingest`, the first page's download overlapping the indexing of the
 * scanned assets. Returns the pages taken and what stopped the reading, if anything (for
 * the caller to classify). The page reader, with its set of every id read, is unreachable
 * once this returns, before correlation needs the memory.
 */
const readEveryPage = async (
  client: Got,
  input: ProbeInput<Defender365Options>,
  env: RunContext,
  ingest: DeviceIngest,
  drift: DriftStats,
  noteResponse: (method: string, response: PlainResponse) => void,
): Promise<{ readonly pages: number; readonly error?: unknown }> => {
  const { options, signal } = input;
  const debug = env.log("scan-probes:defender365");
  const started = env.clock.now();
  let pageCount = 0;
  const query = {
    apiBaseUrl: options.apiBaseUrl,
    pageSize: options.pageSize,
    filter: serverFilter(options),
    expectedDevices: options.expectedDevices,
    maxPageBytes: options.maxPageBytes,
    pageDeadlineMs: options.pageDeadlineMs,
    maxDevices: options.maxDevices,
    signal,
    onResponse: (response: PlainResponse) => noteResponse("GET", response),
  };
  const pages = readPages(client, query, drift);
  try {
    const first = pages.next(); // starts the first request
    first.catch(() => undefined); // a failure is seen at the await below, not as an unhandled rejection meanwhile
    await ingest.indexAssets(signal); // indexes the scanned assets in slices, while the first request goes out and its page downloads
    // While waiting for a page, the verdict table's keys are made (see verdicts.ts).
    const keyVerdicts = () => ingest.verdicts.step();
    for (let next = await whileWaiting(first, keyVerdicts); next.done !== true; next = await whileWaiting(pages.next(), keyVerdicts)) {
      const page = next.value;
      await ingest.takePage(page.items, page.number, page.firstSightings);
      pageCount += 1;
      // Paging's own count of ids first seen, not the devices kept: a page of devices that all fail decoding is still new.
      if (!page.recovery && page.items.length >= options.pageSize - 1 && !page.firstSightings.includes(1)) {
        throw new ProbeRunError({
          _tag: "ApiError",
          code: "ERR_API_PAGING",
          message: `Page ${page.number} held only devices already read: the API is not honouring $skip.`,
          hint: "Run again; report it if it persists.",
        });
      }
      debug("page %d: %d devices (%d total)", page.number, page.items.length, ingest.counts.fetched);
      env.taskLog({
        level: "info",
        code: "DEFENDER_PAGE",
        message: `Read page ${page.number}: ${ingest.counts.fetched} devices so far.`,
        data: { pages: pageCount, devices: ingest.counts.fetched, elapsedMs: env.clock.now() - started },
      });
    }
    await ingest.spoolWritten(); // a spill written in the background that failed stops the run here, as ERR_SPOOL
    return { pages: pageCount };
  } catch (error) {
    await pages.return(undefined); // cancels pages still in flight
    return { pages: pageCount, error };
  }
};

/** The run proper; the caller disposes of the spool (its file removed before the run resolves). */
const readAndSettle = async (input: ProbeInput<Defender365Options>, env: RunContext, ingest: DeviceIngest): Promise<Either<ProbeError, ProbeResult>> => {
  const { options, credential, signal } = input;
  const http = newHttpCounts();
  const failWith = (error: ProbeError, partial: ProbeResult): Either<ProbeError, ProbeResult> => {
    env.taskLog({ level: "error", code: error.code, message: error.message, hint: error.hint });
    return left(withPartial(error, partial));
  };
  const fail = async (error: ProbeError): Promise<Either<ProbeError, ProbeResult>> => failWith(error, await settle(input, env, ingest, http, [error]));
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

  const { client, current, noteResponse } = apiClient(env, tokens, signedIn.right, input, http);
  const drift: DriftStats = { shifts: 0, recoveryPages: 0 };
  const read = await readEveryPage(client, input, env, ingest, drift, noteResponse);
  if (read.error !== undefined) {
    return fail(
      classifyApiError(read.error, {
        signal,
        claims: current().claims,
        apiBaseUrl: options.apiBaseUrl,
        secrets: tokens.secrets(),
        retryLimit: env.http.defaults.options.retry.limit ?? 0,
      }),
    );
  }
  const pageCount = read.pages;
  if (signal?.aborted) return fail(cancelled());

  if (drift.shifts > 0) {
    ingest.warnings.push({
      code: "DEFENDER_LIST_CHANGED",
      message: `The device list changed while it was read (shifted at ${drift.shifts} page boundaries; ${drift.recoveryPages} pages read again; ${ingest.counts.duplicates} repeats dropped). No device was skipped.`,
    });
  }
  const errors: ProbeError[] = [];
  const result = await settle(input, env, ingest, http, errors);
  const failure = errors[0];
  if (failure !== undefined) return failWith(failure, result);
  for (const w of result.warnings.slice(0, 10)) env.taskLog({ level: "warning", code: w.code, message: w.message });
  const c = result.summary.coverage["edr"] ?? { protected: 0, unhealthy: 0, missing: 0 };
  const counts = result.summary.counts;
  env.taskLog({
    level: "info",
    code: "DEFENDER_DONE",
    message: `Read ${counts.fetched} devices in ${pageCount} pages; ${counts.matched} matched scanned assets, ${counts.created} new. Coverage: ${c.protected} protected, ${c.unhealthy} unhealthy, ${c.missing} missing.`,
  });
  return right(result);
};
