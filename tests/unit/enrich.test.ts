import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { generateTenant } from "../../src/simulator/index.js";
import { DeviceIngest } from "../../src/probes/defender365/ingest.js";
import { coverageByAsset, coverageOf, inOrderLookup } from "../../src/probes/defender365/enrich.js";
import { parsedItems } from "../../src/probes/defender365/page-items.js";
import type { ScannedAsset } from "../../src/assets.js";
import type { CoverageStatus, EdrState } from "../../src/contract.js";

test("inOrderLookup answers as the map does, whatever order the keys are asked in", () => {
  fc.assert(
    fc.property(fc.uniqueArray(fc.string(), { maxLength: 30 }), fc.array(fc.string(), { maxLength: 10 }), fc.integer(), (keys, strangers, seed) => {
      const map = new Map(keys.map((key, i) => [key, i]));
      // the map's own order, with keys dropped, repeated, swapped and unknown ones mixed in
      const asked = [...keys, ...keys.slice(0, 3), ...strangers];
      for (let i = asked.length - 1; i > 0 && seed % 3 !== 0; i--) {
        const j = Math.abs(seed * (i + 7)) % (i + 1);
        [asked[i], asked[j]] = [asked[j] as string, asked[i] as string];
      }
      const lookup = inOrderLookup(map);
      for (const key of asked) assert.equal(lookup(key), map.get(key), JSON.stringify(key));
    }),
  );
});

test("coverage of every asset is the best sensor state of its matched devices; an asset listed twice is counted once", async () => {
  const tenant = generateTenant({ seed: 11, devices: 2_000, assets: true });
  const listed = tenant.assets as ScannedAsset[];
  const assets = [...listed, ...listed.slice(0, 50)]; // the first 50 again, at the end
  const ingest = new DeviceIngest(assets, true);
  await ingest.takePage(parsedItems(Array.from({ length: 2_000 }, (_, i) => tenant.machineAt(i))), 1);
  const correlation = ingest.correlation().finish();
  const edrOf = (id: string): EdrState | undefined => ingest.edrOf(id);

  const coverage = await coverageByAsset(assets, correlation, edrOf, true);

  const expected: Record<string, CoverageStatus> = {};
  for (const asset of listed) {
    const states = (correlation.byAsset.get(asset.id) ?? []).flatMap((match) => edrOf(match.deviceId) ?? []);
    expected[asset.id] = coverageOf(states, true);
  }
  assert.deepEqual(coverage.byAsset, expected);
  const tally = { protected: 0, unhealthy: 0, missing: 0, unknown: 0 };
  for (const status of Object.values(expected)) tally[status] += 1;
  assert.deepEqual(coverage.tally, tally);
  assert.equal(tally.protected + tally.unhealthy + tally.missing, listed.length, "a complete run: no unknown");
  assert.ok(tally.protected > 0 && tally.missing > 0, "the tenant has both");
});
