/**
 * Delivers serialised records (one JSON object per line) to a run's {@link RecordSink} in
 * batches, waiting for each write; without a sink, collects them as objects for
 * `ProbeResult.records`. A record comes as its head (written into the batch through a
 * `JsonBytes`, or given as text) and its tail (UTF-8 bytes, as the spool holds it); a batch
 * is assembled once, as bytes, and converted only for a sink that wants text or objects.
 */
import type { EnrichmentRecord, RecordSink } from "../contract.js";
import type { OutputError } from "../engine/errors.js";
import { redact } from "../util/redact.js";
import { JsonBytes, outgrew, outgrewError, textBound } from "./json-bytes.js";
import { LINE_FEED } from "../util/char-codes.js";

/** Records per batch handed to a sink. */
export const RECORD_BATCH = 1_000;

/** A line's end, as the tail of a record given whole as its head. */
export const LINE_END: Uint8Array = Buffer.from("\n");

/** The records of a batch of JSON lines (UTF-8, each line ended by `\n`), parsed. */
const parseLines = (bytes: Buffer): EnrichmentRecord[] => {
  const records: EnrichmentRecord[] = [];
  for (let from = 0, end = bytes.indexOf(LINE_FEED); end !== -1; from = end + 1, end = bytes.indexOf(LINE_FEED, from)) {
    records.push(JSON.parse(bytes.toString("utf8", from, end)) as EnrichmentRecord);
  }
  return records;
};

/** Bytes of the first batch's buffer; later ones start at the size of the batch before. */
const FIRST_BATCH_BYTES = 1 << 20;

/** Batches lines for one sink (or collects objects when there is none). */
export class RecordWriter {
  /** Records delivered to the sink, or collected. */
  written = 0;
  /** The records, when no sink was given. */
  readonly collected: EnrichmentRecord[] = [];
  /** The batch being assembled (a new buffer per batch: a sink may keep the one it was given), and how much of it is used. */
  private batch: Buffer | null = null;
  private used = 0;
  private count = 0;
  private nextBatchBytes = FIRST_BATCH_BYTES;
  /** The tail of the record begun (see {@link beginRecord}). */
  private tail: Uint8Array = LINE_END;
  private readonly writer = new JsonBytes();

  constructor(private readonly sink: RecordSink | undefined) {}

  /**
   * Begins one record whose JSON line is a head of at most `headBytes` bytes followed by
   * `tail` (UTF-8 bytes ending in `\n`): returns the writer, pointed at where the head goes in
   * the batch. Write the head through it, then call {@link endRecord}, with no other record
   * begun in between.
   */
  beginRecord(headBytes: number, tail: Uint8Array): JsonBytes {
    const needed = headBytes + tail.length;
    if (this.batch === null || this.used + needed > this.batch.length) this.growBatch(needed);
    this.tail = tail;
    return this.writer.moveTo(this.batch as Buffer, this.used);
  }

  /**
   * Ends the record begun: its tail goes after its head. Returns a promise only when a full
   * batch is being written (await it: back-pressure); a rejected sink write rejects it.
   */
  endRecord(): Promise<void> | undefined {
    const batch = this.batch as Buffer;
    const start = this.used;
    if (outgrew(this.writer.at, this.tail.length, batch.length)) throw outgrewError("A record's head");
    batch.set(this.tail, this.writer.at);
    this.used = this.writer.at + this.tail.length;
    this.tail = LINE_END;
    if (this.sink === undefined) {
      this.collected.push(JSON.parse(batch.toString("utf8", start, this.used)) as EnrichmentRecord);
      this.written += 1;
      this.used = 0;
      return undefined;
    }
    this.count += 1;
    return this.count >= RECORD_BATCH ? this.flush() : undefined;
  }

  /** Adds one record given as text, `head`, followed by `tail` ({@link LINE_END} for a record given whole as `head`); see {@link endRecord}. */
  add(head: string, tail: Uint8Array): Promise<void> | undefined {
    this.beginRecord(textBound(head.length), tail).text(head);
    return this.endRecord();
  }

  /** Writes what is batched. */
  async flush(): Promise<void> {
    const sink = this.sink;
    const count = this.count;
    if (sink === undefined || count === 0) return;
    const bytes = (this.batch as Buffer).subarray(0, this.used);
    this.nextBatchBytes = Math.max(this.nextBatchBytes, this.used);
    this.batch = null;
    this.used = 0;
    this.count = 0;
    if (sink.format === "json-lines-utf8") await sink.write(bytes);
    else if (sink.format === "json-lines") await sink.write(bytes.toString("utf8"));
    else await sink.write(parseLines(bytes));
    this.written += count;
  }

  /** Makes room for `bytes` more in the batch: a new buffer for a new batch, a bigger one (what is there copied) for a batch that outgrew its own. */
  private growBatch(bytes: number): void {
    const batch = Buffer.allocUnsafe(Math.max(this.nextBatchBytes, 2 * (this.used + bytes)));
    if (this.batch !== null) this.batch.copy(batch, 0, 0, this.used);
    this.batch = batch;
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
