import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { startHarness, startHarnessWithAssets, type Harness } from "./harness.js";
import { defender365 } from "../../src/probes/defender365/index.js";
import { MAX_PREFETCH } from "../../src/probes/defender365/pages.js";
import { generateTenant, type SimulatorStats } from "../../src/simulator/index.js";
import type { ScannedAsset } from "../../src/engine/assets.js";
import type { ProbeResult } from "../../src/contract.js";
import { runCoverage } from "../../src/engine/coverage.js";

const DEVICES = 2_500;
const SEED = 11;
let h: Harness;
let assets: ScannedAsset[];

before(async () => {
  ({ h, assets } = await startHarnessWithAssets(SEED, DEVICES));
});
after(() => h.tenant.close());

const run = async (options: Record<string, unknown> = {}, mode: "probe" | "connector" = "probe"): Promise<ProbeResult> => {
  const outcome = await defender365.run({ mode, credential: h.credential(), options: h.options(options), assets, scanSiteId: "scan-site" }, h.env)();
  if (outcome._tag === "Left") assert.fail(`run failed: ${outcome.left.code} ${outcome.left.message}`);
  return outcome.right;
};

test("every device is accounted for: fetched = invalid + duplicates + inactive + matched + new + left out", async () => {
  const result = await run({ pageSize: 1_000 });
  const c = result.summary.counts;
  assert.equal(result.summary.complete, true);
  const listed = h.listed();
  assert.ok(listed.active < listed.all, "the generated tenant has inactive devices");
  assert.equal(c.fetched, listed.active, "inactive devices are left out by the API ($filter)");
  assert.equal(c.fetched, c.invalid + c.duplicates + c.inactiveSkipped + c.matched + c.created + c.unknownSkipped);
  assert.equal(result.records.length, c.matched + c.created);
  assert.ok(c.matched > 0 && c.created > 0);
  assert.equal(new Set(result.records.map((r) => r.sourceId)).size, result.records.length, "no device twice");
  assert.equal(Object.keys(runCoverage(result.summary).byAsset).length, assets.length, "a verdict for every scanned asset");
});

test("pages: ceil(N / pageSize) list calls, one token call, no discovery call, fewer calls with the default page size", async () => {
  const tokenBefore = h.tenant.stats.tokenRequests;
  const metadataBefore = h.tenant.stats.metadataRequests;
  const result = await run({ pageSize: 1_000, includeInactive: true });
  assert.equal(result.summary.counts.fetched, DEVICES);
  // One call per page; when a page takes over a second (a loaded machine), the read-ahead may ask up to two past the end.
  const pages = Math.ceil(DEVICES / 1_000);
  assert.ok(result.summary.http.requests >= pages && result.summary.http.requests <= pages + 2, `${result.summary.http.requests} calls for ${pages} pages`);
  assert.equal(h.tenant.stats.tokenRequests - tokenBefore, 1, "one token for every page");
  assert.equal(h.tenant.stats.metadataRequests - metadataBefore, 0, "no OpenID discovery call: authority metadata is given");
  const big = await run();
  assert.equal(big.summary.http.requests, 1, "2,500 devices fit one 10,000-device page");
});

test("records carry the documented shape and every Defender field", async () => {
  const result = await run();
  const matched = result.records.find((r) => r.assetId !== null);
  const created = result.records.find((r) => r.assetId === null);
  assert.ok(matched && created);
  assert.equal(matched.source, "defender365");
  assert.ok(matched.match && matched.match.keys.length > 0 && typeof matched.match.rule === "string");
  assert.equal(created.match, null);
  assert.equal(created.siteId, "scan-site", "probe mode: new assets go to the scan's site");
  for (const r of result.records) {
    assert.ok(["protected", "unhealthy", "not-onboarded"].includes(r.controls["edr"] ?? ""));
    assert.equal(r.attributes["id"], r.sourceId);
    assert.ok("healthStatus" in r.attributes && "onboardingStatus" in r.attributes);
    for (const mac of r.macs) assert.match(mac, /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    for (const ip of r.addresses) assert.ok(!ip.startsWith("127.") && !ip.startsWith("fe80") && !ip.startsWith("169.254."), ip);
  }
  const withVm = result.records.find((r) => "vmMetadata.vmId" in r.attributes);
  assert.ok(withVm, "nested vmMetadata is flattened with dots");
});

test("includeInactive returns inactive devices; excludeUnknown leaves unmatched out", async () => {
  const base = await run();
  const inactive = await run({ includeInactive: true });
  const listed = h.listed();
  assert.equal(inactive.summary.counts.inactiveSkipped, 0);
  assert.equal(inactive.records.length, base.records.length + (listed.all - listed.active));
  const known = await run({ excludeUnknown: true });
  assert.equal(known.summary.counts.created, 0);
  assert.equal(known.summary.counts.unknownSkipped, base.summary.counts.created);
  assert.ok(known.records.every((r) => r.assetId !== null));
});

test("connector mode puts new assets into the siteId option", async () => {
  const result = await run({ siteId: "site-connector" }, "connector");
  assert.ok(result.records.filter((r) => r.assetId === null).every((r) => r.siteId === "site-connector"));
});

test("coverage: protected needs an onboarded Active sensor; discovered-only devices are not protection", async () => {
  const result = await run();
  const truth = generateTenant({ seed: SEED, devices: DEVICES, assets: true }).truth;
  const c = runCoverage(result.summary);
  const byAsset = c.byAsset;
  assert.equal(c.protected + c.unhealthy + c.missing + c.unknown, assets.length);
  assert.equal(c.unknown, 0, "a complete run has no unknown verdicts");
  let right = 0;
  for (const asset of assets) if (byAsset[asset.id] === truth.assets[asset.id]?.verdict) right += 1;
  assert.ok(right / assets.length > 0.98, `verdicts right for ${right} of ${assets.length}`);
});

test("a certificate credential signs in (PEM key checked against the certificate) and syncs", async () => {
  const outcome = await defender365.run({ mode: "connector", credential: h.credential("azure-client-certificate"), options: h.options(), assets: [] }, h.env)();
  assert.equal(outcome._tag, "Right");
});

test("incremental sync: only devices seen after the cursor, no missing verdicts, a new cursor", async () => {
  const full = await run({ includeInactive: true });
  assert.equal(full.summary.incremental, false);
  const cursor = full.summary.cursor;
  assert.ok(cursor, "a full sync gives a cursor");
  const since = new Date(Date.parse(cursor) - 6 * 3_600_000).toISOString().replace(/\.\d+Z$/, "Z");
  const incremental = await run({ lastSeenAfter: since });
  assert.equal(incremental.summary.incremental, true);
  assert.ok(incremental.summary.counts.fetched > 0 && incremental.summary.counts.fetched < full.summary.counts.fetched);
  for (const r of incremental.records) assert.ok(Date.parse(r.lastSeen ?? "") > Date.parse(since));
  assert.equal(incremental.summary.coverage.edr?.missing, 0, "an incremental list cannot say an asset is missing");
  assert.equal(incremental.summary.cursor, cursor);
});

/** Syncs every device of a fresh tenant whose pages take `msPerDevice` per device (100 devices a page); each is read once. */
const syncSlowTenant = async (devices: number, msPerDevice: number, expectedDevices?: number): Promise<{ result: ProbeResult; stats: SimulatorStats }> => {
  const slow = await startHarness({ seed: SEED, devices, serviceMsPerDevice: msPerDevice, rateLimit: false });
  try {
    const outcome = await defender365.run(
      { mode: "connector", credential: slow.credential(), options: slow.options({ pageSize: 100, includeInactive: true, expectedDevices }), assets: [] },
      slow.env,
    )();
    if (outcome._tag === "Left") assert.fail(`run failed: ${outcome.left.code} ${outcome.left.message}`);
    assert.equal(outcome.right.summary.counts.fetched, devices);
    assert.equal(outcome.right.summary.counts.duplicates, 0);
    return { result: outcome.right, stats: slow.tenant.stats };
  } finally {
    await slow.tenant.close();
  }
};

test("a slow service gets a few pages at once (adaptive read-ahead), every device read once, and no call past the end: the ids in order tell where it is", async () => {
  const { result, stats } = await syncSlowTenant(800, 12);
  assert.ok(stats.maxConcurrentApiRequests > 1, "pages were fetched concurrently once the service proved slow");
  assert.ok(stats.maxConcurrentApiRequests <= MAX_PREFETCH, `${stats.maxConcurrentApiRequests} pages in flight at once`);
  const needed = Math.ceil((800 - 1) / 99); // pages overlap by one device
  // The simulated tenant's ids are spread more evenly than random ones: tests/integration/read-ahead.test.ts has random ids.
  assert.equal(result.summary.http.requests, needed, `${result.summary.http.requests} calls for ${needed} pages`);
});

test("a slow service, with the previous sync's count: pages read ahead up to the expected end and no call past it", async () => {
  const { result, stats } = await syncSlowTenant(800, 12, 800);
  assert.ok(stats.maxConcurrentApiRequests > 1, "pages were fetched concurrently");
  assert.equal(result.summary.http.requests, Math.ceil((800 - 1) / 99), "exactly the pages a one-at-a-time reader asks for");
});

test("a slow service whose list outgrew the count given: every device is still read, once", async () => {
  const { result } = await syncSlowTenant(800, 12, 500); // counts.fetched and duplicates are checked inside
  assert.ok(result.summary.http.requests <= Math.ceil((800 - 1) / 99) + MAX_PREFETCH - 1, `${result.summary.http.requests} calls`);
});

test("a first page slow to answer on a fast service (a busy moment) does not keep pages in flight to the end: no call past it", async () => {
  const quick = await startHarness({ seed: SEED, devices: 2_000, rateLimit: false });
  try {
    quick.tenant.faults = { api: [{ at: 1, kind: "delay", ms: 1_500 }] };
    const outcome = await defender365.run(
      { mode: "connector", credential: quick.credential(), options: quick.options({ pageSize: 100, includeInactive: true }), assets: [] },
      quick.env,
    )();
    if (outcome._tag === "Left") assert.fail(`run failed: ${outcome.left.code} ${outcome.left.message}`);
    assert.equal(outcome.right.summary.counts.fetched, 2_000);
    assert.ok(quick.tenant.stats.maxConcurrentApiRequests > 1, "the slow first page made the reader ask for more at once");
    assert.equal(outcome.right.summary.http.requests, Math.ceil((2_000 - 1) / 99), "the pages a one-at-a-time reader asks for, and none past the end");
  } finally {
    await quick.tenant.close();
  }
});

test("a first page slower than a second makes the reader ask for the next pages before it answers (the list is still read once)", async () => {
  // 100 devices × 30 ms: the first page takes 3 s; the second (51 devices) 1.5 s.
  const { result, stats } = await syncSlowTenant(150, 30);
  // The log is written as each answer ends: without the early read-ahead the first page's entry comes first.
  const first = stats.requestLog.find((entry) => entry.path.startsWith("/api/machines"));
  assert.ok(first !== undefined && !/%24skip=0(&|$)/.test(first.path), `a later page answered before the first one (first logged: ${first?.path})`);
  const calls = result.summary.http.requests;
  assert.ok(calls >= 2 && calls <= 4, `${calls} calls: the first page, and up to three asked for while it was slow`);
});
