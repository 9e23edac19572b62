/**
 * `combineRuns`: one verdict per asset for a control across the probes that measure it. Missing
 * only when no run protects the asset and every run read its whole list and calls it missing.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import type { CoverageStatus, RunSummary } from "../../src/contract.js";
import { combineRuns } from "../../src/engine/combine.js";
import { summaryWith } from "../support/summaries.js";

/** A run's summary with these verdicts (nothing else matters to the combination). */
const run = summaryWith;

test("servers a Defender-only run calls missing are protected through the other vendor, and say which", () => {
  const defender = run("defender365", { laptop: "protected", "srv-1": "missing", "srv-2": "missing", printer: "missing" });
  const falcon = run("crowdstrike", { laptop: "missing", "srv-1": "protected", "srv-2": "protected", printer: "missing" });
  const alone = combineRuns([defender]);
  assert.deepEqual({ ...alone.coverage["edr"]?.byAsset }, { laptop: "protected", "srv-1": "missing", "srv-2": "missing", printer: "missing" });
  const both = combineRuns([defender, falcon]);
  assert.equal(both.complete, true);
  const edr = both.coverage["edr"];
  assert.deepEqual({ ...edr?.byAsset }, { laptop: "protected", "srv-1": "protected", "srv-2": "protected", printer: "missing" });
  assert.deepEqual({ ...edr?.vendorsByAsset }, { laptop: ["defender365"], "srv-1": ["crowdstrike"], "srv-2": ["crowdstrike"], printer: [] });
  assert.deepEqual([edr?.protected, edr?.unhealthy, edr?.missing, edr?.unknown], [3, 0, 1, 0]);
});

const cases: [string, RunSummary[], CoverageStatus][] = [
  ["protected by any run wins over unhealthy", [run("a", { x: "unhealthy" }), run("b", { x: "protected" })], "protected"],
  ["unhealthy wins over missing", [run("a", { x: "missing" }), run("b", { x: "unhealthy" })], "unhealthy"],
  ["missing in every complete run", [run("a", { x: "missing" }), run("b", { x: "missing" })], "missing"],
  ["missing, but one run incomplete: unknown", [run("a", { x: "missing" }), run("b", { x: "unknown" }, { complete: false })], "unknown"],
  [
    "a run that says missing but did not read everything does not count",
    [run("a", { x: "missing" }), run("b", { x: "missing" }, { complete: false })],
    "unknown",
  ],
  ["an incremental run's missing does not count", [run("a", { x: "missing" }), run("b", { x: "missing" }, { incremental: true })], "unknown"],
  ["a run that gave the asset no verdict: unknown", [run("a", { x: "missing" }), run("b", {})], "unknown"],
  ["a run of another control is left out of the verdicts", [run("a", { x: "missing" }), run("b", { x: "protected" }, { control: "av" })], "missing"],
];

for (const [name, runs, expected] of cases) {
  test(`combined verdict: ${name} → ${expected}`, () => {
    assert.equal(combineRuns(runs, "edr").coverage["edr"]?.byAsset["x"], expected);
  });
}

test("complete only when every run was; the runs are kept as given", () => {
  const runs = [run("a", { x: "protected" }), run("b", { x: "unknown" }, { complete: false })];
  const combined = combineRuns(runs);
  assert.equal(combined.complete, false);
  assert.equal(combined.runs, runs);
  assert.equal(combineRuns([]).complete, false, "no run read anything");
});

test("asset ids such as __proto__ and toString keep their verdicts", () => {
  const combined = combineRuns([run("a", JSON.parse('{"__proto__": "missing", "toString": "protected"}') as Record<string, CoverageStatus>)]);
  const verdicts = new Map(Object.entries(combined.coverage["edr"]?.byAsset ?? {}));
  assert.deepEqual([...verdicts].sort(), [
    ["__proto__", "missing"],
    ["toString", "protected"],
  ]);
});

test("any runs: the tally counts every asset once, and no asset is missing unless every run is whole and says so", () => {
  const verdict = fc.constantFrom<CoverageStatus>("protected", "unhealthy", "missing", "unknown");
  const oneRun = fc.record({ byAsset: fc.dictionary(fc.constantFrom("a", "b", "c", "d"), verdict), complete: fc.boolean(), incremental: fc.boolean() });
  fc.assert(
    fc.property(fc.array(oneRun, { minLength: 1, maxLength: 4 }), (specs) => {
      const runs = specs.map((s, i) => run(`p${i}`, s.byAsset, { complete: s.complete, incremental: s.incremental }));
      const edr = combineRuns(runs).coverage["edr"];
      assert.ok(edr !== undefined);
      const ids = new Set(specs.flatMap((s) => Object.keys(s.byAsset)));
      assert.equal(edr.protected + edr.unhealthy + edr.missing + edr.unknown, ids.size);
      for (const id of ids) {
        const verdicts = specs.map((s) => (Object.hasOwn(s.byAsset, id) ? s.byAsset[id] : undefined));
        if (edr.byAsset[id] === "missing")
          assert.ok(
            specs.every((s, i) => s.complete && !s.incremental && verdicts[i] === "missing"),
            `${id} missing only when every run is whole and says so`,
          );
        if (verdicts.includes("protected")) assert.equal(edr.byAsset[id], "protected");
      }
    }),
    { numRuns: 500 },
  );
});

test("two runs of one probe (two tenants) name that vendor once", () => {
  const combined = combineRuns([run("defender365", { x: "protected", y: "unhealthy" }), run("defender365", { x: "protected", y: "unhealthy" })]);
  assert.deepEqual({ ...combined.coverage["edr"]?.vendorsByAsset }, { x: ["defender365"], y: ["defender365"] });
});
