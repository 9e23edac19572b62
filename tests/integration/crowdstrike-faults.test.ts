/**
 * The CrowdStrike probe when Falcon misbehaves, over real HTTPS: a token that ends during a
 * long run, a revoked token, expired scroll and next tokens, 429 with RetryAfter, 5xx, an
 * error in a 200's body, a body cut short, and redirects of data calls.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Clock, ProbeResult } from "../../src/contract.js";
import type { ProbeError } from "../../src/engine/errors.js";
import { systemClock } from "../../src/runtime/clock.js";
import { startFalconHarness } from "./falcon-harness.js";

const COMBINED_PATH = "/devices/combined/devices/v1";
const SCROLL_PATH = "/devices/queries/devices-scroll/v1";

type Run = Awaited<ReturnType<Awaited<ReturnType<typeof startFalconHarness>>["run"]>>;
const complete = (result: Run): ProbeResult => {
  if (result._tag === "Left") assert.fail(`the run failed: ${result.left.code} ${result.left.message}`);
  assert.equal(result.right.summary.complete, true);
  return result.right;
};
const failed = (result: Run, code: string): ProbeError => {
  assert.equal(result._tag, "Left", "the run must fail");
  const error = result._tag === "Left" ? result.left : (undefined as never);
  assert.equal(error.code, code, error.message);
  assert.equal(error.partial?.summary.complete, false, "a failed run is never complete");
  assert.equal(error.partial?.summary.coverage["edr"]?.missing, 0, "a failed run calls no asset missing");
  return error;
};

test("a long run: the token is renewed before it ends (no 401), both clocks moving 12 minutes a page", async () => {
  // 12 minutes pass with each page the cloud answers, on both clocks at once. (Not with each page the run has worked
  // through: the next page's request is on its way by then, and the cloud, in this same process, would judge it late.)
  const served = { hosts: () => 0 };
  const now = () => Date.now() + 12 * 60_000 * Math.floor(served.hosts() / 50);
  const clock: Clock = { now, sleep: (ms, signal) => systemClock.sleep(ms, signal) };
  const h = await startFalconHarness(
    { hosts: 400, clock: now, knobs: { nextTtlMs: null } },
    {
      clock,
      taskLog: (event) => h.events.push(event),
    },
  );
  served.hosts = () => h.falcon.stats.hostsServed;
  try {
    const result = complete(await h.run({ options: { pageSize: 50, includeInactive: true } }));
    assert.equal(result.summary.counts.fetched, 400);
    assert.equal(h.falcon.stats.byStatus["401"], undefined, "no request was sent with an ended token");
    const renewals = h.events.filter((e) => e.code === "FALCON_TOKEN_RENEWED").length;
    assert.ok(renewals >= 2, `${renewals} renewals over 96 minutes of 30-minute tokens`);
    assert.equal(h.falcon.stats.tokensIssued, 1 + renewals);
  } finally {
    await h.close();
  }
});

test("a token revoked mid-run: one fresh token, the request again, the run complete", async () => {
  const h = await startFalconHarness({ hosts: 150, faults: [{ kind: "revoke-tokens", at: 2 }] });
  try {
    complete(await h.run({ options: { pageSize: 50 } }));
    assert.ok(h.events.some((e) => e.code === "FALCON_TOKEN_REFRESHED"));
    assert.equal(h.falcon.stats.tokensIssued, 2);
  } finally {
    await h.close();
  }
});

test("an expired scroll is started again: no host lost, none repeated", async () => {
  const h = await startFalconHarness({
    hosts: 250,
    knobs: { combinedUnavailable: 404, scrollOffsetChanges: true },
    faults: [{ kind: "expire-scroll", path: SCROLL_PATH, at: 3 }],
  });
  try {
    const result = complete(await h.run({ options: { pageSize: 60, includeInactive: true } }));
    const ids = result.records.map((r) => r.sourceId);
    assert.equal(ids.length, 250);
    assert.equal(new Set(ids).size, 250);
    assert.equal(result.summary.counts.duplicates, 0);
    assert.ok(result.warnings.some((w) => w.code === "FALCON_LIST_RESTARTED"));
    assert.ok(h.falcon.stats.faultsApplied.some((f) => f.kind === "expire-scroll"));
  } finally {
    await h.close();
  }
});

test("an expired next token is started again: no host lost, repeats dropped by device_id", async () => {
  const h = await startFalconHarness({ hosts: 250, faults: [{ kind: "expire-scroll", path: COMBINED_PATH, at: 3 }] });
  try {
    const result = complete(await h.run({ options: { pageSize: 60, includeInactive: true } }));
    assert.equal(new Set(result.records.map((r) => r.sourceId)).size, 250);
    assert.equal(result.records.length, 250);
    assert.equal(result.summary.counts.duplicates, 120, "the two pages read before the token expired, read again");
  } finally {
    await h.close();
  }
});

test("a token that keeps expiring fails the run as a paging error, never complete", async () => {
  const h = await startFalconHarness({ hosts: 250, faults: [{ kind: "expire-scroll", path: COMBINED_PATH, at: 2, repeat: true }] });
  try {
    const error = failed(await h.run({ options: { pageSize: 60 } }), "ERR_API_PAGING");
    assert.match(error.message, /expired \(HTTP 400\) again after the list was read from its start 3 times/);
  } finally {
    await h.close();
  }
});

test("429: waits until X-RateLimit-RetryAfter (seconds, or milliseconds), then goes on", async () => {
  for (const unit of ["seconds", "milliseconds"] as const) {
    const h = await startFalconHarness({ hosts: 100, knobs: { retryAfterUnit: unit }, faults: [{ kind: "status", status: 429, retryAfterSeconds: 1, at: 2 }] });
    try {
      const started = Date.now();
      const result = complete(await h.run({ options: { pageSize: 50 } }));
      assert.equal(result.summary.http.throttled, 1);
      assert.equal(result.summary.http.retries, 1);
      // The harness's back-off is at most 200 ms: a longer wait is the RetryAfter honoured.
      assert.ok(Date.now() - started >= 500, `${unit}: the retry waited for RetryAfter`);
    } finally {
      await h.close();
    }
  }
});

test("429 asking for a wait past the cap: fails at once as throttled, with the trace id", async () => {
  const h = await startFalconHarness({ hosts: 100, faults: [{ kind: "status", status: 429, retryAfterSeconds: 3600, at: 1 }] });
  try {
    const error = failed(await h.run(), "ERR_API_THROTTLED");
    assert.match(error.message, /Trace id: [0-9a-f-]{36}\./);
    assert.equal(h.falcon.stats.byEndpoint["GET /devices/combined/devices/v1"], 1);
  } finally {
    await h.close();
  }
});

test("5xx: retried with back-off; on every retry, the server error with the trace id", async () => {
  const h = await startFalconHarness({ hosts: 100, faults: [{ kind: "status", status: 502, at: 1, times: 2 }] });
  try {
    const result = complete(await h.run());
    assert.equal(result.summary.http.retries, 2);
    h.falcon.setFaults([{ kind: "status", status: 500, repeat: true }]);
    const error = failed(await h.run(), "ERR_API_SERVER");
    assert.match(error.message, /Trace id: /);
  } finally {
    await h.close();
  }
});

test("a 200 whose body carries errors is not a page: the run fails, naming Falcon's error and the trace id", async () => {
  const h = await startFalconHarness({ hosts: 100, faults: [{ kind: "errors-on-200", at: 2 }] });
  try {
    const error = failed(await h.run({ options: { pageSize: 40 } }), "ERR_API_SERVER");
    assert.match(error.message, /HTTP 200 with an error in its body.*Trace id: /);
    assert.equal(error.partial?.summary.counts.fetched, 40, "the page before is kept");
    h.falcon.setFaults([{ kind: "errors-on-200", code: 403, message: "access denied, scope not permitted", at: 1 }]);
    failed(await h.run(), "ERR_FALCON_SCOPE_MISSING");
  } finally {
    await h.close();
  }
});

test("a body cut short: asked for once more; cut twice, the run fails as a bad response", async () => {
  const h = await startFalconHarness({ hosts: 100, faults: [{ kind: "truncated", at: 2 }] });
  try {
    const result = complete(await h.run({ options: { pageSize: 40, includeInactive: true } }));
    assert.equal(new Set(result.records.map((r) => r.sourceId)).size, 100);
    h.falcon.setFaults([{ kind: "truncated", at: 2, times: 2 }]);
    failed(await h.run({ options: { pageSize: 40 } }), "ERR_API_BAD_RESPONSE");
  } finally {
    await h.close();
  }
});

test("a data call redirected elsewhere: refused, naming where; the token never goes there", async () => {
  const h = await startFalconHarness({ hosts: 100, faults: [{ kind: "redirect", at: 2 }] });
  try {
    const error = failed(await h.run({ options: { pageSize: 40 } }), "ERR_FALCON_REDIRECT");
    assert.match(error.message, /to https:\/\/falcon\.attacker\.example\)/);
    // To another origin that would answer (another cloud of the simulator): not one request reaches it.
    const other = h.falcon.clouds["eu-1"] ?? "";
    h.falcon.setFaults([{ kind: "redirect", status: 308, location: `${other}${COMBINED_PATH}`, at: 1 }]);
    failed(await h.run(), "ERR_FALCON_REDIRECT");
    assert.equal(h.falcon.stats.byRegion["eu-1"], undefined);
  } finally {
    await h.close();
  }
});

test("a token request redirected to a host that is not Falcon's: refused, the secret not sent there", async () => {
  const h = await startFalconHarness({ hosts: 20 });
  try {
    const other = new URL(h.falcon.clouds["eu-1"] ?? "");
    h.falcon.setFaults([{ kind: "redirect", target: "token", status: 308, location: `https://localhost:${other.port}/oauth2/token` }]);
    const error = failed(await h.run(), "ERR_FALCON_REDIRECT");
    assert.match(error.message, /not a Falcon API host/);
    assert.equal(h.falcon.stats.byRegion["eu-1"], undefined);
  } finally {
    await h.close();
  }
});
