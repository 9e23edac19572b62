import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { generateTenant } from "../../src/simulator/index.js";
import { DeviceIngest } from "../../src/probes/defender365/ingest.js";
import { writeRecords } from "../../src/probes/defender365/enrich.js";
import { RecordWriter } from "../../src/records/writer.js";
import { LineSpool } from "../../src/records/spool.js";
import type { ScannedAsset } from "../../src/assets.js";
import { ProbeRunError } from "../../src/errors.js";

const tenant = generateTenant({ seed: 7, devices: 3_000, assets: true });
const assets = tenant.assets as ScannedAsset[];
const pages = Array.from({ length: 3 }, (_, p) => Array.from({ length: 1_000 }, (_, i) => tenant.machineAt(p * 1_000 + i)));

/** Runs the pages through an ingest with `spool`, then writes every record; returns the JSON lines. */
const linesThrough = async (spool: LineSpool, excludeUnknown = false): Promise<{ text: string; ingest: DeviceIngest }> => {
  const ingest = new DeviceIngest(assets, true, spool);
  for (const [n, items] of pages.entries()) await ingest.takePage(items, n + 1);
  const correlation = ingest.correlation().finish();
  let text = "";
  const writer = new RecordWriter({ format: "json-lines", write: (lines) => void (text += lines) });
  const counts = await writeRecords(ingest, correlation, { siteId: "s", excludeUnknown }, writer, undefined);
  assert.equal(counts.failure, undefined);
  assert.equal(text.split("\n").length - 1, counts.matched + counts.created);
  return { text, ingest };
};

test("records read back from a spilled spool are the records held in memory, byte for byte and in order", async () => {
  const held = await linesThrough(new LineSpool());
  const spilled = await linesThrough(new LineSpool(50_000, 20_000));
  assert.equal(held.ingest.spool.spilledBytes, 0);
  assert.ok(spilled.ingest.spool.spilledBytes > 4_000_000, "most records went through the file");
  assert.equal(spilled.text, held.text);
  assert.equal(held.text.split("\n").length - 1, 3_000, "includeInactive: every generated device has a record");
  spilled.ingest.spool.dispose();
});

test("excludeUnknown leaves the unmatched devices' records out of the spool's output, nothing else", async () => {
  const all = await linesThrough(new LineSpool());
  const known = await linesThrough(new LineSpool(), true);
  const matchedOnly = all.text.split("\n").filter((line) => line.length > 0 && !line.includes('"assetId":null'));
  assert.deepEqual(
    known.text.split("\n").filter((line) => line.length > 0),
    matchedOnly,
  );
});

test("a spool's temporary directory is gone after dispose", async () => {
  const spool = new LineSpool(1_000, 500);
  const { ingest } = await linesThrough(spool);
  const dir = (ingest.spool as unknown as { file: { dir: string } | null }).file?.dir;
  assert.ok(dir !== undefined && existsSync(dir));
  ingest.spool.dispose();
  assert.equal(existsSync(dir), false);
});

test("a spool that cannot write (disk full) stops the intake with ERR_SPOOL, naming the temp dir fix, never a stack", async () => {
  class FullDisk extends LineSpool {
    override push(): void {
      throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
    }
  }
  const ingest = new DeviceIngest(assets, true, new FullDisk());
  await assert.rejects(ingest.takePage(pages[0] ?? [], 1), (error: unknown) => {
    assert.ok(error instanceof ProbeRunError);
    assert.equal(error.code, "ERR_SPOOL");
    assert.match(error.message, /\(ENOSPC\)/);
    assert.match(error.hint, /TMPDIR/);
    assert.doesNotMatch(error.message, /\n\s+at /);
    return true;
  });
});
