import { test } from "node:test";
import assert from "node:assert/strict";
import { generateTenant } from "../../src/simulator/index.js";
import { defenderIngest } from "./take-page.js";
import fc from "fast-check";
import { asIncomplete, coverageAsIncomplete, coverageByAsset, coverageOf, verdictTable } from "../../src/sync/enrich.js";
import { parsedItems } from "../../src/sync/page-items.js";
import { takeFirstPage } from "./take-page.js";
import { UndecidedVerdicts } from "../../src/sync/verdicts.js";
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

test("coverage set in a table keyed beforehand (UndecidedVerdicts, in slices) equals coverage from an empty one: verdicts, tally and key order", async () => {
  const { listed, correlation, edrAt } = await decided(13, 1_500);
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.nat(listed.length - 1), { maxLength: 40 }),
      fc.integer({ min: 1, max: 700 }),
      fc.boolean(),
      async (repeats, perSlice, complete) => {
        const assets = [...listed, ...repeats.map((i) => listed[i] as ScannedAsset)]; // some listed again, anywhere after
        const keyed = new UndecidedVerdicts(assets);
        let slices = 0;
        while (keyed.step(perSlice)) slices += 1;
        assert.equal(slices, Math.ceil(assets.length / perSlice) - 1);
        const table = keyed.complete();
        assert.deepEqual(new Set(Object.values(table)), new Set([undefined]));
        const fresh = await coverageByAsset(assets, correlation, edrAt, complete);
        const filled = await coverageByAsset(assets, correlation, edrAt, complete, undefined, table);
        assert.equal(filled.byAsset, table, "set in the table given");
        assert.deepEqual(Object.keys(filled.byAsset), Object.keys(fresh.byAsset));
        assert.deepEqual(filled, fresh);
      },
    ),
    { numRuns: 25 },
  );
});

test("UndecidedVerdicts keys each id once, where it first appears, undecided; complete() keys what is left", () => {
  const asset = (id: string) => ({ id }) as ScannedAsset;
  const verdicts = new UndecidedVerdicts([asset("b"), asset("a"), asset("b"), asset("c")]);
  assert.equal(verdicts.step(2), true);
  assert.deepEqual(verdicts.complete(), Object.assign(verdictTable(), { b: undefined, a: undefined, c: undefined }));
  assert.deepEqual(Object.keys(verdicts.complete()), ["b", "a", "c"]);
  assert.equal(new UndecidedVerdicts([]).step(), false);
});
