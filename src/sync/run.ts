/**
 * One run of a source: open the list (sign in), read every page (each page decoded, parsed
 * for correlation and serialised while the next one downloads: `ingest.ts`), correlate,
 * write the records, sum up. A failure at any point keeps what was read, marks the run
 * incomplete, and makes no `missing` verdict.
 *
 * One failure channel: everything below throws (a `ProbeRunError` carries the run's error;
 * anything else thrown while reading pages is the source's to classify); {@link runSync}
 * turns it into the Left with `partial`.
 */
import type { Either } from "fp-ts/lib/Either.js";
import { left, right } from "fp-ts/lib/Either.js";
import type { HttpCounts, ProbeEnv, ProbeInput, ProbeResult, ProbeWarning, RunSummary } from "../contract.js";
import { ProbeRunError, withPartial, type ProbeError } from "../engine/errors.js";
import { RecordWriter } from "../records/writer.js";
import { runCoverage } from "../engine/coverage.js";
import { turnsUntil } from "../util/event-loop.js";
import { coverageAsIncomplete, coverageByAsset, writeRecords } from "./enrich.js";
import { DeviceIngest } from "./ingest.js";
import { cancelled } from "./failures.js";
import { recordFormat, type RecordFormat } from "./record-json.js";
import { runContext } from "./run-context.js";
import type { SourceSession, SyncRun, SyncSettings, SyncSource } from "./source.js";

/** Resolves with `work`, or with "aborted" as soon as the signal aborts (a sign-in may take no signal). */
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

/** The run's error for something `open` rejected with: its `ProbeRunError`'s, or a fault of the probe (never a stack trace to a user). */
const openFailure = (error: unknown, probe: string): ProbeError =>
  error instanceof ProbeRunError
    ? error.detail
    : {
        _tag: "ApiError",
        code: "ERR_API_NETWORK",
        message: `The ${probe} probe failed to open its device list: ${error instanceof Error ? error.name : "an unexpected error"}.`,
        hint: "This is a fault of the probe: run again, and report it with the debug log (DEBUG=scan-probes:*) if it persists.",
      };

/**
 * The run's error carried by `error` when it was raised on purpose: a `ProbeRunError`, thrown
 * as it is or from inside an HTTP client's hook (where the client wraps it as the `cause`).
 */
const raisedBy = (error: unknown): ProbeError | undefined => {
  if (error instanceof ProbeRunError) return error.detail;
  const cause: unknown = error instanceof Error ? error.cause : undefined;
  return cause instanceof ProbeRunError ? cause.detail : undefined;
};

/** One run in progress: what it read so far, and how to settle it. */
class SyncRunState<Options, Cred, Item> {
  readonly counts: HttpCounts = { requests: 0, retries: 0, throttled: 0 };
  readonly ingest: DeviceIngest<Item>;
  readonly settings: SyncSettings;
  readonly run: SyncRun;
  private readonly format: RecordFormat;
  /** Findings of the listing (the session's), added to the result's warnings. */
  readonly listing: ProbeWarning[] = [];

  constructor(
    private readonly source: SyncSource<Options, Cred, Item>,
    readonly input: ProbeInput<Options, Cred>,
    env: ProbeEnv,
  ) {
    this.settings = source.settingsOf(input.options);
    this.format = recordFormat(source.id, source.control.id);
    this.run = { ...runContext(source.id, input, env), counts: this.counts, logPrefix: source.logPrefix, signal: input.signal };
    this.ingest = new DeviceIngest(source, this.format, input.assets, this.settings.includeInactive, () => this.run.clock.now());
  }

  /** The Left of a failed run: `error`, with what was read attached; logged to the task log. */
  private failWith(error: ProbeError, partial: ProbeResult): Either<ProbeError, ProbeResult> {
    this.run.taskLog({ level: "error", code: error.code, message: error.message, hint: error.hint });
    return left(withPartial(error, partial));
  }

  /** Fails the run with `error`, settling what was read. */
  async fail(error: ProbeError): Promise<Either<ProbeError, ProbeResult>> {
    return this.failWith(error, await this.settle([error]));
  }

  /**
   * Reads every page into the intake, the first page's download overlapping the indexing of
   * the scanned assets. Returns the pages taken; throws what stopped the reading.
   */
  async readEveryPage(session: SourceSession): Promise<number> {
    const { signal } = this.input;
    const { ingest, run } = this;
    const debug = run.log(`scan-probes:${this.source.id}`);
    const started = run.clock.now();
    let pageCount = 0;
    const pages = session.pages;
    try {
      const first = pages.next(); // starts the first request
      first.catch(() => undefined); // a failure is seen at the await below, not as an unhandled rejection meanwhile
      await ingest.indexAssets(signal); // indexes the scanned assets in slices, while the first request goes out and its page downloads
      for (let next = await first; next.done !== true; next = await pages.next()) {
        const page = next.value;
        await ingest.takePage(page);
        pageCount += 1;
        debug("page %d: %d devices (%d total)", page.number, page.items.length, ingest.counts.fetched);
        run.taskLog({
          level: "info",
          code: `${this.source.logPrefix}_PAGE`,
          message: `Read page ${page.number}: ${ingest.counts.fetched} devices so far.`,
          data: { pages: pageCount, devices: ingest.counts.fetched, elapsedMs: run.clock.now() - started },
        });
      }
      await ingest.spoolWritten(); // a spill written in the background that failed stops the run here, as ERR_SPOOL
      return pageCount;
    } catch (error) {
      await pages.return?.(undefined); // cancels pages still in flight
      throw error;
    }
  }

  /**
   * Builds the result from what was read: correlates, writes the records (to the sink, or
   * collected), and sums up. `errors` non-empty means incomplete; a failure while writing
   * records is added to them.
   */
  async settle(errors: ProbeError[]): Promise<ProbeResult> {
    const { input, ingest, run, settings, source } = this;
    run.taskLog({
      level: "info",
      code: `${source.logPrefix}_CORRELATING`,
      message: `Matching ${ingest.ids.length} devices to ${input.assets.length} scanned assets, then writing the records.`,
    });
    // Every run delivers everything it read, one cancelled while correlating or writing included (it ends
    // incomplete): neither correlation nor the writing stops on the signal, which only ends the reading of pages.
    const siteId = input.mode === "probe" ? (input.scanSiteId ?? settings.siteId) : settings.siteId;
    const writer = new RecordWriter(input.recordSink);
    const correlation = await ingest.finishCorrelation();
    // Coverage is worked out while the records are written (in the sink's waits), as if the run ends complete;
    // one that does not (the sink failed, or it was cancelled) has its verdicts made incomplete afterwards.
    const completeSoFar = errors.length === 0 && !settings.incremental;
    const [written, covered] = await Promise.all([
      writeRecords(ingest, correlation, { siteId, excludeUnknown: settings.excludeUnknown, format: this.format }, writer),
      coverageByAsset(
        input.assets,
        correlation,
        (record) => ingest.stateAt(record),
        completeSoFar,
        turnsUntil(),
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
      probe: source.id,
      runId: run.runId,
      credentialId: run.credentialId,
      mode: input.mode,
      control: source.control.id,
      complete,
      incremental: settings.incremental,
      cursor: ingest.newestSeen,
      siteId,
      counts: { ...ingest.counts, matched: written.matched, created: written.created, unknownSkipped: written.unknownSkipped },
      http: { ...this.counts },
      coverage: {
        [source.control.id]: {
          ...coverage.tally,
          unknownFromInvalidDevices: coverage.unknownFromInvalid,
          get byAsset() {
            return coverage.byAsset; // made on first read (see `Coverage`)
          },
        },
      },
      unmatched,
      errors: errors.map((e) => ({ code: e.code, message: e.message })),
    };
    return { records: writer.collected, summary, warnings: this.warnings(coverage.unknownFromInvalid) };
  }

  /** The run's warnings: the invalid devices (the first in full), the listing's findings, and why some assets are unknown. */
  private warnings(unknownFromInvalid: number): ProbeWarning[] {
    const { ingest, source } = this;
    const warnings = [...ingest.warnings, ...this.listing];
    if (ingest.counts.invalid > ingest.warnings.length) {
      warnings.push({
        code: `${source.logPrefix}_INVALID_DEVICE`,
        message: `${ingest.counts.invalid - ingest.warnings.length} more devices were skipped as invalid.`,
      });
    }
    if (unknownFromInvalid > 0) {
      const why = ingest.undecodable.anyAsset
        ? `one of them has no readable host name, IP or MAC, so it could be any asset's ${source.control.title}`
        : "one of them has a host name, IP or MAC in common with each";
      warnings.push({
        code: `${source.logPrefix}_INVALID_DEVICE_COVERAGE`,
        message: `${unknownFromInvalid} scanned assets are unknown rather than missing or unhealthy: ${ingest.counts.invalid} devices failed decoding, and ${why}.`,
      });
    }
    return warnings;
  }

  /** The run proper (the caller disposes of the spool). */
  async read(): Promise<Either<ProbeError, ProbeResult>> {
    const { input, run, source } = this;
    const { signal } = input;
    if (signal?.aborted) return this.fail(cancelled());
    let session: SourceSession | "aborted";
    try {
      session = await untilAborted(source.open(input, run), signal);
    } catch (error) {
      return this.fail(signal?.aborted ? cancelled() : openFailure(error, source.id));
    }
    if (session === "aborted") return this.fail(cancelled());

    let pageCount: number;
    try {
      pageCount = await this.readEveryPage(session);
    } catch (error) {
      return this.fail(signal?.aborted ? cancelled() : (raisedBy(error) ?? session.classify(error)));
    }
    if (signal?.aborted) return this.fail(cancelled());

    this.listing.push(...(session.warnings?.(this.ingest.counts) ?? []));
    const errors: ProbeError[] = [];
    const result = await this.settle(errors);
    const failure = errors[0];
    if (failure !== undefined) return this.failWith(failure, result);
    for (const w of result.warnings.slice(0, 10)) run.taskLog({ level: "warning", code: w.code, message: w.message });
    const c = runCoverage(result.summary);
    const counts = result.summary.counts;
    run.taskLog({
      level: "info",
      code: `${source.logPrefix}_DONE`,
      message: `Read ${counts.fetched} devices in ${pageCount} pages; ${counts.matched} matched scanned assets, ${counts.created} new. Coverage: ${c.protected} protected, ${c.unhealthy} unhealthy, ${c.missing} missing.`,
    });
    return right(result);
  }
}

/**
 * Runs `source` with `input`. Resolves to Left (with `partial`) on failure, Right when every
 * page was read and every record written. The input is checked first (`checkInput`): a
 * misfit is an `ERR_INPUT` before any network call.
 */
export const runSync = async <Options, Cred, Item>(
  source: SyncSource<Options, Cred, Item>,
  input: ProbeInput<Options, Cred>,
  env: ProbeEnv,
): Promise<Either<ProbeError, ProbeResult>> => {
  const state = new SyncRunState(source, input, env);
  try {
    return await state.read();
  } finally {
    await state.ingest.spool.dispose();
  }
};
