import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FILE_BUFFER_BYTES, recordFile } from "../../src/cli/output.js";

/** Batch `n` of `bytes` bytes: lines of its own number, so that a batch lost, cut or out of order shows. */
const batch = (n: number, bytes: number): Buffer => {
  const line = `{"batch":${n}}\n`;
  return Buffer.from(line.repeat(Math.ceil(bytes / line.length)));
};

test("a record file gets every batch whole and in order, through more than its buffer holds", async () => {
  const dir = mkdtempSync(join(tmpdir(), "scan-probes-output-"));
  try {
    const path = join(dir, "records.jsonl");
    const file = recordFile(path);
    const batches = Array.from({ length: 40 }, (_, n) => batch(n, 1 << 20));
    assert.ok(batches.length << 20 > 2 * FILE_BUFFER_BYTES, "enough to wait for the disk more than once");
    for (const bytes of batches) await file.sink.write(bytes);
    await file.close();
    assert.ok(readFileSync(path).equals(Buffer.concat(batches)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test(
  "a record file on a full disk rejects with the file system's error, and does not hang",
  { skip: !existsSync("/dev/full") && "no /dev/full here" },
  async () => {
    const file = recordFile("/dev/full");
    const failure = await (async () => {
      try {
        for (let n = 0; n < 40; n++) await file.sink.write(batch(n, 1 << 20));
        await file.close();
      } catch (error) {
        return error as { code?: string };
      }
      return undefined;
    })();
    assert.equal(failure?.code, "ENOSPC");
  },
);
