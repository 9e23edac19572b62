/** The pure rules of the CrowdStrike probe: RetryAfter, pacing, redirects, regions, paging decisions, error classification. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { pauseForRemaining, retryAfterWaitMs } from "../../../src/probes/crowdstrike/rate-limits.js";
import { cloudOfRegion, redirectDecision } from "../../../src/probes/crowdstrike/clouds.js";
import { nextToken, paginationProblem, recovery, totalMismatch, MAX_RESTARTS } from "../../../src/probes/crowdstrike/paging.js";
import { dataCallError, errorsOf, signInError, statusOfAnswer, type FalconAnswer } from "../../../src/probes/crowdstrike/api-errors.js";
import { isEnding, renewMarginMs } from "../../../src/probes/crowdstrike/sign-in.js";
import { CROWDSTRIKE_ERROR_CODES } from "../../../src/probes/crowdstrike/error-codes.js";
import { ERROR_CODES } from "../../../src/engine/errors.js";

const NOW = Date.parse("2026-06-01T12:00:00Z");

test("RetryAfter: epoch seconds, or milliseconds above 1e12; past times wait only the margin; junk is no value", () => {
  assert.equal(retryAfterWaitMs(String(NOW / 1000 + 3), NOW, 0), 3000);
  assert.equal(retryAfterWaitMs(String(NOW + 2500), NOW, 0), 2500);
  assert.equal(retryAfterWaitMs(String(NOW / 1000 - 10), NOW, 250), 250);
  assert.equal(retryAfterWaitMs(String(NOW / 1000 + 1), NOW), 1250);
  for (const junk of [undefined, "", "soon", "-5", "NaN"]) assert.equal(retryAfterWaitMs(junk, NOW), undefined, String(junk));
});

test("pacing: a pause when the window is nearly spent", () => {
  assert.deepEqual(["6000", "11", "10", "6", "5", "0", undefined, "x"].map(pauseForRemaining), [0, 0, 200, 200, 500, 500, 0, 0]);
});

test("token renewal: a quarter of a short lifetime, at most 3 minutes, before the end", () => {
  assert.equal(renewMarginMs(1_799_000), 180_000);
  assert.equal(renewMarginMs(8_000), 2_000);
  const clock = { now: () => NOW, sleep: async () => undefined };
  assert.equal(isEnding({ token: "t", expiresAt: NOW + 181_000, lifetimeMs: 1_799_000 }, clock), false);
  assert.equal(isEnding({ token: "t", expiresAt: NOW + 179_000, lifetimeMs: 1_799_000 }, clock), true);
});

test("redirect rule: only for auto, only https, only to a commercial Falcon host or the configured host name, only to the token path", () => {
  const from = "https://api.crowdstrike.com/oauth2/token";
  const us1 = "https://api.crowdstrike.com";
  assert.deepEqual(redirectDecision("https://api.us-2.crowdstrike.com/oauth2/token", from, us1, "auto"), {
    follow: true,
    apiBaseUrl: "https://api.us-2.crowdstrike.com",
  });
  assert.equal(redirectDecision("https://api.us-2.crowdstrike.com/oauth2/token", from, us1, "us-1").follow, false);
  assert.equal(redirectDecision("http://api.us-2.crowdstrike.com/oauth2/token", from, us1, "auto").follow, false);
  assert.equal(redirectDecision("https://evil.example/oauth2/token", from, us1, "auto").follow, false);
  assert.equal(redirectDecision("https://api.crowdstrike.com.evil.example/oauth2/token", from, us1, "auto").follow, false);
  assert.equal(redirectDecision("https://api.laggar.gcw.crowdstrike.com/oauth2/token", from, us1, "auto").follow, false);
  assert.equal(redirectDecision("https://api.us-2.crowdstrike.com/devices", from, us1, "auto").follow, false);
  assert.equal(redirectDecision(undefined, from, us1, "auto").follow, false);
  assert.equal(redirectDecision("https://user:pw@api.us-2.crowdstrike.com/oauth2/token", from, us1, "auto").follow, false);
  // the simulator's clouds: one host name, one port each
  const sim = "https://127.0.0.1:9001";
  assert.deepEqual(redirectDecision("https://127.0.0.1:9002/oauth2/token", `${sim}/oauth2/token`, sim, "auto"), {
    follow: true,
    apiBaseUrl: "https://127.0.0.1:9002",
  });
  assert.deepEqual(redirectDecision("/oauth2/token", `${sim}/oauth2/token`, sim, "auto"), { follow: true, apiBaseUrl: sim });
  assert.equal(redirectDecision("https://localhost:9002/oauth2/token", `${sim}/oauth2/token`, sim, "auto").follow, false);
});

test("regions: X-Cs-Region in its spellings", () => {
  assert.deepEqual(["us-2", "US2", "eu-1", "gov1", "us-gov-2", "us-3", "mars", undefined].map(cloudOfRegion), [
    "us-2",
    "us-2",
    "eu-1",
    "us-gov-1",
    "us-gov-2",
    "us-3",
    undefined,
    undefined,
  ]);
});

const answer = (status: number, message?: string): { status: number; answer: FalconAnswer } => ({
  status,
  answer: { errors: message === undefined ? [] : [{ code: status, message }], traceId: "trace-1" },
});

test("paging decisions: GovCloud's missing combined endpoint, expired tokens, the documented end", () => {
  assert.equal(recovery(answer(404, "Not Found"), "combined", undefined, false, 0), "scroll");
  assert.equal(recovery(answer(403, "forbidden"), "combined", undefined, false, 0), "scroll");
  assert.equal(recovery(answer(403, "access denied, scope not permitted"), "combined", undefined, false, 0), "fail");
  assert.equal(recovery(answer(403, "access denied, authorization failed"), "combined", undefined, false, 0), "scroll"); // the scroll then says which
  assert.equal(recovery(answer(404), "combined", "next-2", true, 0), "fail");
  assert.equal(recovery(answer(400, "expired"), "combined", "next-2", true, 0), "restart");
  assert.equal(recovery(answer(400, "expired"), "scroll", "ptr", true, MAX_RESTARTS - 1), "restart");
  assert.equal(recovery(answer(400, "expired"), "scroll", "ptr", true, MAX_RESTARTS), "exhausted");
  assert.equal(recovery(answer(400, "bad filter"), "combined", undefined, false, 0), "fail");
  assert.equal(recovery(undefined, "combined", undefined, false, 0), "fail");
  assert.equal(nextToken({ next: "abc" }, "next"), "abc");
  assert.equal(nextToken({ next: "" }, "next"), null);
  assert.equal(nextToken({}, "next"), null);
  assert.equal(nextToken({ offset: "" }, "offset"), null);
  assert.equal(nextToken({ offset: "ptr" }, "offset"), "ptr");
  // The end is only the documented one: a page that does not say whether the list goes on is a bad page.
  for (const pagination of [{}, { next: "" }, { next: null }, { next: "abc" }, { next: 7 }]) assert.equal(paginationProblem(pagination, "next"), null);
  for (const pagination of [{ offset: "" }, { offset: "ptr" }]) assert.equal(paginationProblem(pagination, "offset"), null);
  assert.match(paginationProblem(null, "next") ?? "", /no meta\.pagination/);
  assert.match(paginationProblem({ next: { t: 1 } }, "next") ?? "", /next is an object, not a token/);
  assert.match(paginationProblem({ next: true }, "next") ?? "", /next is a boolean/);
  assert.match(paginationProblem({ total: 3 }, "offset") ?? "", /offset is absent/);
  assert.match(paginationProblem({ offset: 0 }, "offset") ?? "", /offset is a number/);
  assert.equal(totalMismatch(10, 10), null);
  assert.match(totalMismatch(12, 10) ?? "", /announced 12 hosts and 10/);
});

test("errors: status and body, trace id in every message, codes documented", () => {
  const ctx = { origin: "https://api.crowdstrike.com", secrets: ["tok-secret-123456"], region: "us-2" };
  const by = (status: number, message?: string) => dataCallError(status, answer(status, message).answer, ctx);
  assert.equal(by(401, "access denied, invalid bearer token").code, "ERR_FALCON_WRONG_CLOUD");
  assert.equal(by(403, "access denied, scope not permitted").code, "ERR_FALCON_SCOPE_MISSING");
  assert.equal(by(403, "access denied, authorization failed").code, "ERR_FALCON_IP_NOT_ALLOWED");
  assert.equal(by(403).code, "ERR_API_FORBIDDEN");
  assert.equal(by(429).code, "ERR_API_THROTTLED");
  assert.equal(by(503).code, "ERR_API_SERVER");
  assert.equal(by(308).code, "ERR_FALCON_REDIRECT");
  assert.equal(by(400, "invalid filter").code, "ERR_FALCON_BAD_REQUEST");
  for (const status of [401, 403, 404, 429, 500, 308, 400, 418]) assert.match(by(status).message, /Trace id: trace-1\./, String(status));
  assert.ok(!by(400, "echo tok-secret-123456 back").message.includes("tok-secret-123456"));
  assert.equal(signInError(403, answer(403, "Failed to issue access token - Not Authorized").answer, ctx).code, "ERR_FALCON_BAD_SECRET");
  assert.equal(signInError(400, answer(400, "Failed to generate access token for clientID=x").answer, ctx).code, "ERR_FALCON_UNKNOWN_CLIENT");
  assert.equal(signInError(403, answer(403, "access denied, authorization failed").answer, ctx).code, "ERR_FALCON_IP_NOT_ALLOWED");
  assert.equal(signInError(500, answer(500).answer, ctx).code, "ERR_AUTH_UNAVAILABLE");
  // a 200 with errors stands for its error's status
  assert.equal(statusOfAnswer(200, answer(403, "access denied, scope not permitted").answer), 403);
  assert.equal(statusOfAnswer(200, { errors: [{ code: null, message: "odd" }], traceId: null }), 200);
  assert.deepEqual(errorsOf({ errors: null }), []);
  assert.deepEqual(errorsOf({ errors: [{ code: 404, message: "gone", id: "x" }] }), [{ code: 404, message: "gone" }]);
  // every code the probe can produce is documented
  for (const code of [
    "ERR_FALCON_WRONG_CLOUD",
    "ERR_FALCON_SCOPE_MISSING",
    "ERR_FALCON_IP_NOT_ALLOWED",
    "ERR_FALCON_BAD_SECRET",
    "ERR_FALCON_UNKNOWN_CLIENT",
    "ERR_FALCON_REDIRECT",
    "ERR_FALCON_BAD_REQUEST",
    "ERR_AUTH_UNAVAILABLE",
    "ERR_API_PAGING",
    "ERR_API_BAD_RESPONSE",
    "ERR_API_NETWORK",
  ])
    assert.ok(Object.hasOwn(CROWDSTRIKE_ERROR_CODES, code) || Object.hasOwn(ERROR_CODES, code), code);
});
