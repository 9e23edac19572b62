/**
 * subMillisecondTicks reads the part of a `lastSeen` finer than a millisecond, which correlation
 * keeps as a number (not the source's string) to order two reports of the same millisecond.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { subMillisecondTicks } from "../../src/correlate/records.js";

test("the 4th to 7th fractional digits as 100-ns ticks; none, or fewer than four digits, is 0", () => {
  assert.equal(subMillisecondTicks("2025-06-01T07:41:55.1234567Z"), 4567);
  assert.equal(subMillisecondTicks("2025-06-01T07:41:55.0000001Z"), 1);
  assert.equal(subMillisecondTicks("2025-06-01T07:41:55.12345Z"), 4500);
  assert.equal(subMillisecondTicks("2025-06-01T07:41:55.123Z"), 0);
  assert.equal(subMillisecondTicks("2025-06-01T07:41:55Z"), 0);
  assert.equal(subMillisecondTicks("2025-06-01T07:41:55.1+01:00"), 0, "the offset's digits are not the fraction's");
  assert.equal(subMillisecondTicks("2025-06-01T07:41:55.12345678Z"), 4567, "an eighth digit is below 100 ns");
});

test("orders two times of one millisecond as their seven-digit fractions do", () => {
  const fraction = fc.integer({ min: 0, max: 9_999_999 }).map((n) => String(n).padStart(7, "0"));
  fc.assert(
    fc.property(fraction, fraction, (a, b) => {
      const [ta, tb] = [subMillisecondTicks(`2025-06-01T07:41:55.${a}Z`), subMillisecondTicks(`2025-06-01T07:41:55.${b}Z`)];
      if (a.slice(0, 3) === b.slice(0, 3)) assert.equal(Math.sign(ta - tb), a < b ? -1 : a > b ? 1 : 0);
    }),
  );
});
