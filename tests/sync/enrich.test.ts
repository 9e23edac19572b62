import { test } from "node:test";
import assert from "node:assert/strict";
import { generateTenant } from "../../src/simulator/index.js";
import { defenderIngest } from "./take-page.js";
import fc from "fast-check";
import { asIncomplete, coverageAsIncomplete, coverageByAsset, coverageOf, verdictTable } from "../../src/sync/enrich.js";
import { parsedItems } from "../../src/sync/page-items.js";
import { takeFirstPage } from "./take-page.js";
import { createCorrelator, type CorrelationResult } from "../../src/correlate/index.js";
import type { ScannedAsset } from "../../src/engine/assets.js";
import type { CoverageStatus, ControlState } from "../../src/contract.js";

/** A generated tenant's first `devices` machines taken (one page) against its assets (as `assetsOf` lists them), and decided. */
const decided = async (seed: number, devices: number, assetsOf: (listed: ScannedAsset[]) => ScannedAsset[] = (listed) => listed) => {
  const tenant = generateTenant({ seed, devices, assets: true });
  const listed = tenant.assets as ScannedAsset[];
  const assets = assetsOf(listed);
  const ingest = defenderIngest(assets, true);
  await takeFirstPage(ingest, parsedItems(Array.from({ length: devices }, (_, i) => tenant.machineAt(i))), 1);
  return { listed, assets, ingest, correlation: ingest.correlation().finish(), edrAt: (record: number) => ingest.stateAt(record) };
};

test("coverage of every asset is the best sensor state of its matched devices; an asset listed twice is counted once", async () => {
  const { listed, assets, ingest, correlation } = await decided(11, 2_000, (all) => [...all, ...all.slice(0, 50)]); // the first 50 again, at the end

  const coverage = await coverageByAsset(assets, correlation, (record) => ingest.stateAt(record), true);

  // The expectation goes by id, through the result's maps: the coverage went by position.
  const edrById = new Map<string, ControlState | undefined>(ingest.ids.map((id, ordinal) => [id, ingest.stateAt(ordinal)]));
  const expected = verdictTable<CoverageStatus>(); // the verdicts come in a table without a prototype
  for (const asset of listed) {
    const states = (correlation.byAsset.get(asset.id) ?? []).flatMap((match) => edrById.get(match.deviceId) ?? []);
    expected[asset.id] = coverageOf(states, true);
  }
  assert.deepEqual(coverage.byAsset, expected);
  const tally = { protected: 0, unhealthy: 0, missing: 0, unknown: 0 };
  for (const status of Object.values(expected)) tally[status] += 1;
  assert.deepEqual(coverage.tally, tally);
  assert.equal(tally.protected + tally.unhealthy + tally.missing, listed.length, "a complete run: no unknown");
  assert.ok(tally.protected > 0 && tally.missing > 0, "the tenant has both");
});

test("an incomplete run's verdict is the complete run's verdict made incomplete (coverage is worked out before the run knows)", async () => {
  const states = fc.array(fc.constantFrom<ControlState>("not-onboarded", "unhealthy", "protected"), { maxLength: 4 });
  fc.assert(fc.property(states, (s) => assert.equal(asIncomplete(coverageOf(s, true)), coverageOf(s, false))));

  const { assets, correlation, edrAt } = await decided(12, 1_000);
  const afterwards = coverageAsIncomplete(await coverageByAsset(assets, correlation, edrAt, true));
  assert.deepEqual(afterwards, await coverageByAsset(assets, correlation, edrAt, false));
});

/** The coverage worked out by id, as a plain table is filled: each position in order, the last verdict of an id kept, each id counted once. */
const byIdReference = async (
  assets: readonly ScannedAsset[],
  correlation: CorrelationResult,
  edrAt: (record: number) => ControlState | undefined,
  complete: boolean,
) => {
  const byAsset = verdictTable<CoverageStatus>();
  for (let a = 0; a < assets.length; a++) {
    const states = [...correlation.positions.recordsOfAsset(a)].flatMap((record) => edrAt(record) ?? []);
    byAsset[(assets[a] as ScannedAsset).id] = coverageOf(states, complete);
  }
  const tally = { protected: 0, unhealthy: 0, missing: 0, unknown: 0 };
  for (const status of Object.values(byAsset)) tally[status] += 1;
  return { byAsset, tally };
};

test("coverage kept by position gives the table and tally of coverage worked out by id: verdicts, key order, each id once", async () => {
  const { listed } = await decided(13, 1_500);
  await fc.assert(
    fc.asyncProperty(fc.array(fc.nat(listed.length - 1), { maxLength: 40 }), fc.boolean(), async (repeats, complete) => {
      const assets = [...listed, ...repeats.map((i) => listed[i] as ScannedAsset)]; // some listed again, anywhere after
      const { correlation, edrAt } = await decided(13, 1_500, () => assets);
      const coverage = await coverageByAsset(assets, correlation, edrAt, complete);
      const expected = await byIdReference(assets, correlation, edrAt, complete);
      assert.deepEqual(coverage.tally, expected.tally);
      assert.deepEqual(Object.keys(coverage.byAsset), Object.keys(expected.byAsset));
      assert.deepEqual(coverage.byAsset, expected.byAsset);
      assert.equal(coverage.byAsset, coverage.byAsset, "made once, then kept");
    }),
    { numRuns: 15 },
  );
});

test("a run that correlated nothing still counts an asset listed twice once", async () => {
  const asset = (id: string) => ({ id }) as ScannedAsset;
  const assets = [asset("b"), asset("a"), asset("b"), asset("c")];
  const nothing = createCorrelator([]).finish();
  const coverage = await coverageByAsset(assets, nothing, () => undefined, true);
  assert.deepEqual(coverage.tally, { protected: 0, unhealthy: 0, missing: 3, unknown: 0 });
  assert.deepEqual(Object.keys(coverage.byAsset), ["b", "a", "c"]);
  const incomplete = coverageAsIncomplete(coverage);
  assert.deepEqual(incomplete.tally, { protected: 0, unhealthy: 0, missing: 0, unknown: 3 });
});

test("the verdict table, made when first read, names the assets as they were when the run ended, whatever becomes of the list", async () => {
  const asset = (id: string) => ({ id }) as ScannedAsset;
  const assets = [asset("a"), asset("b")];
  const coverage = await coverageByAsset(assets, createCorrelator([]).finish(), () => undefined, true);
  assets.push(asset("c")); // an engine reusing its list for the next scan
  (assets[0] as { id: string }).id = "z";
  assert.deepEqual(Object.keys(coverage.byAsset), ["a", "b"]);
  assert.deepEqual(coverage.tally, { protected: 0, unhealthy: 0, missing: 2, unknown: 0 });
});
