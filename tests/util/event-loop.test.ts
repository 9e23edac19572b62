import { test } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { whileWaiting } from "../../src/util/event-loop.js";

test("whileWaiting does slices while the promise is pending, none once it has settled, and returns its value", async () => {
  let slices = 0;
  const value = await whileWaiting(
    sleep(40).then(() => "page"),
    () => {
      slices += 1;
      return true; // never done
    },
  );
  assert.equal(value, "page");
  assert.ok(slices > 1, `slices: ${slices}`);
  const after = slices;
  await sleep(20);
  assert.equal(slices, after, "no slice after it settled");
});

test("whileWaiting stops slicing once the work is done, and still waits for the promise", async () => {
  let slices = 0;
  const started = performance.now();
  const value = await whileWaiting(
    sleep(30).then(() => 7),
    () => ++slices < 3,
  );
  assert.equal(value, 7);
  assert.equal(slices, 3);
  assert.ok(performance.now() - started >= 25);
});

test("whileWaiting passes a rejection on", async () => {
  await assert.rejects(
    whileWaiting(
      sleep(10).then(() => Promise.reject(new Error("the page failed"))),
      () => true,
    ),
    /the page failed/,
  );
});
