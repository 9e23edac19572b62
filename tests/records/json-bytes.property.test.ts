/**
 * JsonBytes writes into a buffer exactly the UTF-8 of what JSON.stringify (or, for `text`, the
 * text itself) would give, within the bounds that callers make room by, for any string:
 * ASCII, escapes, any code point, lone surrogates, short and long.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { JsonBytes, stringBound, stringListBound, textBound } from "../../src/records/json-bytes.js";

// FC_SEED=<seed> replays a failing run that fast-check reported.
const runs = { numRuns: 5_000, ...(process.env["FC_SEED"] ? { seed: Number(process.env["FC_SEED"]) } : {}) };

/** Any string: ASCII, any code unit (lone surrogates included), any code point, the characters JSON escapes, and long ones. */
const anyString = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.string({ unit: "grapheme" }),
  fc.string({ unit: fc.constantFrom('"', "\\", "\n", "\u0000", "\u001f", "\u007f", "\u0080", "\u2028", "\ud800", "\udc00", "😀", "é", "a") }),
  fc.string({ minLength: 60, maxLength: 300 }),
);

/** What `write` puts into a buffer of `bound` bytes that already holds a byte before the writer's start; checks the bound and that nothing before the start changed. */
const written = (bound: number, write: (out: JsonBytes) => void): Buffer => {
  const buffer = Buffer.alloc(bound + 1, 0xee);
  const out = new JsonBytes().moveTo(buffer, 1);
  write(out);
  assert.ok(out.at - 1 <= bound, `${out.at - 1} bytes written, bound ${bound}`);
  assert.equal(buffer[0], 0xee, "nothing written before the start");
  return buffer.subarray(1, out.at);
};

test("string, stringOrNull and stringList write the UTF-8 of JSON.stringify, within their bounds, for any string", () => {
  fc.assert(
    fc.property(anyString, fc.array(anyString, { maxLength: 5 }), fc.option(anyString), (text, list, maybe) => {
      assert.deepEqual(
        written(stringBound(text.length), (out) => out.string(text)),
        Buffer.from(JSON.stringify(text)),
      );
      assert.deepEqual(
        written(stringListBound(list), (out) => out.stringList(list)),
        Buffer.from(JSON.stringify(list)),
      );
      assert.deepEqual(
        written(stringBound(maybe?.length ?? 4), (out) => out.stringOrNull(maybe)),
        Buffer.from(JSON.stringify(maybe)),
      );
    }),
    runs,
  );
});

test("text writes each text's own UTF-8, within its bound, for any strings", () => {
  fc.assert(
    fc.property(anyString, anyString, (a, b) => {
      assert.deepEqual(
        written(textBound(a.length + b.length), (out) => {
          out.text(a);
          out.text(b);
        }),
        Buffer.concat([Buffer.from(a), Buffer.from(b)]), // each piece's own UTF-8: a surrogate pair split across two pieces is two lone halves
      );
    }),
    runs,
  );
});
