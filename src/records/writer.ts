/**
 * Delivers serialised records (one JSON object per line) to a run's {@link RecordSink} in
 * batches, waiting for each write; without a sink, collects them as objects for
 * `ProbeResult.records`.
 */
import type { EnrichmentRecord, RecordSink } from "../contract.js";
import type { OutputError } from "../errors.js";
import { redact } from "../redact.js";

/** Records per batch handed to a sink. */
export const RECORD_BATCH = 1_000;

/** Batches lines for one sink (or collects objects when there is none). */
export class RecordWriter {
  /** Records delivered to the sink, or collected. */
  written = 0;
  /** The records, when no sink was given. */
  readonly collected: EnrichmentRecord[] = [];
  private lines: string[] = [];

  constructor(private readonly sink: RecordSink | undefined) {}

  /**
   * Adds one record's JSON (no newline). Returns a promise only when a full batch is being
   * written (await it: back-pressure); a rejected sink write rejects it.
   */
  add(line: string): Promise<void> | undefined {
    if (this.sink === undefined) {
      this.collected.push(JSON.parse(line) as EnrichmentRecord);
      this.written += 1;
      return undefined;
    }
    this.lines.push(line);
    return this.lines.length >= RECORD_BATCH ? this.flush() : undefined;
  }

  /** Writes what is batched. */
  async flush(): Promise<void> {
    const sink = this.sink;
    if (sink === undefined || this.lines.length === 0) return;
    const lines = this.lines;
    this.lines = [];
    if (sink.format === "json-lines") await sink.write(`${lines.join("\n")}\n`);
    else await sink.write(lines.map((line) => JSON.parse(line) as EnrichmentRecord));
    this.written += lines.length;
  }
}

/** An error's code and message, redacted and cut short (it comes from outside the probe). */
export const describeOutsideError = (error: unknown): string => {
  const { code, message } = (typeof error === "object" && error !== null ? error : {}) as { code?: unknown; message?: unknown };
  const text = [typeof code === "string" ? code : "", typeof message === "string" ? redact(message).slice(0, 160) : ""].filter(Boolean).join(": ");
  return text || "an error without a message";
};

/** `ERR_RECORD_SINK`: the engine's sink rejected a write after `written` records were delivered. */
export const recordSinkError = (error: unknown, written: number): OutputError => ({
  _tag: "OutputError",
  code: "ERR_RECORD_SINK",
  message: `The record sink refused a batch after ${written} records (${describeOutsideError(error)}); the rest were not delivered.`,
  hint: "Check where the engine stores records (disk, database, queue), then run again.",
});
