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
