/**
 * `withRunId`: the records of several runs in one file each name their run, and each line
 * stays the JSON object it was, with `runId` as its first field.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { withRunId } from "../../src/cli/run-lines.js";

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (lines: Uint8Array): string => new TextDecoder().decode(lines);

test("each line gets the run's id as its first field; an empty object too", () => {
  assert.equal(text(withRunId(bytes('{"source":"a","n":1}\n{}\n'), "1:a/x")), '{"runId":"1:a/x","source":"a","n":1}\n{"runId":"1:a/x"}\n');
});

test("any batch of JSON lines: the same objects, each with the run's id, in the same order", () => {
  // Records have no runId of their own.
  const key = fc.string().filter((k) => k !== "runId" && k !== "__proto__");
  fc.assert(
    fc.property(fc.array(fc.dictionary(key, fc.jsonValue()), { maxLength: 20 }), fc.string(), (objects, runId) => {
      const batch = objects.map((o) => `${JSON.stringify(o)}\n`).join("");
      const out = text(withRunId(bytes(batch), runId));
      assert.ok(out === "" || out.endsWith("\n"));
      const lines = out.split("\n").slice(0, -1);
      assert.equal(lines.length, objects.length);
      for (const [i, line] of lines.entries()) {
        assert.ok(line.startsWith(`{"runId":${JSON.stringify(runId)}`), "the first field");
        const { runId: got, ...rest } = JSON.parse(line) as Record<string, unknown>;
        assert.equal(got, runId);
        assert.deepEqual(rest, JSON.parse(JSON.stringify(objects[i])));
      }
    }),
    { numRuns: 300 },
  );
});
