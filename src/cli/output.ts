/**
 * Writing what a run produced: records as JSON lines (a record sink on a file or stdout,
 * honouring back-pressure), the summary as JSON, and the human view on stderr.
 */
import { runCoverage } from "../engine/coverage.js";
import { createWriteStream, writeFileSync } from "node:fs";
import { once } from "node:events";
import type { Writable } from "node:stream";
import type { ControlCoverage, CoverageStatus, EnrichmentRecord, ProbeResult, RecordBytesSink, RunSummary } from "../contract.js";
import { asIncomplete } from "../sync/enrich.js";
import { LINE_END, RecordWriter } from "../records/writer.js";
import type { CombinedRuns } from "../engine/combine.js";

/**
 * Bytes a record file holds in memory before the run waits for the disk: a few batches
 * so that the next batch is built while one is written; with Node's default (16 KiB) every
 * batch would wait for its own write.
 */
export const FILE_BUFFER_BYTES = 16 * 1024 * 1024;

/** A JSON-lines record sink on a file or stdout, and how to finish it. */
export interface RecordFile {
  /** Hand it to the run as `recordSink`. */
  readonly sink: RecordBytesSink;
  /** Flushes and closes the file (stdout stays open). Rejects with a write error other than EPIPE. */
  close(): Promise<void>;
}

/**
 * A {@link RecordSink} writing JSON lines to `path`, or to stdout when `path` is undefined or
 * `-`, honouring back-pressure. A reader that stops early (`| head`) ends the writing quietly:
 * EPIPE is not an error, later batches are dropped.
 */
export const recordFile = (path: string | undefined): RecordFile => {
  const toStdout = path === undefined || path === "-";
  const out: Writable = toStdout ? process.stdout : createWriteStream(path, { highWaterMark: FILE_BUFFER_BYTES });
  let broken: (Error & { code?: string }) | undefined;
  const onError = (error: Error) => (broken = error);
  out.on("error", onError);
  const failed = () => (broken !== undefined && broken.code !== "EPIPE" ? broken : undefined);
  /** Settles when the next write the stream finishes (or fails) calls back. */
  let wrote: { promise: Promise<void>; settle: () => void } | null = null;
  const nextWriteDone = (): Promise<void> => {
    if (wrote === null) {
      let settle = () => {};
      const promise = new Promise<void>((resolve) => (settle = resolve));
      wrote = { promise, settle };
    }
    return wrote.promise;
  };
  const onWritten = () => {
    const waiting = wrote;
    wrote = null;
    waiting?.settle();
  };
  return {
    sink: {
      format: "json-lines-utf8",
      write: async (lines: Uint8Array) => {
        if (broken) {
          const error = failed();
          if (error) throw error;
          return;
        }
        out.write(lines, onWritten);
        // Back-pressure by the bytes still queued, checked each time a write finishes: the next batch is built
        // while earlier ones go to disk. Waiting for "drain" instead idled the run until the whole queue was written.
        while (out.writableLength > FILE_BUFFER_BYTES && broken === undefined && !out.destroyed) await nextWriteDone();
        const error = failed();
        if (error) throw error;
      },
    },
    close: async () => {
      out.off("error", onError);
      const error = failed();
      if (toStdout) {
        if (error) throw error;
        return;
      }
      if (!out.writableEnded && !broken) {
        out.end();
        await once(out, "finish");
      }
      if (error) throw error;
    },
  };
};

/** Writes records held in memory as JSON lines to `path` (stdout when undefined or `-`); see {@link recordFile}. */
export const writeRecords = async (records: readonly EnrichmentRecord[], path: string | undefined): Promise<void> => {
  const file = recordFile(path);
  const writer = new RecordWriter(file.sink);
  for (const record of records) {
    const pending = writer.add(JSON.stringify(record), LINE_END);
    if (pending !== undefined) await pending;
  }
  await writer.flush();
  await file.close();
};

/**
 * Makes a reader that stops early (`scan-probe list | head -1`) end the writing quietly on
 * `stream` (stdout or stderr): EPIPE, and writes after it, are dropped rather than raised as
 * an unhandled error that ends the process with a stack trace. Any other write error is
 * handed to `onOtherError`. Call once, at start-up; the records writer keeps its own
 * listener for the errors it reports.
 */
export const endQuietlyOnClosedPipe = (stream: Writable, onOtherError: (error: NodeJS.ErrnoException) => void): void => {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE" && error.code !== "ERR_STREAM_DESTROYED") onOtherError(error);
  });
};

/** Writes the summary JSON to `path`: a run's, or a task's combined summary (see `combineRuns`). */
export const writeSummary = (summary: RunSummary | CombinedRuns, path: string): void => {
  writeFileSync(path, `${JSON.stringify(summary, null, 2)}\n`);
};

const pad = (s: string | number, n: number) => String(s).padStart(n);

/** A short table of the run for a person (stderr on a terminal). */
export const summaryTable = (result: ProbeResult): string => {
  const s = result.summary;
  const c = s.counts;
  const v = runCoverage(s);
  const lines = [
    `${s.probe} (${s.mode} mode): ${s.complete ? "complete" : "INCOMPLETE — coverage of unmatched assets is unknown"}`,
    `  devices read     ${pad(c.fetched, 8)}   invalid ${c.invalid}, duplicates ${c.duplicates}, inactive left out ${c.inactiveSkipped}`,
    `  matched assets   ${pad(c.matched, 8)}`,
    `  new assets       ${pad(c.created, 8)}${c.unknownSkipped ? `   (${c.unknownSkipped} unmatched left out: excludeUnknown)` : ""}`,
    `  ${`${s.control.toUpperCase()} coverage`.padEnd(15)}  ${pad(v.protected, 8)} protected, ${v.unhealthy} unhealthy, ${v.missing} missing${v.unknown ? `, ${v.unknown} unknown` : ""}${v.unknownFromInvalidDevices ? ` (${v.unknownFromInvalidDevices} could be a device that failed decoding)` : ""}`,
    `  API calls        ${pad(s.http.requests, 8)}   retries ${s.http.retries}, throttled ${s.http.throttled}`,
  ];
  for (const e of s.errors) lines.push(`  error ${e.code}: ${e.message}`);
  if (result.warnings.length > 0) lines.push(`  warnings ${result.warnings.length} (first: ${result.warnings[0]?.message ?? ""})`);
  return lines.join("\n");
};

/**
 * The lines of a task's runs for a person: one per run (`label`: its probe and credential),
 * then the combined coverage of each control, and whether every run was complete.
 */
export const combinedTable = (combined: CombinedRuns, label: (run: RunSummary) => string): string => {
  const lines = combined.runs.map((s) => {
    const v = runCoverage(s);
    const state = s.complete ? "complete" : `INCOMPLETE (${s.errors.map((e) => e.code).join(", ") || "no error given"})`;
    return `${label(s)}: ${state}; ${s.counts.fetched} devices read, ${s.counts.matched} matched; ${v.protected} protected, ${v.unhealthy} unhealthy, ${v.missing} missing, ${v.unknown} unknown`;
  });
  for (const [control, c] of Object.entries(combined.coverage))
    lines.push(
      `combined ${control.toUpperCase()} coverage: ${c.protected} protected, ${c.unhealthy} unhealthy, ${c.missing} missing, ${c.unknown} unknown${combined.complete ? "" : " (not every run was complete: an asset no complete run covers is unknown, not missing)"}`,
    );
  return lines.join("\n");
};

/** A summary's error: a stable code and a message. */
export interface SummaryError {
  readonly code: string;
  readonly message: string;
}

/** The error of records that did not all reach `out` (`closing`: what closing it threw). */
export const recordsUnwritten = (out: string | undefined, closing: NodeJS.ErrnoException): SummaryError => ({
  code: "ERR_RECORD_SINK",
  message: `Could not finish writing the records to ${out ?? "stdout"} (${closing.code ?? closing.name}).`,
});

/**
 * `summary` of a run whose records did not all reach their file: incomplete, with `error`, each
 * verdict as an incomplete run gives it (an asset not protected is unknown), so that an engine
 * that reads the summary alone does not take the run as whole.
 */
export const withRecordsUnwritten = (summary: RunSummary, error: SummaryError): RunSummary => ({
  ...summary,
  complete: false,
  errors: [...summary.errors, error],
  coverage: Object.fromEntries(Object.entries(summary.coverage).map(([control, coverage]) => [control, incompleteCoverage(coverage)])),
});

const incompleteCoverage = (coverage: ControlCoverage): ControlCoverage => {
  const byAsset = Object.create(null) as Record<string, CoverageStatus>;
  let protectedAssets = 0;
  let unknown = 0;
  for (const [id, status] of Object.entries(coverage.byAsset)) {
    byAsset[id] = asIncomplete(status);
    if (byAsset[id] === "protected") protectedAssets += 1;
    else unknown += 1;
  }
  return { protected: protectedAssets, unhealthy: 0, missing: 0, unknown, unknownFromInvalidDevices: 0, byAsset };
};
