import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { grow, MANY, NONE } from "../../src/correlate/key-index.js";

test("grow keeps every value, holds the index asked for, and gives the new cells the fill", () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 40 }), fc.nat(300), fc.constantFrom(0, NONE, MANY), (values, at, fill) => {
      const before = Int32Array.from(values);
      const after = grow(before, at, fill);
      assert.ok(after.length > at);
      assert.deepEqual([...after.subarray(0, before.length)], values);
      assert.ok(after.subarray(before.length).every((cell) => cell === fill));
      if (at < before.length) assert.equal(after, before, "no copy when it already holds the index");
    }),
  );
});
