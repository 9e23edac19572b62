/**
 * What a page read by skip says about the list since the full page before it, and when an
 * empty page is the true end of a list that shrank: the paging decisions, without I/O.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { boundaryOf, endConfirmed, type Boundary } from "../../../src/probes/defender365/pages.js";

test("a page's first device against the last of the full page before", () => {
  const read = new Set(["a", "b", "c"]);
  const wasRead = (id: string) => read.has(id);
  const cases: readonly [string, number, string | undefined, string | undefined, Boundary][] = [
    ["begins with the page before's last device", 30, "c", "c", "continues"],
    ["both devices at the overlap without an id: nothing to check", 30, undefined, undefined, "continues"],
    ["the page before ended without an id, this one begins with a device never read: devices removed", 30, "x", undefined, "shrank"],
    ["the page before ended without an id, this one begins with a device read earlier", 30, "a", undefined, "grew"],
    ["begins with a device read earlier: devices added before the offset", 30, "a", "c", "grew"],
    ["begins with a device never read: devices removed", 30, "x", "c", "shrank"],
    ["begins with a device without an id", 30, undefined, "c", "shrank"],
    ["no device at all", 0, undefined, "c", "empty"],
    ["no device, and the page before had no last id", 0, undefined, undefined, "empty"],
  ];
  for (const [what, length, firstId, lastIdOfPrevious, expected] of cases) assert.equal(boundaryOf(length, firstId, lastIdOfPrevious, wasRead), expected, what);
});

test("after an empty page, a read of the page before confirms the end only when it comes back short", () => {
  fc.assert(
    fc.property(fc.integer({ min: 2, max: 10_000 }), fc.nat({ max: 1_000 }), fc.nat({ max: 10_000 }), (pageSize, k, length) => {
      const stride = pageSize - 1;
      const before = k * stride; // the full page before the empty one
      const empty = before + stride;
      const got = Math.min(length, pageSize);
      assert.equal(endConfirmed(before, got, empty), got < pageSize);
    }),
  );
});
