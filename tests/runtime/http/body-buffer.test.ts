import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { BodyBuffer } from "../../../src/runtime/http/stream-body.js";
import { countingSlowAllocations } from "../../util/allocations.js";

test("a body cut anywhere into chunks, UTF-8 characters split between them, reads back as its text", () => {
  fc.assert(
    fc.property(
      fc.string({ unit: "binary", maxLength: 400 }),
      fc.array(fc.nat(), { maxLength: 12 }),
      fc.integer({ min: 1, max: 64 }),
      (text, cuts, initial) => {
        const bytes = Buffer.from(text, "utf8");
        const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const body = new BodyBuffer(initial);
        let from = 0;
        for (const to of [...at, bytes.length]) {
          body.append(bytes.subarray(from, to));
          from = to;
        }
        assert.equal(body.length, bytes.length);
        assert.equal(body.text(), text);
      },
    ),
  );
});

test("a body reads as its bytes decoded as UTF-8, whether it is ASCII only, valid UTF-8 or not UTF-8 at all", () => {
  const ascii = fc.uint8Array({ max: 0x7f, maxLength: 300 });
  const utf8 = fc.string({ unit: "binary", maxLength: 200 }).map((text) => new Uint8Array(Buffer.from(text, "utf8")));
  const anyBytes = fc.uint8Array({ maxLength: 300 });
  fc.assert(
    fc.property(fc.oneof(ascii, utf8, anyBytes), (bytes) => {
      const body = new BodyBuffer(8);
      body.append(bytes);
      assert.equal(body.text(), Buffer.from(bytes).toString("utf8"));
    }),
    { numRuns: 500 },
  );
});

test("cleared, the buffer takes the next body from its start and keeps its memory", async () => {
  const body = new BodyBuffer(4);
  body.append(Buffer.from("a long first body, past four bytes"));
  await countingSlowAllocations((allocations) => {
    body.clear();
    body.append(Buffer.from("second"));
    assert.equal(body.text(), "second");
    assert.equal(allocations(), 0);
  });
});
