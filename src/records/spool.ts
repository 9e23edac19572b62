/**
 * A first-in, first-out store of text lines, held as UTF-8 bytes, that keeps a bounded amount
 * in memory and spills the rest to a temporary file, so that a run can hold a million
 * serialised records between reading the pages and writing the records without holding them
 * in the heap.
 *
 * Bytes, not strings: each line is encoded once, when it is pushed, into large buffers outside
 * V8's heap (no garbage collection ever copies or marks them). A spill writes those buffers as
 * they are, reading back gives bytes, and a byte sink (`json-lines-utf8`) gets them without a
 * decode, a join or an encode in between.
 */
import { close, mkdtempSync, openSync, write, writeSync } from "node:fs";
import { open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { OutputError } from "../engine/errors.js";
import { JsonBytes, outgrew, outgrewError, textBound } from "./json-bytes.js";
import { describeOutsideError } from "./writer.js";
import { LINE_FEED } from "../util/char-codes.js";
import { grownBuffer } from "../util/growable.js";

/**
 * Bytes held in memory before the spool spills to its file (about 11,000 Defender records).
 * Small on purpose: V8 counts these buffers' memory against its heap, and enough of it that
 * outlives the young generation starts a full collection of the whole heap; a larger spool
 * means more full collections (docs/benchmark.md). Buffers on disk are filled again (see
 * `spare`), and spilling is cheap: it is written in the background, into the page cache.
 */
export const SPOOL_MEMORY_BYTES = 16 * 1024 * 1024;

/** Bytes of one buffer that lines are encoded into (a line longer than this gets a buffer of its own). */
export const SPOOL_BLOCK_BYTES = 4 * 1024 * 1024;

/** Bytes per read when the spilled file is read back. */
const READ_CHUNK_BYTES = 1 << 20;

/** Lines in, the same lines out as UTF-8 in the same order, each ended by `\n`. Lines must not contain `\n`. */
export class LineSpool {
  /** Full buffers held in memory, each ending at a line's end. */
  private held: Buffer[] = [];
  private heldBytes = 0;
  /** The buffer being filled, and how much of it is. */
  private block: Buffer | null = null;
  private used = 0;
  private file: { readonly dir: string; readonly path: string; readonly fd: number } | null = null;
  /** Writes the line being written (see {@link beginLine}) into the buffer being filled. */
  private readonly writer = new JsonBytes();
  private spilled = 0;
  private total = 0;
  /** The spill being written in the background (its buffers kept until they are on disk), or null. */
  private writing: Promise<void> | null = null;
  /** What a background spill failed with: thrown by the next {@link endLine}, and by {@link written}. */
  private failure: Error | null = null;
  /**
   * Buffers of {@link blockBytes} whose lines are on disk, to be filled again. Each new buffer
   * is memory outside V8's heap that V8 counts: a buffer that outlives a few young-generation
   * collections counts towards the old generation's limit, so spilling through fresh buffers
   * would start a full collection of the whole heap every few spills.
   */
  private spare: Buffer[] = [];

  /**
   * @param memoryBytes bytes kept in memory before spilling (tests pass small values).
   * @param blockBytes bytes per buffer.
   */
  constructor(
    private readonly memoryBytes: number = SPOOL_MEMORY_BYTES,
    private readonly blockBytes: number = SPOOL_BLOCK_BYTES,
  ) {}

  /** Lines appended so far. */
  get length(): number {
    return this.total;
  }

  /** Bytes handed to the temporary file so far, the last spill perhaps still being written (0 while everything fits in memory). */
  get spilledBytes(): number {
    return this.spilled;
  }

  /**
   * Appends one line, given whole or in up to three parts that make it when joined (each is
   * copied once, into the spool). Throws the file system's error when a spill fails (disk full).
   */
  push(first: string, second = "", third = ""): void {
    const out = this.beginLine(textBound(first.length + second.length + third.length));
    out.text(first);
    out.text(second);
    out.text(third);
    this.endLine();
  }

  /**
   * Makes room for a line of at most `maxBytes` bytes (its line feed not counted) and returns
   * the writer, pointed there: write the line through it, then call {@link endLine}, with no
   * other line begun in between. The line goes into the spool's buffer as it is written,
   * never through a string of its own.
   */
  beginLine(maxBytes: number): JsonBytes {
    if (this.block === null || this.used + maxBytes + 1 > this.block.length) this.startBlock(maxBytes + 1);
    return this.writer.moveTo(this.block as Buffer, this.used);
  }

  /**
   * Ends the line written since {@link beginLine}. Throws the file system's error when a spill
   * failed (disk full): a spill is written in the background, so this is the next line's call.
   */
  endLine(): void {
    if (this.failure !== null) throw this.failure;
    const block = this.block as Buffer;
    if (outgrew(this.writer.at, 1, block.length)) throw outgrewError("A spooled line");
    this.used = this.writer.at;
    block[this.used++] = LINE_FEED;
    this.total += 1;
    if (this.heldBytes + this.used > this.memoryBytes) this.spill();
  }

  /** Starts a buffer with room for at least `bytes` (a spare one when it is big enough), the one being filled set aside. */
  private startBlock(bytes: number): void {
    this.setBlockAside();
    this.block = (bytes <= this.blockBytes ? this.spare.pop() : undefined) ?? Buffer.allocUnsafeSlow(Math.max(this.blockBytes, bytes));
  }

  /** Keeps the whole buffers under `written` (lines now on disk) as spares; a buffer made for one long line is let go. */
  private reuse(written: readonly Buffer[]): void {
    for (const bytes of written) if (bytes.buffer.byteLength === this.blockBytes) this.spare.push(Buffer.from(bytes.buffer, 0, this.blockBytes));
  }

  /** Moves the filled part of the buffer being filled to the held ones; the next line starts a new buffer. */
  private setBlockAside(): void {
    if (this.block !== null && this.used > 0) {
      this.held.push(this.block.subarray(0, this.used));
      this.heldBytes += this.used;
    }
    this.block = null;
    this.used = 0;
  }

  /**
   * Writes every held line to the file, the buffer being filled included: in the background,
   * so that the lines that follow are made while the disk writes (a million records spill about
   * 1.5 GB, seconds of blocking writes); each spill at its own place in the file. While one
   * is still being written, the next waits for the disk instead (written at once): memory stays
   * within two spills.
   */
  private spill(): void {
    this.setBlockAside();
    if (this.file === null) {
      const dir = mkdtempSync(join(tmpdir(), "scan-probes-"));
      const path = join(dir, "records.spool");
      this.file = { dir, path, fd: openSync(path, "w", 0o600) };
    }
    const fd = this.file.fd;
    const held = this.held;
    const position = this.spilled;
    for (const bytes of held) this.spilled += bytes.length;
    this.held = [];
    this.heldBytes = 0;
    if (this.writing !== null) {
      writeAllSync(fd, held, position);
      this.reuse(held);
      return;
    }
    this.writing = this.writeInBackground(fd, held, position).then(
      () => {
        this.writing = null;
        this.reuse(held);
      },
      (error: Error) => {
        this.failure ??= error;
        this.writing = null;
      },
    );
  }

  /** Writes `buffers` one after another into `fd` from `position`, in the background (tests override it to fail). */
  protected async writeInBackground(fd: number, buffers: readonly Buffer[], position: number): Promise<void> {
    let at = position;
    for (const bytes of buffers) {
      for (let done = 0; done < bytes.length;) {
        const written = await new Promise<number>((resolve, reject) =>
          write(fd, bytes, done, bytes.length - done, at + done, (error, n) => (error ? reject(error) : resolve(n))),
        );
        done += written;
      }
      at += bytes.length;
    }
  }

  /** Settles once every spill is on disk; rejects with the file system's error if one failed (disk full). */
  async written(): Promise<void> {
    if (this.writing !== null) await this.writing;
    if (this.failure !== null) throw this.failure;
  }

  /**
   * Every line in order, a run of whole lines at a time (UTF-8, each line ended by `\n`): the
   * spilled ones read back from the file, then those in memory. Read once. A run at a time
   * rather than a line: the reader splits the runs itself, without an asynchronous step per line.
   * A run read back from the file is valid until the next one is asked for: they are read into
   * one buffer, filled again each time (a million records read back through fresh buffers
   * would be another 1.5 GB that V8 counts against its heap, see {@link spare}).
   */
  async *chunks(): AsyncGenerator<Buffer> {
    await this.written();
    if (this.file !== null) yield* readLines(this.file.path, this.spilled);
    this.setBlockAside();
    const held = this.held;
    this.held = [];
    this.heldBytes = 0;
    this.spare = [];
    yield* held;
  }

  /**
   * Drops what is held, at once, and deletes the temporary file in the background: the promise
   * settles once it is gone (it never rejects: a file that cannot be removed is left in TMPDIR).
   * Removal goes through the thread pool: deleting a large spool's file takes the file system
   * a noticeable time, which must not block the event loop. A spill still being written is let
   * finish first (closing its file under it could let the number be reused by another file,
   * which the write would then land in). Safe to call twice: the second call settles at once.
   */
  async dispose(): Promise<void> {
    this.held = [];
    this.spare = [];
    this.heldBytes = 0;
    this.block = null;
    this.used = 0;
    if (this.file === null) return;
    const { fd, dir } = this.file;
    this.file = null;
    await this.writing; // never rejects: a failed spill is kept in `failure`, for written()
    await new Promise<void>((resolve) => close(fd, () => resolve()));
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/**
 * The first `bytes` bytes of the file at `path`, a run of whole lines at a time. Two buffers
 * take turns: while the caller works through a run in one, the next read fills the other (the
 * partial line at the end of the run carried to its start), so that reading back a spilled
 * spool keeps the disk and the caller busy at once, rather than idling while each read is
 * waited for. A run stays valid until the next one is asked for: only then is its buffer read
 * into again. A line longer than a buffer doubles it.
 */
async function* readLines(path: string, bytes: number): AsyncGenerator<Buffer> {
  const file = await open(path, "r");
  let position = 0;
  /** Reads the file from `position` into `into` from `at`, as much as fits; resolves with the bytes read (0 at the file's end). */
  const readInto = (into: Buffer, at: number): Promise<number> => {
    const from = position;
    const length = Math.min(into.length - at, bytes - from);
    position += length;
    const read = file.read(into, at, length, from).then(({ bytesRead }) => {
      if (bytesRead === 0) throw spoolShortError(`it ended at ${from} of ${bytes} bytes`);
      position -= length - bytesRead; // a short read: the rest is asked for again
      return bytesRead;
    });
    read.catch(() => undefined); // awaited below; a run given up on leaves no unhandled rejection
    return read;
  };
  let reading: Promise<number> | null = null;
  try {
    let buffer = Buffer.allocUnsafeSlow(READ_CHUNK_BYTES);
    let other = Buffer.allocUnsafeSlow(READ_CHUNK_BYTES);
    let filled = 0;
    if (bytes > 0) reading = readInto(buffer, 0);
    while (reading !== null) {
      filled += await reading;
      reading = null;
      const end = buffer.lastIndexOf(LINE_FEED, filled - 1) + 1;
      if (end === 0) {
        // No line ends in what is read: read on into the same buffer (grown when full).
        if (position >= bytes) break;
        if (filled === buffer.length) buffer = grownBuffer(buffer, filled, filled + 1);
        reading = readInto(buffer, filled);
        continue;
      }
      if (other.length < buffer.length) other = Buffer.allocUnsafeSlow(buffer.length);
      const carried = buffer.copy(other, 0, end, filled);
      if (position < bytes) reading = readInto(other, carried);
      yield buffer.subarray(0, end);
      [buffer, other] = [other, buffer];
      filled = carried;
    }
    if (filled > 0) throw spoolShortError("it ends inside a line");
  } finally {
    await reading?.catch(() => undefined); // never close the file under a read
    await file.close();
  }
}

/** The error (code `ERR_SPOOL_SHORT`) of a spool file found shorter than what was written to it; `how` says where it ends. */
const spoolShortError = (how: string): Error => Object.assign(new Error(`the spool file was cut short: ${how}`), { code: "ERR_SPOOL_SHORT" });

/** Writes `buffers` one after another into `fd` from `position`, now. */
function writeAllSync(fd: number, buffers: readonly Buffer[], position: number): void {
  let at = position;
  for (const bytes of buffers) {
    for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done, bytes.length - done, at + done);
    at += bytes.length;
  }
}

/**
 * `ERR_SPOOL` for a spill that failed (disk full) after `devices` devices; names the file
 * system's code only. A record that outgrew its size bound (`ERR_RECORD_BOUND`, a bug) says so.
 */
export const spoolWriteError = (error: unknown, devices: number): OutputError => {
  const code = (error as { code?: string } | null)?.code;
  if (code === "ERR_RECORD_BOUND")
    return {
      _tag: "OutputError",
      code: "ERR_SPOOL",
      message: `A device record outgrew the room made for it after ${devices} devices (a bug in scan-probes); the run stopped rather than keep a cut record.`,
      hint: "Report it with the run's task log; no setting works around it.",
    };
  return {
    _tag: "OutputError",
    code: "ERR_SPOOL",
    message: `Could not write the temporary record file (${code ?? "I/O error"}) after ${devices} devices.`,
    hint: "Free disk space in the temporary directory (TMPDIR) or point TMPDIR elsewhere, then run again.",
  };
};

/** `ERR_SPOOL` for a spool file that could not be read back. */
export const spoolReadError = (error: unknown): OutputError => ({
  _tag: "OutputError",
  code: "ERR_SPOOL",
  message: `Could not read back the temporary record file (${describeOutsideError(error)}).`,
  hint: "Check the temporary directory (TMPDIR): free space, and that nothing deletes files there during a run.",
});
