import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { quote } from "../../src/records/json-text.js";

// FC_SEED=<seed> replays a failing run that fast-check reported.
const runs = { numRuns: 5_000, ...(process.env["FC_SEED"] ? { seed: Number(process.env["FC_SEED"]) } : {}) };

/** Any string: ASCII, any code unit (lone surrogates included), any code point, and the characters JSON escapes. */
const anyString = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.string({ unit: "grapheme" }),
  fc.string({ unit: fc.constantFrom('"', "\\", "\n", "\u0000", "\u001f", "\u007f", "\u2028", "\ud800", "\udc00", "😀", "é", "a") }),
);

test("quote writes what JSON.stringify writes, for any string", () => {
  fc.assert(
    fc.property(anyString, (text) => {
      assert.equal(quote(text), JSON.stringify(text));
    }),
    runs,
  );
});
