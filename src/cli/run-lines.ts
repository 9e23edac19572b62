/**
 * Records of several runs in one file: each line gets the id of the run that wrote it
 * (`"runId"`, first field), so that a reader tells apart two runs of one probe (two tenants
 * of one vendor) whose records both name the same `source`.
 */
import type { RecordBytesSink } from "../contract.js";

const NEWLINE = 0x0a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * `lines` (JSON objects, one a line, each ending in `\n`, as a {@link RecordBytesSink}
 * receives them) with `"runId":<runId>` made the first field of each object. A line that is
 * not an object is kept as it is.
 */
export const withRunId = (lines: Uint8Array, runId: string): Uint8Array => {
  const field = Buffer.from(`"runId":${JSON.stringify(runId)}`);
  const parts: Uint8Array[] = [];
  let start = 0;
  while (start < lines.length) {
    const end = lines.indexOf(NEWLINE, start);
    const stop = end === -1 ? lines.length : end + 1;
    if (lines[start] === OPEN_BRACE) {
      parts.push(lines.subarray(start, start + 1), field);
      if (lines[start + 1] !== CLOSE_BRACE) parts.push(Buffer.from(","));
      parts.push(lines.subarray(start + 1, stop));
    } else parts.push(lines.subarray(start, stop));
    start = stop;
  }
  return Buffer.concat(parts);
};

/** A sink that hands `sink` each batch with the run's id in every record (see {@link withRunId}). */
export const runTaggedSink = (sink: RecordBytesSink, runId: string): RecordBytesSink => ({
  format: "json-lines-utf8",
  write: (lines) => sink.write(withRunId(lines, runId)),
});
