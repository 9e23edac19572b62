/**
 * Answers that would end the list early or hold a run without end, against the simulated
 * tenant: each must fail the run as incomplete (no `missing` verdict), never end it complete
 * with part of the list. And the one such answer that is true: a list that shrank.
 */
import { test, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { startHarness, type Harness } from "./harness.js";
import { defender365 } from "../../src/probes/defender365/index.js";
import type { ProbeError } from "../../src/engine/errors.js";

/** 88 devices in pages of 30 (each overlapping the one before by one): skips 0, 29, 58 and 87, the last holding one device. */
const DEVICES = 88;
const PAGE = 30;
const STRIDE = PAGE - 1;
let h: Harness;

// A tenant of its own for each test: a drift fault changes the list for good.
beforeEach(async () => {
  h = await startHarness({ seed: 11, devices: DEVICES, rateLimit: false });
});
afterEach(() => h.tenant.close());

const run = (options: Record<string, unknown> = {}) =>
  defender365.run(
    { mode: "connector", credential: h.credential(), options: h.options({ pageSize: PAGE, includeInactive: true, ...options }), assets: [] },
    h.env,
  )();

const failed = async (code: string, options: Record<string, unknown> = {}): Promise<ProbeError> => {
  const outcome = await run(options);
  if (outcome._tag === "Right") assert.fail(`expected ${code}, the run completed with ${outcome.right.summary.counts.fetched} devices`);
  assert.equal(outcome.left.code, code, outcome.left.message);
  const partial = outcome.left.partial;
  assert.ok(partial, "a failed run carries its partial result");
  assert.equal(partial.summary.complete, false);
  assert.equal(partial.summary.coverage.edr?.missing, 0);
  return outcome.left;
};

/** How many times the page at `skip` was answered. */
const asked = (skip: number): number =>
  h.tenant.stats.requestLog.filter((entry) => new URL(entry.path, "https://x").searchParams.get("$skip") === String(skip)).length;

/** How many requests a fault of `kind` was applied to (counted as they arrive). */
const applied = (kind: string): number => h.tenant.stats.faultsApplied.filter((f) => f.kind === kind).length;

test('a 404 "no machines" after a full page fails the run as ERR_API_LIST_CUT_SHORT instead of ending it with the first page', async () => {
  h.tenant.faults = { api: [{ skip: STRIDE, kind: "status", status: 404 }] };
  const error = await failed("ERR_API_LIST_CUT_SHORT");
  assert.match(error.message, /^Page 2 of the machine list was a 404 "no machines"/);
  assert.equal(error.partial?.summary.counts.fetched, PAGE, "the first page is kept");
});

test('a 404 "no machines" on a page a nextLink led to fails the run too', async () => {
  // A nextLink on the API's own origin, to the page after the first (the client follows it).
  h.tenant.faults = {
    api: [
      { skip: 0, kind: "nextlink-foreign-origin", origin: h.tenant.origin },
      { skip: PAGE, kind: "status", status: 404 },
    ],
  };
  const error = await failed("ERR_API_LIST_CUT_SHORT");
  assert.match(error.message, /404 "no machines"/);
  assert.equal(asked(PAGE), 1, "the page the nextLink named was asked for");
});

test('a 404 "no machines" on the read of a stretch again after devices were removed fails the run too', async () => {
  // Pages 0, 29 and 58 are asked for first, then 87; three devices removed before 58 make page 58 begin with a device
  // not yet read, so the stretch at 29 is read again: the 5th call, answered 404.
  h.tenant.faults = {
    api: [
      { skip: 2 * STRIDE, kind: "drift", remove: 3 },
      { at: 5, kind: "status", status: 404 },
    ],
  };
  const error = await failed("ERR_API_LIST_CUT_SHORT");
  assert.match(error.message, /404 "no machines"/);
  const notFound = h.tenant.stats.faultsApplied.find((f) => f.kind === "status");
  assert.equal(new URL(notFound?.path ?? "", "https://x").searchParams.get("$skip"), String(STRIDE), "the 404 answered the read again");
});

test("an empty page after a full page, the list unchanged, fails as ERR_API_LIST_CUT_SHORT after one read of the page before", async () => {
  h.tenant.faults = { api: [{ skip: STRIDE, kind: "empty-page" }] };
  const error = await failed("ERR_API_LIST_CUT_SHORT");
  assert.match(error.message, /^Page 2 of the machine list was empty/);
  assert.equal(asked(0), 2, "the first page was read again, and came back full");
});

test("a list that shrank to end just before a page: the empty page is confirmed by reading the page before again, and the run completes", async () => {
  // One device removed before skip 87 as that page is served (once the page before it, asked for at the same time, has
  // been): the list ends at 87, and the page there is empty.
  const last = 3 * STRIDE;
  h.tenant.faults = {
    api: [
      { skip: last, kind: "delay", ms: 300 },
      { skip: last, kind: "drift", remove: 1 },
    ],
  };
  const outcome = await run();
  if (outcome._tag === "Left") assert.fail(`${outcome.left.code}: ${outcome.left.message}`);
  const ids = outcome.right.records.map((r) => r.sourceId);
  assert.equal(new Set(ids).size, ids.length, "no device twice");
  assert.deepEqual(
    h.tenant.machines().filter((m) => !ids.includes(String(m["id"]))),
    [],
    "every device of the list as it is now was read (and the one removed, read before it was)",
  );
  assert.equal(asked(2 * STRIDE), 2, "the page before the empty one was read again");
  assert.ok(outcome.right.warnings.some((w) => w.code === "DEFENDER_LIST_CHANGED"));
});

test("a redirect whose body is an empty page is not a page: ERR_API_BAD_RESPONSE, and nothing is sent where it points", async () => {
  let hits = 0;
  const elsewhere = createServer((socket) => {
    hits += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => elsewhere.listen(0, "127.0.0.1", resolve));
  try {
    const location = `https://127.0.0.1:${(elsewhere.address() as { port: number }).port}/api/machines`;
    h.tenant.faults = { api: [{ skip: 0, kind: "redirect", status: 302, location }] };
    const error = await failed("ERR_API_BAD_RESPONSE");
    assert.match(error.message, /redirect \(HTTP 302 to https:\/\/127\.0\.0\.1:\d+\)/);
    assert.equal(hits, 0);
    assert.equal(error.partial?.summary.counts.fetched, 0);
  } finally {
    elsewhere.close();
  }
});

test("a gzip body that inflates past maxPageBytes is cut off as ERR_API_RESPONSE_TOO_LARGE naming the option, without a retry", async () => {
  h.tenant.faults = { api: [{ skip: STRIDE, kind: "huge-body", bytes: 64 * 1024 * 1024, repeat: true }] };
  const error = await failed("ERR_API_RESPONSE_TOO_LARGE", { maxPageBytes: 1024 * 1024 });
  assert.match(error.message, /^Page 2 of the machine list grew past the maxPageBytes option \(1048576 bytes\)/);
  assert.equal(applied("huge-body"), 1, "not asked for again");
});

test("a Content-Length over maxPageBytes is refused before the body is read", async () => {
  h.tenant.faults = { api: [{ skip: STRIDE, kind: "huge-body", bytes: 8 * 1024 * 1024, gzip: false, repeat: true }] };
  const error = await failed("ERR_API_RESPONSE_TOO_LARGE", { maxPageBytes: 1024 * 1024 });
  assert.match(error.message, /declared 8388608 bytes, over the maxPageBytes option/);
  assert.equal(applied("huge-body"), 1, "not asked for again");
});

test("a page that drips a byte at a time is abandoned at pageDeadlineMs as ERR_API_PAGE_TIMEOUT, without a retry", { timeout: 30_000 }, async () => {
  // Each byte restarts got's own timeouts: only the page's deadline ends it.
  h.tenant.faults = { api: [{ skip: STRIDE, kind: "drip", everyMs: 20, repeat: true }] };
  const error = await failed("ERR_API_PAGE_TIMEOUT", { pageDeadlineMs: 1_000 });
  assert.match(error.message, /^Page 2 of the machine list was still arriving after the pageDeadlineMs option \(1000 ms/);
  assert.equal(applied("drip"), 1, "not asked for again");
});

test("a list longer than maxDevices stops as ERR_API_LIST_TOO_LONG naming the option", async () => {
  const error = await failed("ERR_API_LIST_TOO_LONG", { maxDevices: 40 });
  assert.match(error.message, /maxDevices option \(40 devices\)/);
  assert.ok((error.partial?.summary.counts.fetched ?? 0) <= 40);
});

test("a list that shrank below the read of the stretch before an empty page: the reader steps back further, and misses none of the devices left", async () => {
  // As page 58 is served, the 58 devices before it and one more go: the 29 left (59 to 86, of which only 58 was read)
  // lie before skip 29, so the read again at 29 is empty as well; only a read further back finds them.
  h.tenant.faults = {
    api: [
      { skip: 2 * STRIDE, kind: "delay", ms: 300 },
      { skip: 2 * STRIDE, kind: "drift", remove: 2 * STRIDE },
      { skip: 2 * STRIDE, kind: "drift", remove: 1 },
    ],
  };
  const outcome = await run();
  if (outcome._tag === "Left") {
    assert.equal(outcome.left.partial?.summary.coverage.edr?.missing, 0);
    return;
  }
  const ids = new Set(outcome.right.records.map((r) => r.sourceId));
  assert.deepEqual(
    h.tenant.machines().filter((m) => !ids.has(String(m["id"]))),
    [],
    "every device of the list as it is now was read",
  );
});

/** The devices listed both before and now that the run did not hand over. */
const unreadOfBoth = (before: ReadonlySet<string>, records: readonly { sourceId: string }[]): string[] => {
  const read = new Set(records.map((r) => r.sourceId));
  return h.tenant
    .machines()
    .map((m) => String(m["id"]))
    .filter((id) => before.has(id) && !read.has(id));
};

test("devices added while the stretch before a shrunk page is read again: the read goes on until it reaches that page, and misses none", async () => {
  // Five devices removed before 58 as that page is served: it begins with a device not yet read, so the stretch at 29 is
  // read again (the 5th call); five devices added before 29 as that read is served push the five not yet read past it.
  const before = new Set(h.tenant.machines().map((m) => String(m["id"])));
  h.tenant.faults = {
    api: [
      { skip: 2 * STRIDE, kind: "drift", remove: 5 },
      { at: 5, kind: "drift", insert: 5 },
    ],
  };
  const outcome = await run();
  if (outcome._tag === "Left") {
    assert.equal(outcome.left.partial?.summary.coverage.edr?.missing, 0);
    return;
  }
  assert.deepEqual(unreadOfBoth(before, outcome.right.records), [], "every device listed throughout was read");
});

test("a page answered before the one ahead of it, devices added between the two: none of those listed throughout is missed", async () => {
  // Page 29 waits while page 58 is answered; ten devices are then added before 29, so page 29 ends ten devices short of
  // where page 58 began.
  const before = new Set(h.tenant.machines().map((m) => String(m["id"])));
  h.tenant.faults = {
    api: [
      { skip: STRIDE, kind: "delay", ms: 300 },
      { skip: STRIDE, kind: "drift", insert: 10 },
    ],
  };
  const outcome = await run();
  if (outcome._tag === "Left") {
    assert.equal(outcome.left.partial?.summary.coverage.edr?.missing, 0);
    return;
  }
  assert.deepEqual(unreadOfBoth(before, outcome.right.records), [], "every device listed throughout was read");
});
