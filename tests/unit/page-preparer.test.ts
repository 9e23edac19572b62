/**
 * Working page bodies through: the result is the same inline and on the page worker, a
 * broken body names what is wrong, and a worker that fails hands its pages back to the main
 * thread instead of losing them.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Worker } from "node:worker_threads";
import { generateTenant } from "../../src/simulator/index.js";
import { preparePage, isPrepared } from "../../src/probes/defender365/prepare-page.js";
import { WORKER_MIN_CHARS, inlinePreparer, workerPreparer } from "../../src/probes/defender365/page-preparer.js";
import { recordTail } from "../../src/probes/defender365/record-json.js";
import { evidenceOf } from "../../src/correlate/evidence.js";
import { toSourceDevice } from "../../src/probes/defender365/device.js";
import type { Machine } from "../../src/probes/defender365/machine.js";

const tenant = generateTenant({ seed: 11, devices: 2_400 });
const bodyOf = (from: number, to: number): string => JSON.stringify({ value: Array.from({ length: to - from }, (_, i) => tenant.machineAt(from + i)) });
const pages = [bodyOf(0, 1_200), bodyOf(1_200, 2_400)];

test("the generated pages are large enough to go to the worker", () => {
  for (const body of pages) assert.ok(body.length >= WORKER_MIN_CHARS, `${body.length} chars`);
});

test("preparePage: each device decoded, its evidence and its record tail as the record code makes them", () => {
  const page = preparePage(pages[0] ?? "", 1);
  assert.ok(page.ok);
  assert.equal(page.items.length, 1_200);
  for (const [index, item] of page.items.entries()) {
    const machine = tenant.machineAt(index) as Machine;
    assert.ok(isPrepared(item));
    assert.equal(item.id, machine.id);
    assert.deepEqual(item.device, toSourceDevice(machine));
    const evidence = evidenceOf(undefined, item.device.macs, item.device.addresses);
    assert.equal(item.tail, recordTail(machine, { macs: evidence.macs, addresses: evidence.ips }));
  }
});

test("preparePage: a broken body names what is wrong; a broken device becomes a warning with its id", () => {
  assert.deepEqual(preparePage("", 3), { ok: false, problem: "the body was empty" });
  assert.match((preparePage("<html>", 3) as { problem: string }).problem, /not JSON \(6 bytes, starting "<html>"\)/);
  assert.deepEqual(preparePage('{"values":[]}', 3), { ok: false, problem: "it has no `value` array" });
  const page = preparePage(JSON.stringify({ value: [{ id: "abc", healthStatus: 7 }], "@odata.nextLink": "https://x/next" }), 4);
  assert.ok(page.ok);
  assert.equal(page.nextLink, "https://x/next");
  const item = page.items[0];
  assert.ok(item !== undefined && !isPrepared(item));
  assert.equal(item.id, "abc");
  assert.match(item.warning.path ?? "", /^page 4 › value\[0\]/);
});

test("the worker gives the inline result for every page; the first large page is worked inline while the worker starts", async () => {
  const preparer = workerPreparer((reason) => assert.fail(reason));
  try {
    const results = await Promise.all([...pages, ...pages].map((body, i) => preparer.prepare(body, i + 1)));
    assert.equal(preparer.workerPages, 3);
    for (const [i, result] of results.entries()) assert.deepEqual(result, preparePage([...pages, ...pages][i] ?? "", i + 1));
  } finally {
    await preparer.close();
  }
});

test("small pages stay on the calling thread (no worker is started for them)", async () => {
  let started = 0;
  const preparer = workerPreparer(undefined, () => {
    started += 1;
    throw new Error("not expected");
  });
  const small = bodyOf(0, 10);
  assert.deepEqual(await preparer.prepare(small, 1), preparePage(small, 1));
  assert.equal(started, 0);
  assert.equal(preparer.workerPages, 0);
  await preparer.close();
});

test("a worker that fails: the pages it held are worked through inline, and every later one; the reason is told once", async () => {
  const reasons: string[] = [];
  // Fails on its first job, so that the jobs sent to it are stranded there.
  const failing = () =>
    new Worker("require('node:worker_threads').parentPort.on('message', () => { throw new Error('worker broke'); });", { eval: true });
  const preparer = workerPreparer((reason) => reasons.push(reason), failing);
  try {
    const first = await preparer.prepare(pages[0] ?? "", 1); // inline while the worker starts
    const held = await Promise.all([preparer.prepare(pages[1] ?? "", 2), preparer.prepare(pages[0] ?? "", 3)]);
    const later = await preparer.prepare(pages[1] ?? "", 4);
    assert.deepEqual([first, ...held, later], [preparePage(pages[0] ?? "", 1), preparePage(pages[1] ?? "", 2), preparePage(pages[0] ?? "", 3), preparePage(pages[1] ?? "", 4)]);
    assert.equal(preparer.workerPages, 0);
    assert.equal(reasons.length, 1);
    assert.match(reasons[0] ?? "", /the page worker failed \(worker broke\)/);
  } finally {
    await preparer.close();
  }
});

test("a worker that cannot start: every page inline, the reason told", async () => {
  const reasons: string[] = [];
  const preparer = workerPreparer(
    (reason) => reasons.push(reason),
    () => {
      throw new Error("no threads here");
    },
  );
  for (const [i, body] of [...pages, ...pages].entries()) assert.deepEqual(await preparer.prepare(body, i + 1), preparePage(body, i + 1));
  assert.deepEqual(reasons, ["the page worker could not start (no threads here)"]);
  await preparer.close();
});

test("inlinePreparer works every page on the calling thread", async () => {
  const preparer = inlinePreparer();
  assert.deepEqual(await preparer.prepare(pages[0] ?? "", 1), preparePage(pages[0] ?? "", 1));
  assert.equal(preparer.workerPages, 0);
});
