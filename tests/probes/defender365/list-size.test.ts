/**
 * The list-size estimate from machine ids in order: what it reads of an id, how often its
 * bound falls short of a list of evenly spread random ids (as SHA-1 style ids are), how close
 * it gets, and when it gives up.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { idFraction, listSizeBound, ListSizeEstimate } from "../../../src/probes/defender365/list-size.js";
import { parsedItems, type PageItems } from "../../../src/sync/page-items.js";
import { Rng } from "../../../src/simulator/gen/rng.js";
import { sortedMachineIds } from "./machine-ids.js";

/** The page of `ids` at `skip`, `size` long, as the reader hands it to the estimate. */
const pageOf = (ids: readonly string[], skip: number, size: number): PageItems => parsedItems(ids.slice(skip, skip + size).map((id) => ({ id })));

test("an id's place in the id range: its first 13 hex digits; anything but 40 lowercase hex has none", () => {
  assert.equal(idFraction("0".repeat(40)), 0);
  assert.equal(idFraction(`8${"0".repeat(39)}`), 0.5);
  assert.equal(idFraction(`4${"f".repeat(39)}`), (0x4ffffffffffff + 0) / 16 ** 13);
  const top = idFraction("f".repeat(40));
  assert.ok(top !== undefined && top < 1 && top > 0.99999);
  for (const id of ["F".repeat(40), "a".repeat(39), "a".repeat(41), "m1", `g${"0".repeat(39)}`, ""]) assert.equal(idFraction(id), undefined, id);
});

test("the bound: the whole list read gives its size; less read, a margin that narrows as more is read", () => {
  assert.equal(listSizeBound(5_000, 1), 5_000);
  const early = listSizeBound(1_000, 0.1) - 10_000;
  const later = listSizeBound(5_000, 0.5) - 10_000;
  assert.ok(early > later && later > 0, `margins ${early} then ${later}`);
});

test("over random lists of evenly spread ids, read page by page, the bound falls short rarely and is close once half is read", () => {
  const rng = new Rng(0x5ca1ab1e);
  let checks = 0;
  let short = 0;
  for (let list = 0; list < 60; list++) {
    const devices = rng.range(1_000, 20_000);
    const pageSize = rng.pick([100, 500, 1_000, 2_500]);
    const ids = sortedMachineIds(rng, devices);
    const estimate = new ListSizeEstimate();
    const stride = pageSize - 1;
    let halfChecked = false;
    for (let skip = 0; skip + pageSize < devices; skip += stride) {
      const bound = estimate.notePage(skip, pageOf(ids, skip, pageSize));
      assert.ok(bound !== undefined, `list ${list}: ids in order give a bound`);
      checks += 1;
      if (bound < devices) short += 1;
      if (!halfChecked && skip + pageSize >= devices / 2) {
        halfChecked = true;
        assert.ok(bound - devices <= 8 * Math.sqrt(devices), `list ${list}: ${bound} for ${devices} devices, half read`);
      }
    }
  }
  assert.ok(checks > 1_500, `${checks} pages checked`);
  assert.ok(short / checks < 0.005, `the bound fell short at ${short} of ${checks} pages`);
});

test("ids out of order, or not machine ids, give no bound, and none for the rest of the read", () => {
  const ids = sortedMachineIds(new Rng(7), 300);
  const outOfOrder = new ListSizeEstimate();
  assert.ok(outOfOrder.notePage(0, pageOf(ids, 0, 100)) !== undefined);
  assert.equal(outOfOrder.notePage(99, parsedItems([...ids.slice(99, 199)].reverse().map((id) => ({ id })))), undefined);
  assert.equal(outOfOrder.notePage(198, pageOf(ids, 198, 100)), undefined, "stopped for good");

  const notMachineIds = new ListSizeEstimate();
  assert.equal(notMachineIds.notePage(0, parsedItems(Array.from({ length: 100 }, (_, i) => ({ id: `m${String(i).padStart(3, "0")}` })))), undefined);

  const stopped = new ListSizeEstimate();
  stopped.stop();
  assert.equal(stopped.notePage(0, pageOf(ids, 0, 100)), undefined);
});

test("pages overlap by one device: a page may start with the id that ended the one before, not with an earlier one", () => {
  const ids = sortedMachineIds(new Rng(11), 400);
  const overlapping = new ListSizeEstimate();
  assert.ok(overlapping.notePage(0, pageOf(ids, 0, 100)) !== undefined);
  assert.ok(overlapping.notePage(99, pageOf(ids, 99, 100)) !== undefined, "starts with the last id of the page before");
  const behind = new ListSizeEstimate();
  assert.ok(behind.notePage(0, pageOf(ids, 0, 100)) !== undefined);
  assert.equal(behind.notePage(98, pageOf(ids, 98, 100)), undefined, "starts before the last id of the page before");
  const twice = new ListSizeEstimate();
  assert.equal(twice.notePage(0, parsedItems([{ id: ids[0] }, { id: ids[0] }, { id: ids[1] }])), undefined, "one id twice within a page");
});

test("an item without a string id (it cannot decode) is passed over: the ids around it still give the bound", () => {
  const ids = sortedMachineIds(new Rng(13), 300);
  const items = ids.slice(0, 100).map((id, index): { id?: unknown } => (index === 40 ? { id: 7 } : index === 99 ? {} : { id }));
  const withGaps = new ListSizeEstimate().notePage(0, parsedItems(items));
  const withoutTheLast = new ListSizeEstimate().notePage(0, pageOf(ids, 0, 99));
  assert.ok(withGaps !== undefined);
  assert.equal(withGaps, withoutTheLast, "read up to the last item with an id");
});
