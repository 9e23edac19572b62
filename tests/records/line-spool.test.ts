import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, truncateSync } from "node:fs";
import { LineSpool } from "../../src/records/spool.js";
import { LINE_END, RecordWriter } from "../../src/records/writer.js";
import type { EnrichmentRecord } from "../../src/contract.js";
import { countingSlowAllocations } from "../util/allocations.js";

const collect = async (spool: LineSpool): Promise<string[]> => {
  const out: string[] = [];
  for await (const chunk of spool.chunks()) {
    assert.equal(chunk.at(-1), 0x0a, "a run of whole lines");
    out.push(...chunk.toString("utf8").slice(0, -1).split("\n"));
  }
  return out;
};

test("a spool gives back every line in order, spilled to its file and held in memory alike", async () => {
  const spool = new LineSpool(100, 30); // buffers of 30 bytes: most lines are longer and get one of their own; spills every few lines
  const lines = Array.from({ length: 500 }, (_, i) => `{"n":${i},"name":"hôte-${i}-€-${"x".repeat(i % 37)}"}`);
  for (const line of lines) spool.push(line);
  assert.ok(spool.spilledBytes > 0, "the small limit made it spill");
  assert.equal(spool.length, 500);
  assert.deepEqual(await collect(spool), lines);
  await spool.dispose();
});

test("lines in several buffers, partly in the one being filled, partly spilled: every line back, in order, empty ones included", async () => {
  for (const [count, memory] of [
    [511, 1 << 20],
    [512, 1 << 20],
    [1_300, 1 << 20],
    [1_300, 5_000],
  ] as const) {
    const spool = new LineSpool(memory, 2_000);
    const lines = Array.from({ length: count }, (_, i) => (i % 97 === 0 ? "" : `line ${i} ${"y".repeat(i % 13)}`));
    for (const line of lines) spool.push(line);
    assert.equal(spool.spilledBytes > 0, memory < 1 << 20, `spilled for ${count} lines in ${memory} bytes`);
    assert.deepEqual(await collect(spool), lines, `${count} lines in ${memory} bytes`);
    await spool.dispose();
  }
});

test("a spilled file read back in several reads: lines of multi-byte characters cut across reads come back whole", async () => {
  const spool = new LineSpool(64 * 1024, 16 * 1024);
  const lines = Array.from({ length: 1_200 }, (_, i) => `${i}:${"é€😀x".repeat(i % 400)}`);
  for (const line of lines) spool.push(line);
  assert.ok(spool.spilledBytes > 2 * 1024 * 1024, "more than two reads of the file");
  assert.deepEqual(await collect(spool), lines);
  await spool.dispose();
});

test("a run read back from the file stays as it was while the caller works through it (the next read fills the other buffer), until the next run is asked for", async () => {
  const spool = new LineSpool(64 * 1024, 16 * 1024);
  const lines = Array.from({ length: 4_000 }, (_, i) => `${i}:${"é€😀w".repeat(i % 300)}`);
  for (const line of lines) spool.push(line);
  assert.ok(spool.spilledBytes > 4 * 1024 * 1024, "several reads of the file");
  const out: string[] = [];
  let runs = 0;
  for await (const chunk of spool.chunks()) {
    const before = Buffer.from(chunk);
    for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve)); // the read ahead lands meanwhile
    assert.ok(chunk.equals(before), `run ${runs} changed before the next was asked for`);
    out.push(...chunk.toString("utf8").slice(0, -1).split("\n"));
    runs += 1;
  }
  assert.ok(runs > 4, `${runs} runs`);
  assert.deepEqual(out, lines);
  await spool.dispose();
});

test("a line pushed in parts comes back as the parts joined, across buffers and spills", async () => {
  const spool = new LineSpool(20_000, 1_000);
  const lines: string[] = [];
  for (let i = 0; i < 600; i++) {
    const parts = [`{"n":${i},"a":`, `"${"é€😀z".repeat(i % 90)}"`, i % 3 === 0 ? "" : "}"] as const;
    spool.push(...parts);
    lines.push(parts.join(""));
  }
  assert.ok(spool.spilledBytes > 0);
  assert.deepEqual(await collect(spool), lines);
  await spool.dispose();
});

test("a spool that never spills writes no file; an empty one yields nothing", async () => {
  const spool = new LineSpool();
  spool.push("a");
  spool.push("");
  spool.push("b");
  assert.equal(spool.spilledBytes, 0);
  assert.deepEqual(await collect(spool), ["a", "", "b"]);
  assert.deepEqual(await collect(new LineSpool()), []);
});

test("dispose deletes the temporary file, and may be called twice", async () => {
  const spool = new LineSpool(10);
  for (let i = 0; i < 20; i++) spool.push(`line ${i}`);
  const path = (spool as unknown as { file: { path: string } }).file.path;
  assert.ok(existsSync(path));
  await spool.written();
  await spool.dispose();
  await spool.dispose();
  assert.equal(existsSync(path), false);
});

test("dispose while a spill is still being written deletes the file once that write is done", async () => {
  const spool = new LineSpool(10);
  for (let i = 0; i < 20; i++) spool.push(`line ${i}`);
  const path = (spool as unknown as { file: { path: string } }).file.path;
  const writing = (spool as unknown as { writing: Promise<void> | null }).writing;
  assert.ok(writing !== null, "a spill is being written in the background");
  let written = false;
  void writing.then(() => (written = true));
  await spool.dispose();
  assert.equal(written, true, "the spill's write finished before the file was closed");
  assert.equal(existsSync(path), false);
});

const line = (n: number) => JSON.stringify({ source: "s", sourceId: `d${n}` });

test("the writer hands a json-lines sink whole batches ending in a newline, and an objects sink parsed records", async () => {
  const chunks: string[] = [];
  const lines = new RecordWriter({ format: "json-lines", write: (text) => void chunks.push(text) });
  const batches: (readonly EnrichmentRecord[])[] = [];
  const objects = new RecordWriter({ format: "objects", write: (batch) => void batches.push(batch) });
  for (let i = 0; i < 2_500; i++) {
    await lines.add(line(i), LINE_END);
    await objects.add(line(i), LINE_END);
  }
  await lines.flush();
  await objects.flush();
  assert.equal(chunks.length, 3, "1,000 + 1,000 + 500");
  assert.ok(chunks.every((c) => c.endsWith("\n")));
  assert.deepEqual(
    chunks.join("").trimEnd().split("\n"),
    Array.from({ length: 2_500 }, (_, i) => line(i)),
  );
  assert.deepEqual(
    batches.flat().map((r) => r.sourceId),
    Array.from({ length: 2_500 }, (_, i) => `d${i}`),
  );
  assert.equal(lines.written, 2_500);
  assert.equal(objects.written, 2_500);
});

test("without a sink the writer collects the records", async () => {
  const writer = new RecordWriter(undefined);
  for (let i = 0; i < 3; i++) assert.equal(writer.add(line(i), LINE_END), undefined, "nothing to wait for");
  await writer.flush();
  assert.deepEqual(
    writer.collected.map((r) => r.sourceId),
    ["d0", "d1", "d2"],
  );
});

test("a json-lines-utf8 sink gets the UTF-8 of what a json-lines sink gets, head and tail joined, in batches of whole lines", async () => {
  const texts: string[] = [];
  const byteBatches: Uint8Array[] = [];
  const asText = new RecordWriter({ format: "json-lines", write: (text) => void texts.push(text) });
  const asBytes = new RecordWriter({ format: "json-lines-utf8", write: (bytes) => void byteBatches.push(bytes) });
  for (let i = 0; i < 1_500; i++) {
    const head = `{"sourceId":"d${i}-ü",`;
    const tail = Buffer.from(`"name":"hôte-€-😀-${i}"}\n`);
    await asText.add(head, tail);
    await asBytes.add(head, tail);
  }
  await asText.flush();
  await asBytes.flush();
  assert.equal(byteBatches.length, 2, "1,000 + 500");
  assert.ok(byteBatches.every((b) => b.at(-1) === 0x0a));
  assert.equal(Buffer.concat(byteBatches).toString("utf8"), texts.join(""));
  assert.deepEqual(JSON.parse(texts.join("").split("\n")[7] ?? ""), { sourceId: "d7-ü", name: "hôte-€-😀-7" });
  assert.equal(asBytes.written, 1_500);
});

test("records larger than a batch's first buffer, and batches that outgrow it, reach the sink whole and in order", async () => {
  const batches: Uint8Array[] = [];
  const writer = new RecordWriter({ format: "json-lines-utf8", write: (bytes) => void batches.push(bytes) });
  const expected: string[] = [];
  for (let i = 0; i < 1_200; i++) {
    const big = i % 400 === 7 ? "x".repeat(1_500_000) : "é".repeat(i % 50);
    const head = `{"sourceId":"d${i}",`;
    const tail = `"name":"${big}"}\n`;
    expected.push(head + tail);
    await writer.add(head, Buffer.from(tail));
  }
  await writer.flush();
  assert.equal(batches.length, 2, "1,000 + 200");
  assert.equal(Buffer.concat(batches).toString("utf8"), expected.join(""));
  assert.equal(writer.written, 1_200);
});

test("a line or a head written past the room made for it is refused, never cut short (a wrong bound is a bug, not a short record)", () => {
  const spool = new LineSpool(1_000_000, 64);
  spool.beginLine(1).text("x".repeat(100)); // room for 1 byte in a 64-byte buffer: the text is cut at its end
  assert.throws(
    () => spool.endLine(),
    (error: Error & { code?: string }) => error.code === "ERR_RECORD_BOUND" && /outgrew the room made for it/.test(error.message),
  );
  const writer = new RecordWriter({ format: "json-lines-utf8", write: () => undefined });
  writer.beginRecord(1, Buffer.from("}\n")).text("y".repeat(3_000_000)); // past the first batch's 1 MiB
  assert.throws(
    () => writer.endRecord(),
    (error: Error & { code?: string }) => error.code === "ERR_RECORD_BOUND",
  );
});

test("a spill that fails in the background (disk full) is thrown by the next line, and by written(); nothing is read back as if whole", async () => {
  class FullDisk extends LineSpool {
    protected override writeInBackground(): Promise<void> {
      return Promise.reject(Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" }));
    }
  }
  const spool = new FullDisk(100, 30);
  spool.push("x".repeat(120)); // over the limit: spills in the background, which fails
  await new Promise((resolve) => setImmediate(resolve));
  assert.throws(() => spool.push("next"), /ENOSPC/);
  await assert.rejects(spool.written(), /ENOSPC/);
  await assert.rejects(collect(spool), /ENOSPC/);
  await spool.dispose();
});

test("a spill while the one before is still being written goes straight to disk, at its own place in the file", async () => {
  let release: () => void = () => {};
  class SlowDisk extends LineSpool {
    backgroundWrites = 0;
    protected override async writeInBackground(fd: number, buffers: readonly Buffer[], position: number): Promise<void> {
      this.backgroundWrites += 1;
      await new Promise<void>((resolve) => (release = resolve)); // the disk is busy until the test says so
      return super.writeInBackground(fd, buffers, position);
    }
  }
  const spool = new SlowDisk(100, 30);
  const lines = Array.from({ length: 40 }, (_, i) => `line ${i} ${"z".repeat(40)}`);
  for (const line of lines) spool.push(line);
  assert.equal(spool.backgroundWrites, 1, "the later spills were written at once");
  release();
  assert.deepEqual(await collect(spool), lines);
  await spool.dispose();
});

test("buffers whose lines are on disk are filled again: a long run allocates a bounded number, and every line comes back intact", async () => {
  class LaggingDisk extends LineSpool {
    protected override async writeInBackground(fd: number, buffers: readonly Buffer[], position: number): Promise<void> {
      await new Promise((resolve) => setImmediate(resolve)); // lines keep coming while the spill waits for the disk
      return super.writeInBackground(fd, buffers, position);
    }
  }
  await countingSlowAllocations(async (allocated) => {
    const spool = new LaggingDisk(4_096, 1_024);
    const lines = Array.from({ length: 20_000 }, (_, i) => `{"n":${i},"pad":"${"p".repeat(i % 61)}"}`);
    for (let i = 0; i < lines.length; i++) {
      spool.push(lines[i] as string);
      if (i % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    assert.ok(spool.spilledBytes > 200 * 4_096, "hundreds of spills");
    assert.ok(allocated() < 40, `${allocated()} buffers allocated for ${Math.ceil(spool.spilledBytes / 1_024)} buffers' worth of lines`);
    assert.deepEqual(await collect(spool), lines);
    await spool.dispose();
  });
});

test("a spilled line longer than a read comes back whole, the lines around it too", async () => {
  const spool = new LineSpool(1_000, 512);
  const lines = ["before", "é".repeat(1_500_000), "after", "x".repeat(3_000_000), "last"]; // 3 MB and 3 MB: longer than a 1 MiB read
  for (const line of lines) spool.push(line);
  assert.ok(spool.spilledBytes > 6_000_000);
  assert.deepEqual(await collect(spool), lines);
  await spool.dispose();
});

test("a spool file cut short on disk is refused when read back, not read as if whole", async () => {
  const spool = new LineSpool(100, 64);
  for (let i = 0; i < 50; i++) spool.push(`line ${i} ${"w".repeat(30)}`);
  await spool.written();
  const path = (spool as unknown as { file: { path: string } }).file.path;
  truncateSync(path, 1_000);
  await assert.rejects(collect(spool), (error: Error & { code?: string }) => error.code === "ERR_SPOOL_SHORT");
  await spool.dispose();
});
