import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { startHarnessWithAssets, type Harness } from "./harness.js";
import { defender365 } from "../../src/probes/defender365/index.js";
import type { ScannedAsset } from "../../src/engine/assets.js";
import { runCoverage } from "../../src/engine/coverage.js";
import type { EnrichmentRecord, ProbeResult, RecordSink } from "../../src/contract.js";

const DEVICES = 3_000;
const SEED = 23;
let h: Harness;
let assets: ScannedAsset[];

before(async () => {
  ({ h, assets } = await startHarnessWithAssets(SEED, DEVICES));
});
after(() => h.tenant.close());

const run = async (recordSink?: RecordSink) =>
  defender365.run({ mode: "probe", credential: h.credential(), options: h.options({ pageSize: 700 }), assets, scanSiteId: "site", recordSink }, h.env)();

const rightOf = (outcome: Awaited<ReturnType<typeof run>>): ProbeResult => {
  if (outcome._tag === "Left") assert.fail(`run failed: ${outcome.left.code} ${outcome.left.message}`);
  return outcome.right;
};

test("a json-lines sink receives exactly the records a run without a sink returns, byte for byte, and records stays empty", async () => {
  const held = rightOf(await run());
  let text = "";
  const streamed = rightOf(await run({ format: "json-lines", write: (lines) => void (text += lines) }));
  assert.equal(streamed.records.length, 0, "records went to the sink");
  assert.equal(text, held.records.map((r) => `${JSON.stringify(r)}\n`).join(""));
  assert.equal(held.records.length, streamed.summary.counts.matched + streamed.summary.counts.created);
  assert.deepEqual(streamed.summary.coverage, held.summary.coverage);
});

test("an objects sink receives the same records in batches, and its pace holds the run back (back-pressure)", async () => {
  const held = rightOf(await run());
  const received: EnrichmentRecord[] = [];
  let inFlight = 0;
  let most = 0;
  const result = rightOf(
    await run({
      format: "objects",
      write: async (batch) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        received.push(...batch);
        inFlight -= 1;
      },
    }),
  );
  assert.equal(most, 1, "one batch at a time");
  assert.deepEqual(received, held.records);
  assert.equal(result.summary.complete, true);
});

test("a sink that fails ends the run with ERR_RECORD_SINK: partial, no missing verdicts, no write after the failed one", async () => {
  let calls = 0;
  const outcome = await run({
    format: "json-lines",
    write: () => {
      calls += 1;
      if (calls === 2) return Promise.reject(Object.assign(new Error("disk quota exceeded"), { code: "EDQUOT" }));
      return undefined;
    },
  });
  assert.equal(outcome._tag, "Left");
  if (outcome._tag !== "Left") return;
  assert.equal(outcome.left.code, "ERR_RECORD_SINK");
  assert.match(outcome.left.message, /after 1000 records \(EDQUOT: disk quota exceeded\)/);
  const partial = outcome.left.partial;
  assert.ok(partial);
  assert.equal(partial.summary.complete, false);
  assert.equal(partial.summary.coverage.edr?.missing, 0, "no verdict of missing from an incomplete run");
  assert.equal(partial.summary.coverage.edr?.unhealthy, 0, "nor of unhealthy: an unread record may hold a healthy sensor");
  const verdicts = Object.values(runCoverage(partial.summary).byAsset);
  assert.ok(verdicts.includes("protected") && verdicts.includes("unknown"), "protected stays; the rest is unknown");
  assert.ok(verdicts.every((v) => v === "protected" || v === "unknown"));
  assert.deepEqual(
    partial.summary.errors.map((e) => e.code),
    ["ERR_RECORD_SINK"],
  );
  assert.equal(calls, 2, "no write after the failed one");
});
