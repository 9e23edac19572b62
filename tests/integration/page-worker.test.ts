/**
 * Large pages are worked through on the page worker: a run gives the same records, summary
 * and coverage with worker threads as without, and the worker really ran.
 */
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { startHarness, type Harness } from "./harness.js";
import { defender365 } from "../../src/probes/defender365/index.js";
import { generateTenant } from "../../src/simulator/index.js";
import type { ScannedAsset } from "../../src/assets.js";
import type { ProbeEnv, ProbeResult } from "../../src/contract.js";

const DEVICES = 4_500;
const SEED = 31;
let h: Harness;
let assets: ScannedAsset[];

before(async () => {
  h = await startHarness({ seed: SEED, devices: DEVICES });
  assets = generateTenant({ seed: SEED, devices: DEVICES, assets: true }).assets as ScannedAsset[];
});
after(() => h.tenant.close());

const run = async (env: ProbeEnv): Promise<ProbeResult> => {
  const outcome = await defender365.run(
    { mode: "probe", credential: h.credential(), options: h.options({ pageSize: 1_500, includeInactive: true }), assets, scanSiteId: "site" },
    env,
  )();
  if (outcome._tag === "Left") assert.fail(`run failed: ${outcome.left.code} ${outcome.left.message}`);
  return outcome.right;
};

/** The pages the last run worked through on the worker, from its debug log. */
const workerPagesLogged = (): number => {
  const line = h.logs.filter((l) => l.includes("pages worked through on the page worker")).pop();
  assert.ok(line !== undefined, "the run logged its worker pages");
  return Number(/(\d+)\s*$/.exec(line)?.[1]);
};

test("with and without worker threads, a run gives the same records, summary and coverage; the worker took the later pages", async () => {
  const onThread = await run({ ...h.env, workerThreads: false });
  assert.equal(workerPagesLogged(), 0);
  const withWorker = await run(h.env);
  assert.ok(workerPagesLogged() >= 2, "every large page after the first went to the worker");
  assert.equal(withWorker.records.length, DEVICES);
  assert.deepEqual(withWorker.records, onThread.records);
  assert.deepEqual(withWorker.summary.coverage, onThread.summary.coverage);
  assert.deepEqual(withWorker.summary.counts, onThread.summary.counts);
  assert.ok(!h.events.some((e) => e.code === "DEFENDER_PAGE_WORKER"), "the worker never fell back");
});
