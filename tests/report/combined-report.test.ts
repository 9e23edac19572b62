/**
 * The report of a scan task (`run --task --summary`): the combined view first (each asset's
 * verdict and the vendor(s) that decided it, the combined counts, whether every run was
 * complete), then each run's own section; records of several runs in one file each go to
 * their run. And `scan-probe report` telling a combined summary from a run's by its shape.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ControlState, RunSummary } from "../../src/contract.js";
import { combineRuns } from "../../src/engine/combine.js";
import { createRegistry } from "../../src/engine/registry.js";
import { defender365 } from "../../src/probes/defender365/index.js";
import type { CombinedSummary, ReportRecord } from "../../src/report/codecs.js";
import { buildCombinedModel } from "../../src/report/combined.js";
import { labelsFor } from "../../src/report/model.js";
import { renderCombinedReport } from "../../src/report/render-combined.js";
import { summaryWith } from "../support/summaries.js";
import { cliInProcess, scratchDir } from "../cli/run-cli.js";

const scratch = scratchDir("scan-probe-combined-report-");
after(() => scratch.remove());

/** A record of `runId` matched to `assetId` with `edr` state (or a new device when `assetId` is null). */
const recordOf = (runId: string, source: string, assetId: string | null, edr: ControlState): ReportRecord => ({
  source,
  runId,
  sourceId: `${runId}-${assetId ?? "new"}`,
  assetId,
  siteId: null,
  match: assetId === null ? null : { live: true },
  names: [`${assetId ?? "new"}.${source}.example`],
  addresses: [],
  macs: [],
  os: null,
  lastSeen: null,
  controls: { edr },
  attributes: {},
});

/** Two subsidiaries' Defender tenants and a second vendor, over four assets. */
const RUNS = (over: Partial<RunSummary> = {}): RunSummary[] => [
  summaryWith(
    "defender365",
    { laptop: "protected", srv: "missing", printer: "missing", both: "protected" },
    { runId: "1:defender365/sub-a", credentialId: "sub-a" },
  ),
  summaryWith(
    "defender365",
    { laptop: "missing", srv: "missing", printer: "missing", both: "missing" },
    { runId: "2:defender365/sub-b", credentialId: "sub-b" },
  ),
  summaryWith("falcon", { laptop: "missing", srv: "protected", printer: "missing", both: "protected" }, { runId: "3:falcon", ...over }),
];

const RECORDS: ReportRecord[] = [
  recordOf("1:defender365/sub-a", "defender365", "laptop", "protected"),
  recordOf("1:defender365/sub-a", "defender365", "both", "protected"),
  recordOf("2:defender365/sub-b", "defender365", null, "protected"),
  recordOf("3:falcon", "falcon", "srv", "protected"),
  recordOf("3:falcon", "falcon", "both", "protected"),
];

const registry = createRegistry([defender365]);

const modelOf = (summary: CombinedSummary) =>
  buildCombinedModel({
    records: RECORDS,
    summary,
    labelsOf: (run) => labelsFor(run, registry.get(run.probe)),
    generatedAt: "2026-01-01T00:00:00Z",
    sources: { records: "records.jsonl", summary: "combined.json", assets: null },
  });

test("the combined view comes first: each asset's verdict with its vendor(s), the combined counts, every run complete", () => {
  const model = modelOf(combineRuns(RUNS()));
  assert.deepEqual(
    model.rows.map((r) => [r.id, r.status, r.vendors]),
    [
      ["printer", "missing", []],
      ["both", "protected", ["Defender", "falcon"]],
      ["laptop", "protected", ["Defender"]],
      ["srv", "protected", ["falcon"]],
    ],
  );
  assert.deepEqual(
    model.vendors.map((v) => [v.vendor, v.protected, v.protectedOnlyHere]),
    [
      ["Defender", 2, 1],
      ["falcon", 2, 1],
    ],
  );
  const page = renderCombinedReport(model);
  const combinedAt = page.indexOf('<section id="combined">');
  const runsAt = [1, 2, 3].map((n) => page.indexOf(`<section class="run-section" id="run-${n}">`));
  assert.ok(combinedAt > 0 && runsAt.every((at) => at > combinedAt), "the combined view, then each run's section");
  assert.match(page, /<td>srv<\/td>.*<td>Protected<\/td><td class="vendors">falcon<\/td>/);
  assert.match(page, /<td>both<\/td>.*<td class="vendors">Defender, falcon<\/td>/);
  assert.match(page, /<td>printer<\/td>.*<td>Missing EDR<\/td><td class="vendors">—<\/td>/);
  assert.match(page, /every run complete: yes/);
  assert.match(page, /<strong>1 of 4 scanned assets \(25[.,]0 ?%\)<\/strong> have no EDR of any vendor/);
  assert.match(page, /Run 2: Microsoft 365 Defender[^<]*· credential sub-b/);
  assert.equal(new Set([...page.matchAll(/ id="([^"]+)"/g)].map((m) => m[1])).size, [...page.matchAll(/ id="([^"]+)"/g)].length, "element ids are unique");
  assert.doesNotMatch(page, /<script/);
});

test("records of several runs in one file go each to its run's section", () => {
  const model = modelOf(combineRuns(RUNS()));
  assert.deepEqual(
    model.runs.map((run) => [run.model.newDevices, run.model.notes.length]),
    [
      [0, 0],
      [1, 0],
      [0, 0],
    ],
    "sub-b's new device is sub-b's alone; no run sees another run's records as strays",
  );
});

test("a run that was not complete: the page says so, names its errors, and lists no asset as missing", () => {
  const failed = combineRuns(RUNS({ complete: false, errors: [{ code: "ERR_API_SERVER", message: "falcon failed" }] }));
  assert.equal(failed.coverage["edr"]?.byAsset["printer"], "unknown");
  const page = renderCombinedReport(modelOf(failed));
  assert.match(page, /Not every run was complete: 1 asset\(s\) are unknown, not missing/);
  assert.match(page, /ERR_API_SERVER<\/span> falcon failed/);
  assert.match(page, /every run complete: no/);
  assert.match(page, /<td>printer<\/td>.*<td>Unknown<\/td>/);
});

test("a combined summary calling an asset missing though a run was incomplete shows it unknown, with a note", () => {
  const edited = combineRuns(RUNS());
  const runs = edited.runs.map((run, i) => (i === 2 ? { ...run, complete: false } : run));
  const model = modelOf({ ...edited, runs });
  assert.equal(model.rows.find((r) => r.id === "printer")?.status, "unknown");
  assert.ok(model.notes.some((n) => /calls 1 asset\(s\) missing though not every run read its whole list/.test(n)));
  assert.ok(model.notes.some((n) => /says complete: true, but its runs say false/.test(n)));
});

test("cli: report reads a combined summary by its shape, strictly, and writes the combined page", async () => {
  const records = join(scratch.path, "records.jsonl");
  writeFileSync(records, RECORDS.map((r) => JSON.stringify(r)).join("\n"));
  const summary = join(scratch.path, "combined.json");
  writeFileSync(summary, JSON.stringify(combineRuns(RUNS())));
  const out = join(scratch.path, "report.html");
  const ran = await cliInProcess(["report", "--records", records, "--summary", summary, "--out", out], registry);
  assert.equal(ran.code, 0, ran.stderr);

  const bad = join(scratch.path, "combined-bad.json");
  const combined = combineRuns(RUNS());
  writeFileSync(bad, JSON.stringify({ ...combined, coverage: { edr: { ...combined.coverage["edr"], vendorsByAsset: { laptop: "defender365" } } } }));
  const refused = await cliInProcess(["report", "--records", records, "--summary", bad, "--out", out], registry);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /combined summary \(.*combined-bad\.json\): coverage\.edr\.vendorsByAsset\.laptop: expected/);

  const noRuns = join(scratch.path, "combined-runs.json");
  writeFileSync(noRuns, JSON.stringify({ ...combined, runs: [{ probe: "defender365" }] }));
  const refusedRun = await cliInProcess(["report", "--records", records, "--summary", noRuns, "--out", out], registry);
  assert.equal(refusedRun.code, 2);
  assert.match(refusedRun.stderr, /runs\.0\.mode/);
});

test("cli: one run's summary with a task's records reads only that run's records", async () => {
  const records = join(scratch.path, "task-records.jsonl");
  writeFileSync(records, RECORDS.map((r) => JSON.stringify(r)).join("\n"));
  const out = join(scratch.path, "one-run.html");
  const page = async (run: RunSummary) => {
    const summary = join(scratch.path, `${run.credentialId ?? run.probe}.json`);
    writeFileSync(summary, JSON.stringify(run));
    const ran = await cliInProcess(["report", "--records", records, "--summary", summary, "--out", out], registry);
    assert.equal(ran.code, 0, ran.stderr);
    return readFileSync(out, "utf8");
  };
  const subB = RUNS()[1] as RunSummary;
  // sub-b's tenant calls every asset missing; sub-a's record of the laptop is not sub-b's to show.
  assert.match(await page(subB), /<td>laptop<\/td>.*<td>not in Defender<\/td><\/tr>/);
  assert.match(await page(subB), /<td>both<\/td>.*<td>not in Defender<\/td><\/tr>/, "nor Falcon's record of it");
});
