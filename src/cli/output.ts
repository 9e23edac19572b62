/**
 * Writing what a run produced: records as JSON lines (to a file or stdout, honouring
 * back-pressure), the summary as JSON, and the human view on stderr.
 */
import { createWriteStream, writeFileSync } from "node:fs";
import { once } from "node:events";
import type { Writable } from "node:stream";
import type { EnrichmentRecord, ProbeResult, RunSummary } from "../contract.js";

/**
 * Writes records as JSON lines to `path`, or to stdout when `path` is undefined or `-`.
 * A reader that stops early (`| head`) ends the writing quietly (EPIPE is not an error).
 */
export const writeRecords = async (records: readonly EnrichmentRecord[], path: string | undefined): Promise<void> => {
  const toStdout = path === undefined || path === "-";
  const out: Writable = toStdout ? process.stdout : createWriteStream(path);
  let broken: (Error & { code?: string }) | undefined;
  const onError = (error: Error) => (broken = error);
  out.on("error", onError);
  const batch: string[] = [];
  const flush = async () => {
    if (batch.length === 0 || broken) return;
    if (!out.write(batch.join(""))) await once(out, "drain").catch(() => undefined);
    batch.length = 0;
  };
  for (const record of records) {
    if (broken) break;
    batch.push(`${JSON.stringify(record)}\n`);
    if (batch.length >= 500) await flush();
  }
  await flush();
  out.off("error", onError);
  if (broken && broken.code !== "EPIPE") throw broken;
  if (!toStdout) {
    out.end();
    await once(out, "finish");
  }
};

/** Writes the summary JSON to `path`. */
export const writeSummary = (summary: RunSummary, path: string): void => {
  writeFileSync(path, `${JSON.stringify(summary, null, 2)}\n`);
};

const pad = (s: string | number, n: number) => String(s).padStart(n);

/** A short table of the run for a person (stderr on a terminal). */
export const summaryTable = (result: ProbeResult): string => {
  const s = result.summary;
  const c = s.counts;
  const lines = [
    `${s.probe} (${s.mode} mode): ${s.complete ? "complete" : "INCOMPLETE — coverage of unmatched assets is unknown"}`,
    `  devices read     ${pad(c.fetched, 8)}   invalid ${c.invalid}, duplicates ${c.duplicates}, inactive left out ${c.inactiveSkipped}`,
    `  matched assets   ${pad(c.matched, 8)}`,
    `  new assets       ${pad(c.created, 8)}${c.unknownSkipped ? `   (${c.unknownSkipped} unmatched left out: excludeUnknown)` : ""}`,
    `  EDR coverage     ${pad(s.coverage.protected, 8)} protected, ${s.coverage.unhealthy} unhealthy, ${s.coverage.missing} missing${s.coverage.unknown ? `, ${s.coverage.unknown} unknown` : ""}`,
    `  API calls        ${pad(s.http.requests, 8)}   retries ${s.http.retries}, throttled ${s.http.throttled}`,
  ];
  for (const e of s.errors) lines.push(`  error ${e.code}: ${e.message}`);
  if (result.warnings.length > 0) lines.push(`  warnings ${result.warnings.length} (first: ${result.warnings[0]?.message ?? ""})`);
  return lines.join("\n");
};
