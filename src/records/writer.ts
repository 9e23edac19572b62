/**
 * Delivers serialised records (one JSON object per line) to a run's {@link RecordSink} in
 * batches, waiting for each write; without a sink, collects them as objects for
 * `ProbeResult.records`. A record comes as its head (text) and its tail (UTF-8 bytes, as the
 * spool holds it); a batch is assembled once, as bytes, and converted only for a sink that
 * wants text or objects.
 */
import type { EnrichmentRecord, RecordSink } from "../contract.js";
import type { OutputError } from "../errors.js";
import { redact } from "../redact.js";

/** Records per batch handed to a sink. */
export const RECORD_BATCH = 1_000;

/** A line's end, as the tail of a record given whole as its head. */
export const LINE_END: Uint8Array = Buffer.from("\n");

/** The records of a batch of JSON lines (UTF-8, each line ended by `\n`), parsed. */
const parseLines = (bytes: Buffer): EnrichmentRecord[] => {
  const records: EnrichmentRecord[] = [];
  for (let from = 0, end = bytes.indexOf(0x0a); end !== -1; from = end + 1, end = bytes.indexOf(0x0a, from)) {
    records.push(JSON.parse(bytes.toString("utf8", from, end)) as EnrichmentRecord);
  }
  return records;
};

/** Batches lines for one sink (or collects objects when there is none). */
export class RecordWriter {
  /** Records delivered to the sink, or collected. */
  written = 0;
  /** The records, when no sink was given. */
  readonly collected: EnrichmentRecord[] = [];
  private heads: string[] = [];
  private tails: Uint8Array[] = [];
  /** An upper bound of the batch's size in bytes. */
  private bound = 0;

  constructor(private readonly sink: RecordSink | undefined) {}

  /**
   * Adds one record: its JSON line is `head` (text) followed by `tail` (UTF-8 bytes ending in
   * `\n`; {@link LINE_END} for a record given whole as `head`). Returns a promise only when a
   * full batch is being written (await it: back-pressure); a rejected sink write rejects it.
   */
  add(head: string, tail: Uint8Array): Promise<void> | undefined {
    if (this.sink === undefined) {
      this.collected.push(JSON.parse(head + Buffer.from(tail.buffer, tail.byteOffset, tail.length).toString("utf8")) as EnrichmentRecord);
      this.written += 1;
      return undefined;
    }
    this.heads.push(head);
    this.tails.push(tail);
    this.bound += head.length * 3 + tail.length; // a UTF-16 code unit takes at most 3 bytes in UTF-8
    return this.heads.length >= RECORD_BATCH ? this.flush() : undefined;
  }

  /** Writes what is batched. */
  async flush(): Promise<void> {
    const sink = this.sink;
    const count = this.heads.length;
    if (sink === undefined || count === 0) return;
    const bytes = this.takeBatch();
    if (sink.format === "json-lines-utf8") await sink.write(bytes);
    else if (sink.format === "json-lines") await sink.write(bytes.toString("utf8"));
    else await sink.write(parseLines(bytes));
    this.written += count;
  }

  /** The batched lines as one buffer of UTF-8; empties the batch. */
  private takeBatch(): Buffer {
    const bytes = Buffer.allocUnsafe(this.bound);
    let at = 0;
    for (let i = 0; i < this.heads.length; i++) {
      at += bytes.write(this.heads[i] as string, at);
      const tail = this.tails[i] as Uint8Array;
      bytes.set(tail, at);
      at += tail.length;
    }
    this.heads = [];
    this.tails = [];
    this.bound = 0;
    return bytes.subarray(0, at);
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
