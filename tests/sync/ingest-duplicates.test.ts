/**
 * The intake tells the API's duplicates by paging's first sightings, keeping a set only of the
 * ids read on records that did not decode: it must keep, count and drop exactly as a set of
 * every id taken would (the reference below), for any order of good, bad, inactive and
 * repeated records over any pages.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { generateTenant } from "../../src/simulator/index.js";
import { defenderIngest, takePage } from "./take-page.js";
import { firstSightings, parsedItems, scannedItems, type PageItems } from "../../src/sync/page-items.js";
import { scanPage } from "../../src/sync/page-scan.js";

/** Defender's machine pages. */
const MACHINE_PAGE = { items: "value", id: "id" };

const tenant = generateTenant({ seed: 9, devices: 40 });

/** One record of a page: an id from a small pool (so that ids repeat) or none, and whether it decodes and is Inactive. */
interface Spec {
  readonly id: number | null;
  readonly decodes: boolean;
  readonly inactive: boolean;
}

const spec: fc.Arbitrary<Spec> = fc.record({ id: fc.option(fc.nat(5), { freq: 8 }), decodes: fc.boolean(), inactive: fc.boolean() });

/** A generated machine made to match `s` (a bad `healthStatus` does not decode; neither does a missing id). */
const machineOf = (s: Spec, n: number): Record<string, unknown> => {
  const m: Record<string, unknown> = { ...tenant.machineAt(n % 40) };
  if (s.id === null) delete m["id"];
  else m["id"] = `dev-${s.id}`;
  m["healthStatus"] = s.decodes ? (s.inactive ? "Inactive" : "Active") : 42;
  return m;
};

/** What the intake did before, with a set of every id taken: the ids kept, the counts, and how many were new on each page. */
const reference = (pages: readonly (readonly Spec[])[], includeInactive: boolean) => {
  const taken = new Set<string>();
  const kept: string[] = [];
  const counts = { fetched: 0, invalid: 0, duplicates: 0, inactiveSkipped: 0 };
  const fresh = pages.map((page) => {
    let fresh = 0;
    for (const s of page) {
      counts.fetched += 1;
      if (!s.decodes || s.id === null) {
        counts.invalid += 1;
        continue;
      }
      const id = `dev-${s.id}`;
      if (taken.has(id)) {
        counts.duplicates += 1;
        continue;
      }
      taken.add(id);
      fresh += 1;
      if (s.inactive && !includeInactive) counts.inactiveSkipped += 1;
      else kept.push(id);
    }
    return fresh;
  });
  return { kept, counts, fresh };
};

test("duplicates are told from first sightings as a set of every id taken would tell them", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.array(spec, { maxLength: 8 }), { maxLength: 5 }), fc.boolean(), fc.boolean(), async (pages, includeInactive, scan) => {
      const expected = reference(pages, includeInactive);
      const ingest = defenderIngest([], includeInactive);
      const seen = new Set<string>();
      const fresh: number[] = [];
      let n = 0;
      for (const [p, page] of pages.entries()) {
        const machines = page.map((s) => machineOf(s, n++));
        const parsed = scan ? scanPage(JSON.stringify({ value: machines }), MACHINE_PAGE) : undefined;
        const items: PageItems = parsed === undefined ? parsedItems(machines) : scannedItems(parsed);
        fresh.push(await takePage(ingest, items, p + 1, firstSightings(items, seen)));
      }
      try {
        assert.deepEqual(ingest.ids, expected.kept);
        const { fetched, invalid, duplicates, inactiveSkipped } = ingest.counts;
        assert.deepEqual({ fetched, invalid, duplicates, inactiveSkipped }, expected.counts);
        assert.deepEqual(fresh, expected.fresh);
      } finally {
        await ingest.spool.dispose();
      }
    }),
    { numRuns: 300 },
  );
});

test("a record that did not decode, then a good one with its id: the good one is kept, a third is a duplicate", async () => {
  const items = parsedItems([
    machineOf({ id: 1, decodes: false, inactive: false }, 0),
    machineOf({ id: 1, decodes: true, inactive: false }, 1),
    machineOf({ id: 1, decodes: true, inactive: false }, 2),
  ]);
  const firsts = firstSightings(items, new Set());
  assert.deepEqual([...firsts], [1, 0, 0]);
  const ingest = defenderIngest([], false);
  assert.equal(await takePage(ingest, items, 1, firsts), 1);
  assert.deepEqual(ingest.ids, ["dev-1"]);
  assert.equal(ingest.counts.invalid, 1);
  assert.equal(ingest.counts.duplicates, 1);
  await ingest.spool.dispose();
});
