/**
 * A first-in, first-out store of text lines that keeps a bounded amount in memory and spills
 * the rest to a temporary file, so that a run can hold a million serialised records between
 * reading the pages and writing the records without holding them in the heap.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { createReadStream } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { OutputError } from "../errors.js";
import { describeOutsideError } from "./writer.js";

/** Characters held in memory before the spool spills to its file (128 MiB of ASCII: about 85,000 Defender records). */
export const SPOOL_MEMORY_CHARS = 128 * 1024 * 1024;

/** Characters per write when spilling, so that a spill never copies everything held at once. */
const WRITE_CHUNK_CHARS = 4 * 1024 * 1024;

/**
 * Lines joined into one string before they are held: one large flat string per few hundred
 * lines, which V8 allocates outside the young generation, instead of a few hundred small
 * strings that every scavenge copies and then promotes.
 */
const LINES_PER_CHUNK = 512;

/** Lines in, the same lines out in the same order. Lines must not contain `\n`. */
export class LineSpool {
  /** Lines not yet joined into a chunk. */
  private pending: string[] = [];
  /** Chunks held in memory: lines each ended by `\n`. */
  private held: string[] = [];
  private heldChars = 0;
  private file: { readonly dir: string; readonly path: string; readonly fd: number } | null = null;
  private spilled = 0;
  private total = 0;

  /**
   * @param memoryChars characters kept in memory before spilling (tests pass small values).
   * @param writeChunkChars characters per write when spilling.
   */
  constructor(
    private readonly memoryChars: number = SPOOL_MEMORY_CHARS,
    private readonly writeChunkChars: number = WRITE_CHUNK_CHARS,
  ) {}

  /** Lines appended so far. */
  get length(): number {
    return this.total;
  }

  /** Bytes written to the temporary file so far (0 while everything fits in memory). */
  get spilledBytes(): number {
    return this.spilled;
  }

  /** Appends one line. Throws the file system's error when a spill fails (disk full). */
  push(line: string): void {
    this.pending.push(line);
    this.heldChars += line.length + 1;
    this.total += 1;
    if (this.pending.length >= LINES_PER_CHUNK) this.seal();
    if (this.heldChars > this.memoryChars) this.spill();
  }

  /** Joins the pending lines into one held chunk. */
  private seal(): void {
    if (this.pending.length === 0) return;
    this.held.push(`${this.pending.join("\n")}\n`);
    this.pending = [];
  }

  private spill(): void {
    this.seal();
    if (this.held.length === 0) return;
    if (this.file === null) {
      const dir = mkdtempSync(join(tmpdir(), "scan-probes-"));
      const path = join(dir, "records.spool");
      this.file = { dir, path, fd: openSync(path, "w", 0o600) };
    }
    const fd = this.file.fd;
    const write = (chunks: readonly string[]) => {
      const bytes = Buffer.from(chunks.join(""), "utf8");
      for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at);
      this.spilled += bytes.length;
    };
    let batch: string[] = [];
    let batchChars = 0;
    for (const chunk of this.held) {
      batch.push(chunk);
      batchChars += chunk.length;
      if (batchChars >= this.writeChunkChars) {
        write(batch);
        batch = [];
        batchChars = 0;
      }
    }
    if (batch.length > 0) write(batch);
    this.held = [];
    this.heldChars = 0;
  }

  /**
   * Every line in order, a run of whole lines at a time (each line ended by `\n`): the
   * spilled ones read back from the file, then those in memory. Read once. A run at a time
   * rather than a line: the reader splits the runs itself, without an asynchronous step per line.
   */
  async *chunks(): AsyncGenerator<string> {
    if (this.file !== null) {
      const stream = createReadStream(this.file.path, { encoding: "utf8", highWaterMark: 1 << 20 });
      let rest = "";
      for await (const chunk of stream as AsyncIterable<string>) {
        const text = rest + chunk;
        const end = text.lastIndexOf("\n") + 1;
        if (end > 0) yield text.slice(0, end);
        rest = text.slice(end);
      }
    }
    const held = this.held;
    const pending = this.pending;
    this.held = [];
    this.pending = [];
    yield* held;
    if (pending.length > 0) yield `${pending.join("\n")}\n`;
  }

  /** Deletes the temporary file and drops what is held. Safe to call twice. */
  dispose(): void {
    this.held = [];
    this.pending = [];
    if (this.file === null) return;
    const { fd, dir } = this.file;
    this.file = null;
    try {
      closeSync(fd);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** `ERR_SPOOL` for a spill that failed (disk full) after `devices` devices; names the file system's code only. */
export const spoolWriteError = (error: unknown, devices: number): OutputError => ({
  _tag: "OutputError",
  code: "ERR_SPOOL",
  message: `Could not write the temporary record file (${(error as { code?: string }).code ?? "I/O error"}) after ${devices} devices.`,
  hint: "Free disk space in the temporary directory (TMPDIR) or point TMPDIR elsewhere, then run again.",
});

/** `ERR_SPOOL` for a spool file that could not be read back. */
export const spoolReadError = (error: unknown): OutputError => ({
  _tag: "OutputError",
  code: "ERR_SPOOL",
  message: `Could not read back the temporary record file (${describeOutsideError(error)}).`,
  hint: "Check the temporary directory (TMPDIR): free space, and that nothing deletes files there during a run.",
});
