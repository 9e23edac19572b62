/**
 * Faults against the simulated tenant, one test per row of the README's faults table:
 * what the service does → what the probe does → what the user sees.
 */
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { startHarness, startHarnessWithAssets, type Harness } from "./harness.js";
import { defender365 } from "../../src/probes/defender365/index.js";
import type { ScannedAsset } from "../../src/engine/assets.js";
import type { ProbeError } from "../../src/engine/errors.js";
import { runCoverage } from "../../src/engine/coverage.js";
import type { ProbeResult, TaskLogEvent } from "../../src/contract.js";

const DEVICES = 400;
const SEED = 5;
const PAGE = 100;
let h: Harness;
let assets: ScannedAsset[];

before(async () => {
  ({ h, assets } = await startHarnessWithAssets(SEED, DEVICES, { responseTimeoutMs: 1_500, maxRetryAfterMs: 5_000, backoffLimitMs: 100 }));
});
after(() => h.tenant.close());
beforeEach(() => {
  h.tenant.faults = {};
  h.tenant.resetRateLimit();
});

const run = async (options: Record<string, unknown> = {}, signal?: AbortSignal) =>
  defender365.run({ mode: "probe", credential: h.credential(), options: h.options({ pageSize: PAGE, ...options }), assets, signal }, h.env)();

const complete = async (options: Record<string, unknown> = {}): Promise<ProbeResult> => {
  const outcome = await run(options);
  if (outcome._tag === "Left") assert.fail(`expected a complete run, got ${outcome.left.code}: ${outcome.left.message}`);
  assert.equal(outcome.right.summary.complete, true);
  return outcome.right;
};

const failed = async (code: string, options: Record<string, unknown> = {}): Promise<ProbeError> => {
  const outcome = await run(options);
  if (outcome._tag === "Right") assert.fail(`expected ${code}, the run completed`);
  assert.equal(outcome.left.code, code, outcome.left.message);
  return outcome.left;
};

/** A partial run keeps what it read, says complete: false, and calls no asset `missing`. */
const assertHonestPartial = (error: ProbeError, expectRecords: boolean) => {
  const partial = error.partial;
  assert.ok(partial, "a failed run carries its partial result");
  assert.equal(partial.summary.complete, false);
  assert.equal(partial.summary.coverage.edr?.missing, 0, "no missing verdict from an incomplete device list");
  assert.equal(partial.summary.errors[0]?.code, error.code);
  if (expectRecords) assert.ok(partial.records.length > 0, "what was read is kept");
  assert.ok(runCoverage(partial.summary).unknown > 0);
};

test("429 burst: Retry-After honoured (never early), then the sync completes", async () => {
  h.tenant.faults = { api: [{ at: 2, kind: "status", status: 429, retryAfter: 1, times: 2 }] };
  h.logs.length = 0;
  h.tenant.stats.requestLog.length = 0;
  const result = await complete();
  const responses = h.logs.filter((line) => line.startsWith("scan-probes:defender365:http %s %s → %d GET "));
  assert.equal(responses.filter((line) => line.endsWith(" 429")).length, 2, "each throttled response logged");
  assert.equal(responses.filter((line) => line.endsWith(" 200")).length, result.summary.http.requests - 2, "and every page");
  // Pages in flight together are throttled together: each is asked for again no sooner than a second after its own 429.
  const log = h.tenant.stats.requestLog.filter((entry) => entry.path.startsWith("/api/machines"));
  const throttled = log.filter((entry) => entry.status === 429);
  assert.equal(throttled.length, 2);
  for (const refused of throttled) {
    const again = log.find((entry) => entry.path === refused.path && entry.receivedAtMs > refused.receivedAtMs);
    assert.ok(again !== undefined, `${refused.path} asked for again`);
    const waited = again.receivedAtMs - (refused.receivedAtMs + refused.ms);
    assert.ok(waited >= 990, `${refused.path} asked for again ${waited.toFixed(0)} ms after its 429 (Retry-After: 1 s)`);
  }
  assert.equal(result.summary.http.throttled, 2);
  assert.equal(result.summary.http.retries, 2);
  assert.equal(result.summary.counts.fetched, h.listed().active);
});

test("429 with a Retry-After above the cap fails at once as ERR_API_THROTTLED instead of hanging", async () => {
  h.tenant.faults = { api: [{ at: 2, kind: "status", status: 429, retryAfter: 3_600 }] };
  const started = Date.now();
  const error = await failed("ERR_API_THROTTLED");
  assert.ok(Date.now() - started < 5_000);
  assert.match(error.message, /3600 s/);
  assertHonestPartial(error, true);
});

for (const status of [500, 502, 503, 504]) {
  test(`${status} once: retried with back-off, the sync completes`, async () => {
    h.tenant.faults = { api: [{ at: 2, kind: "status", status }] };
    const result = await complete();
    assert.equal(result.summary.http.retries, 1);
    assert.equal(result.summary.counts.fetched, h.listed().active);
  });
}

test("500 on every retry: ERR_API_SERVER after the bounded retries, partial and honest", async () => {
  h.tenant.faults = { api: [{ at: 2, kind: "status", status: 500, repeat: true }] };
  h.tenant.stats.requestLog.length = 0;
  const error = await failed("ERR_API_SERVER");
  // The page that failed first was asked for once and retried four times; a page in flight beside it may have been retried too.
  const failedPaths = h.tenant.stats.requestLog.filter((entry) => entry.status === 500).map((entry) => entry.path);
  const tries = Math.max(...[...new Set(failedPaths)].map((path) => failedPaths.filter((p) => p === path).length));
  assert.equal(tries, 5, "one call and four retries of the page that failed");
  assert.ok((error.partial?.summary.http.retries ?? 0) >= 4);
  assertHonestPartial(error, true);
});

test("connection reset mid-body: retried, the sync completes", async () => {
  h.tenant.faults = { api: [{ at: 2, kind: "reset-mid-body" }] };
  const result = await complete();
  assert.equal(result.summary.counts.fetched, h.listed().active);
  assert.ok(result.summary.http.retries >= 1);
});

test("a truncated JSON page: ERR_API_BAD_RESPONSE naming the page, partial", async () => {
  h.tenant.faults = { api: [{ at: 3, kind: "truncated-json" }] };
  h.tenant.stats.faultsApplied.length = 0;
  const error = await failed("ERR_API_BAD_RESPONSE");
  // The third call is page 3 or, when page 4's call overtook it (two pages in flight), page 4.
  const truncated = h.tenant.stats.faultsApplied.find((fault) => fault.kind === "truncated-json");
  const skip = Number(new URL(truncated?.path ?? "", "https://x").searchParams.get("$skip"));
  assert.match(error.message, new RegExp(`^Page ${skip / (PAGE - 1) + 1} of the machine list was not valid`));
  assertHonestPartial(error, true);
});

test("an HTML page from a proxy instead of JSON: ERR_API_BAD_RESPONSE", async () => {
  h.tenant.faults = { api: [{ at: 1, kind: "html" }] };
  const error = await failed("ERR_API_BAD_RESPONSE");
  assert.match(error.message, /not JSON/);
  assertHonestPartial(error, false);
});

test("a slow page: the response timeout fires and the retry succeeds", async () => {
  h.tenant.faults = { api: [{ at: 2, kind: "delay", ms: 3_000 }] };
  const result = await complete();
  assert.ok(result.summary.http.retries >= 1);
});

test("a server that stays slow: ERR_API_NETWORK (timeout) after the retries", async () => {
  h.tenant.faults = { api: [{ at: 1, kind: "delay", ms: 3_000, repeat: true }] };
  const error = await failed("ERR_API_NETWORK");
  assert.match(error.message, /did not answer in time/);
  assertHonestPartial(error, false);
});

test("token revoked mid-run: one fresh token, one retry, the sync completes", async () => {
  const tokensBefore = h.tenant.stats.tokenRequests;
  h.tenant.faults = { api: [{ at: 2, kind: "revoke-token" }] };
  const result = await complete();
  assert.equal(h.tenant.stats.tokenRequests - tokensBefore, 2);
  assert.equal(result.summary.counts.fetched, h.listed().active);
  assert.ok(h.events.some((e) => e.code === "DEFENDER_TOKEN_REFRESHED"));
});

test("token revoked mid-run and the fresh sign-in failing: the sign-in's error, partial and honest", async () => {
  h.tenant.faults = { api: [{ at: 2, kind: "revoke-token" }], token: [{ at: 2, kind: "status", status: 503, repeat: true }] };
  const error = await failed("ERR_AUTH_UNAVAILABLE");
  assertHonestPartial(error, true);
});

test("devices added and removed between pages (offset drift): none lost, none twice, the drift reported", async () => {
  h.tenant.faults = {
    api: [
      { at: 2, kind: "drift", insert: 3 },
      { at: 3, kind: "drift", remove: 4 },
    ],
  };
  const result = await complete({ includeInactive: true });
  const ids = result.records.map((r) => r.sourceId);
  assert.equal(new Set(ids).size, ids.length, "no device twice");
  const now = h.tenant.machines().map((m) => String(m["id"]));
  const missing = now.filter((id) => !ids.includes(id));
  assert.deepEqual(missing, [], "every device in the list after the drift was read");
  const warning = result.warnings.find((w) => w.code === "DEFENDER_LIST_CHANGED");
  assert.ok(warning, "the drift is reported");
  h.tenant.faults = {};
});

test("a nextLink to another origin is refused: the token is never sent there and the run fails", async () => {
  let foreignHits = 0;
  const foreign = createServer((socket) => {
    foreignHits += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => foreign.listen(0, "127.0.0.1", resolve));
  const port = (foreign.address() as { port: number }).port;
  h.tenant.faults = { api: [{ at: 1, kind: "nextlink-foreign-origin", origin: `https://127.0.0.1:${port}` }] };
  const error = await failed("ERR_API_PAGING");
  assert.match(error.message, /another origin/);
  assert.equal(foreignHits, 0);
  foreign.close();
  assertHonestPartial(error, true);
});

test("a nextLink to plain http on the API's own host and port is refused: the token is never sent in clear", async () => {
  h.tenant.faults = { api: [{ at: 1, kind: "nextlink-plain-http" }] };
  const error = await failed("ERR_API_PAGING");
  assert.match(error.message, /another origin \(http:\/\/127\.0\.0\.1:\d+\)/);
  assertHonestPartial(error, true);
});

test("an error body that echoes the request's bearer token: the token reaches neither the error, the partial result nor the task log", async () => {
  const issued: string[] = [];
  const env = {
    ...h.env,
    tokens: (request: Parameters<typeof h.env.tokens>[0]) => {
      const provider = h.env.tokens(request);
      return {
        ...provider,
        getToken: (options?: { readonly forceRefresh?: boolean }) => async () => {
          const got = await provider.getToken(options)();
          if (got._tag === "Right") issued.push(got.right.token);
          return got;
        },
      };
    },
  };
  h.tenant.faults = { api: [{ skip: PAGE - 1, kind: "echo-request" }] };
  h.events.length = 0;
  const outcome = await defender365.run({ mode: "probe", credential: h.credential(), options: h.options({ pageSize: PAGE }), assets }, env)();
  assert.equal(outcome._tag, "Left");
  if (outcome._tag !== "Left") return;
  assert.equal(outcome.left.code, "ERR_API_BAD_RESPONSE");
  assert.match(
    outcome.left.message,
    /The API said: "Request not accepted\. Authorization: Bearer <redacted>; token: <redacted/,
    "the body's message is passed on, scrubbed",
  );
  assertHonestPartial(outcome.left, true);
  assert.ok(issued.length > 0);
  const seen = JSON.stringify({ error: outcome.left, partial: outcome.left.partial, events: h.events });
  for (const token of issued) assert.ok(!seen.includes(token), "the bearer token is nowhere in what the run returns or logs");
});

test("a server that answers the first page for every $skip is stopped at the second page", async () => {
  h.tenant.faults = { api: [{ kind: "ignore-skip", repeat: true }] };
  // A small maxDevices bounds the run should the check fail, instead of reading pages without end.
  const error = await failed("ERR_API_PAGING", { maxDevices: 2_000 });
  assert.match(error.message, /not honouring \$skip/);
  assert.ok((error.partial?.summary.http.requests ?? Infinity) <= 4, `${error.partial?.summary.http.requests} requests`);
  assertHonestPartial(error, true);
});

test("a full page whose devices all fail decoding is new devices, not a server ignoring $skip: the run completes", async () => {
  h.tenant.faults = {
    api: Array.from({ length: PAGE }, (_, index) => ({ skip: PAGE - 1, kind: "broken-record" as const, index, field: "healthStatus", value: 42 })),
  };
  const result = await complete();
  assert.equal(result.summary.counts.invalid, PAGE - 1, "the page's devices but the one it shares with the page before");
  assert.ok(result.summary.http.requests >= 3);
});

test("a nextLink loop is caught: a link back to the same page does not continue the list", async () => {
  h.tenant.faults = { api: [{ at: 1, kind: "nextlink-loop", repeat: true }] };
  const error = await failed("ERR_API_PAGING");
  assert.match(error.message, /does not continue the list where the page ended/);
});

test("a broken device record is skipped, counted and reported with its path; the run completes", async () => {
  h.tenant.faults = { api: [{ at: 2, kind: "broken-record", index: 4, field: "healthStatus", value: 42 }] };
  const result = await complete();
  assert.equal(result.summary.counts.invalid, 1);
  const warning = result.warnings.find((w) => w.code === "DEFENDER_INVALID_DEVICE");
  assert.match(warning?.path ?? "", /page 2 › value\[\d+\]\.healthStatus/);
  assert.match(warning?.message ?? "", /got number/);
  assert.doesNotMatch(warning?.message ?? "", /\b42\b/, "values are not echoed");
});

test("a field and a health value Microsoft adds later keep the device", async () => {
  h.tenant.faults = { api: [{ at: 1, kind: "unknown-field", field: "deviceCategory2027", value: { tier: "gold" }, healthStatus: "Hibernating", index: 0 }] };
  const result = await complete({ includeInactive: true });
  assert.equal(result.summary.counts.invalid, 0);
  const record = result.records.find((r) => r.attributes["healthStatus"] === "Hibernating");
  assert.ok(record, "the device with the new health value is kept");
  assert.equal(record.controls["edr"] === "not-onboarded" || record.controls["edr"] === "unhealthy", true);
  assert.equal(record.attributes["deviceCategory2027.tier"], "gold");
});

test("cancellation stops within a second, keeps what was read, and is marked partial", async () => {
  h.tenant.faults = { api: [{ at: 2, kind: "delay", ms: 10_000 }] };
  // The file's earlier runs may have used up the minute's calls: start once the budget lets a call go, so that a page is read before the cancel.
  const budget = h.env.budgets.for(h.credential().tenantId, h.credential().clientId);
  await new Promise((resolve) => setTimeout(resolve, budget.waitMs()));
  const controller = new AbortController();
  const pending = run({}, controller.signal);
  await new Promise((resolve) => setTimeout(resolve, 400));
  const abortedAt = Date.now();
  controller.abort(new Error("user cancelled"));
  const outcome = await pending;
  assert.ok(Date.now() - abortedAt < 1_000, `stopped in ${Date.now() - abortedAt} ms`);
  assert.equal(outcome._tag, "Left");
  if (outcome._tag !== "Left") return;
  assert.equal(outcome.left.code, "ERR_CANCELLED");
  assertHonestPartial(outcome.left, true);
});

test("cancelled while correlating a complete read: ERR_CANCELLED, still a record for every device read, incomplete with no missing verdict", async () => {
  const controller = new AbortController();
  const env = {
    ...h.env,
    taskLog: (event: TaskLogEvent) => {
      if (event.code === "DEFENDER_CORRELATING") controller.abort(new Error("user cancelled")); // every page is read by now
    },
  };
  const outcome = await defender365.run(
    { mode: "probe", credential: h.credential(), options: h.options({ pageSize: PAGE }), assets, signal: controller.signal },
    env,
  )();
  assert.equal(outcome._tag, "Left");
  if (outcome._tag !== "Left") return;
  assert.equal(outcome.left.code, "ERR_CANCELLED");
  const partial = outcome.left.partial;
  assert.ok(partial);
  const { summary, records } = partial;
  assert.equal(summary.complete, false);
  assert.equal(summary.counts.fetched, h.listed().active, "every page had been read");
  assert.equal(records.length, summary.counts.matched + summary.counts.created, "a record for every device kept");
  assert.ok(summary.counts.matched > 0, "devices were matched to assets: correlation ran to its end");
  assert.equal(summary.coverage.edr?.missing, 0);
  assert.ok(runCoverage(summary).protected > 0, "a protected asset stays protected");
});

test("an empty tenant (404 with Defender's body) is a complete run with no devices", async () => {
  const empty = await startHarness({ devices: 0 });
  try {
    const outcome = await defender365.run({ mode: "connector", credential: empty.credential(), options: empty.options(), assets: [] }, empty.env)();
    assert.equal(outcome._tag, "Right");
    if (outcome._tag === "Right") assert.equal(outcome.right.summary.counts.fetched, 0);
  } finally {
    await empty.tenant.close();
  }
});

test("a wrong API URL (404 without Defender's body): ERR_API_NOT_FOUND, never 'no devices'", async () => {
  const error = await failed("ERR_API_NOT_FOUND", { apiBaseUrl: `${h.tenant.apiBaseUrl}/wrong-region` });
  assert.match(error.hint, /apiBaseUrl/);
  assertHonestPartial(error, false);
});

test("a route the API does not have (404 NotFound in Defender's error shape): ERR_API_NOT_FOUND, never 'no devices'", async () => {
  const error = await failed("ERR_API_NOT_FOUND", { apiBaseUrl: `${h.tenant.apiBaseUrl}/api/v1.0` });
  assert.match(error.hint, /apiBaseUrl/);
  assertHonestPartial(error, false);
});

test("the token endpoint failing (503): ERR_AUTH_UNAVAILABLE, nothing read, no verdict of missing", async () => {
  h.tenant.faults = { token: [{ at: 1, kind: "status", status: 503 }] };
  const error = await failed("ERR_AUTH_UNAVAILABLE");
  assertHonestPartial(error, false);
});

test("the token endpoint throttling (429): ERR_AUTH_UNAVAILABLE with advice to wait", async () => {
  h.tenant.faults = { token: [{ at: 1, kind: "status", status: 429, retryAfter: 1 }] };
  const error = await failed("ERR_AUTH_UNAVAILABLE");
  assert.match(error.hint, /try again/);
});
