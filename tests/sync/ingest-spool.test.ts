import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { generateTenant } from "../../src/simulator/index.js";
import { defenderIngest, takePage, DEFENDER_FORMAT } from "./take-page.js";
import { writeRecords } from "../../src/sync/enrich.js";
import { RecordWriter } from "../../src/records/writer.js";
import { LineSpool } from "../../src/records/spool.js";
import { outgrewError } from "../../src/records/json-bytes.js";
import type { ScannedAsset } from "../../src/engine/assets.js";
import { ProbeRunError } from "../../src/engine/errors.js";
import { firstSightings, parsedItems, scannedItems, type PageItems } from "../../src/sync/page-items.js";
import { scanPage } from "../../src/sync/page-scan.js";

/** Defender's machine pages. */
const MACHINE_PAGE = { items: "value", id: "id" };
import { takeFirstPage } from "./take-page.js";
import type { DeviceIngest } from "../../src/sync/ingest.js";
import type { Machine } from "../../src/probes/defender365/machine.js";

const tenant = generateTenant({ seed: 7, devices: 3_000, assets: true });
const assets = tenant.assets as ScannedAsset[];
const machines = Array.from({ length: 3 }, (_, p) => Array.from({ length: 1_000 }, (_, i) => tenant.machineAt(p * 1_000 + i)));
const pages = machines.map((items) => parsedItems(items));

/** The page of `items` as the reader hands it over after the scan split its body. */
const scanned = (items: readonly unknown[]): PageItems => {
  const scan = scanPage(JSON.stringify({ "@odata.context": "x", value: items }), MACHINE_PAGE);
  assert.ok(scan !== undefined);
  return scannedItems(scan);
};

/** Runs the pages through an ingest with `spool`, then writes every record; returns the JSON lines. */
const linesThrough = async (
  spool: LineSpool,
  excludeUnknown = false,
  through: readonly PageItems[] = pages,
): Promise<{ text: string; ingest: DeviceIngest<Machine> }> => {
  const ingest = defenderIngest(assets, true, spool);
  const seen = new Set<string>();
  for (const [n, items] of through.entries()) await takePage(ingest, items, n + 1, firstSightings(items, seen));
  const correlation = ingest.correlation().finish();
  let text = "";
  const writer = new RecordWriter({ format: "json-lines", write: (lines) => void (text += lines) });
  const counts = await writeRecords(ingest, correlation, { siteId: "s", excludeUnknown, format: DEFENDER_FORMAT }, writer);
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
  await spilled.ingest.spool.dispose();
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
  await ingest.spool.dispose();
  assert.equal(existsSync(dir), false);
});

test("a spool that cannot write (disk full) stops the intake with ERR_SPOOL, naming the temp dir fix, never a stack", async () => {
  class FullDisk extends LineSpool {
    override endLine(): void {
      throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
    }
  }
  const ingest = defenderIngest(assets, true, new FullDisk());
  await assert.rejects(takeFirstPage(ingest, pages[0] ?? parsedItems([]), 1), (error: unknown) => {
    assert.ok(error instanceof ProbeRunError);
    assert.equal(error.code, "ERR_SPOOL");
    assert.match(error.message, /\(ENOSPC\)/);
    assert.match(error.hint, /TMPDIR/);
    assert.doesNotMatch(error.message, /\n\s+at /);
    return true;
  });
});

test("a spill that failed in the background stops the run's reading with ERR_SPOOL (spoolWritten), naming the temp dir fix", async () => {
  class FullDisk extends LineSpool {
    protected override writeInBackground(): Promise<void> {
      return Promise.reject(Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" }));
    }
  }
  const ingest = defenderIngest(assets, true, new FullDisk(1_000, 500));
  await takeFirstPage(ingest, parsedItems([machines[0]?.[0]]), 1); // one record: over 1,000 bytes, so it spills
  await assert.rejects(ingest.spoolWritten(), (error: unknown) => {
    assert.ok(error instanceof ProbeRunError);
    assert.equal(error.code, "ERR_SPOOL");
    assert.match(error.message, /\(ENOSPC\)/);
    assert.match(error.hint, /TMPDIR/);
    return true;
  });
  await ingest.spool.dispose();
});

test("a record that outgrew its size bound stops the intake with ERR_SPOOL naming the bug, not the disk", async () => {
  class WrongBound extends LineSpool {
    override endLine(): void {
      throw outgrewError("A spooled line");
    }
  }
  const ingest = defenderIngest(assets, true, new WrongBound());
  await assert.rejects(takeFirstPage(ingest, pages[0] ?? parsedItems([]), 1), (error: unknown) => {
    assert.ok(error instanceof ProbeRunError);
    assert.equal(error.code, "ERR_SPOOL");
    assert.match(error.message, /outgrew the room made for it .*a bug in scan-probes/);
    assert.doesNotMatch(error.hint, /TMPDIR/);
    return true;
  });
});

test("pages split by the scan and parsed item by item give the records of pages parsed whole, byte for byte", async () => {
  const whole = await linesThrough(new LineSpool());
  const split = await linesThrough(new LineSpool(), false, machines.map(scanned));
  assert.equal(split.text, whole.text);
  await whole.ingest.spool.dispose();
  await split.ingest.spool.dispose();
});

test("an item of a split page that is not JSON stops the intake with ERR_API_BAD_RESPONSE naming the page and the item", async () => {
  const scan = scanPage('{"value":[{"id":"a","healthStatus":"Active","onboardingStatus":"Onboarded"},{"id":"b" "x":1}]}', MACHINE_PAGE);
  assert.ok(scan !== undefined, "the scan splits it: it checks only where the items meet");
  const ingest = defenderIngest([], true);
  await assert.rejects(takeFirstPage(ingest, scannedItems(scan), 4), (error: unknown) => {
    assert.ok(error instanceof ProbeRunError);
    assert.equal(error.code, "ERR_API_BAD_RESPONSE");
    assert.match(error.message, /Page 4 .*item 1 is not JSON/);
    return true;
  });
  await ingest.spool.dispose();
});
