import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { startSimulatedTenant, type SimulatedTenant } from "../../src/simulator/index.js";
import { body, httpFor, postToken, secretForm, tokenFor } from "./helpers.js";

interface Page {
  value: Record<string, unknown>[];
  "@odata.nextLink"?: string;
}

let tenant: SimulatedTenant;
let token: string;

before(async () => {
  tenant = await startSimulatedTenant({ seed: 5, devices: 30, pageCap: 10, rateLimit: false });
  token = await tokenFor(tenant);
});
after(() => tenant.close());
beforeEach(() => {
  tenant.faults = {};
});

const api = (query = "") => httpFor(tenant)(`${tenant.apiBaseUrl}/api/machines${query}`, { headers: { authorization: `Bearer ${token}` } });

test("status faults stand in for the Nth API request, with Retry-After; then the service is back", async () => {
  tenant.faults = {
    api: [
      { at: 2, kind: "status", status: 429, retryAfter: 1 },
      { at: 3, kind: "status", status: 503 },
      { at: 4, kind: "status", status: 500 },
    ],
  };
  assert.equal((await api()).statusCode, 200);
  const throttled = await api();
  assert.equal(throttled.statusCode, 429);
  assert.equal(throttled.headers["retry-after"], "1");
  assert.equal(body<{ error: { code: string } }>(throttled).error.code, "429");
  const unavailable = await api();
  assert.equal(unavailable.statusCode, 503);
  assert.equal(body<{ error: { code: string } }>(unavailable).error.code, "ServiceUnavailable");
  assert.equal((await api()).statusCode, 500);
  assert.equal((await api()).statusCode, 200);
  assert.deepEqual(
    tenant.stats.faultsApplied.slice(-3).map((f) => [f.target, f.request, f.kind]),
    [
      ["api", 2, "status"],
      ["api", 3, "status"],
      ["api", 4, "status"],
    ],
  );
});

test("repeat: endless 429 or 500 from request N on; times: exactly N requests", async () => {
  tenant.faults = { api: [{ at: 2, kind: "status", status: 500, repeat: true }] };
  const statuses = [];
  for (let k = 0; k < 5; k++) statuses.push((await api()).statusCode);
  assert.deepEqual(statuses, [200, 500, 500, 500, 500]);
  tenant.faults = { api: [{ kind: "status", status: 429, retryAfter: 2, times: 2 }] };
  const again = [];
  for (let k = 0; k < 3; k++) again.push((await api()).statusCode);
  assert.deepEqual(again, [429, 429, 200], "a new plan restarts the count; no `at` means from the first request");
});

test("skip-addressed faults hit the request for that offset only", async () => {
  tenant.faults = { api: [{ skip: 10, kind: "status", status: 503, times: 2 }] };
  assert.equal((await api("?$skip=0&$top=10")).statusCode, 200);
  assert.equal((await api("?$skip=10&$top=10")).statusCode, 503);
  assert.equal((await api("?$top=10&$skip=20")).statusCode, 200);
  assert.equal((await api("?$skip=10&$top=10")).statusCode, 503);
  assert.equal((await api("?$skip=10&$top=10")).statusCode, 200);
});

test("reset-mid-body drops the connection; truncated-json sends a complete response with half a JSON body", async () => {
  tenant.faults = {
    api: [
      { at: 1, kind: "reset-mid-body" },
      { at: 2, kind: "truncated-json" },
    ],
  };
  await assert.rejects(api(), (e: Error & { code?: string }) =>
    /ECONNRESET|ERR_STREAM_PREMATURE_CLOSE|aborted|socket hang up|terminated/i.test(`${e.code} ${e.message}`),
  );
  const truncated = await api();
  assert.equal(truncated.statusCode, 200);
  assert.equal(truncated.headers["content-length"], String(Buffer.byteLength(truncated.body)));
  assert.throws(() => JSON.parse(truncated.body), SyntaxError);
  assert.ok(truncated.body.startsWith('{"@odata.context"'));
  assert.equal((await api()).statusCode, 200);
});

test("html: a proxy page with status 200 (or another status)", async () => {
  tenant.faults = {
    api: [
      { at: 1, kind: "html" },
      { at: 2, kind: "html", status: 502 },
    ],
  };
  const page = await api();
  assert.equal(page.statusCode, 200);
  assert.match(String(page.headers["content-type"]), /^text\/html/);
  assert.match(page.body, /^<!DOCTYPE html>/);
  assert.equal((await api()).statusCode, 502);
});

test("delay: the response waits", async () => {
  tenant.faults = { api: [{ at: 1, kind: "delay", ms: 300 }] };
  const started = Date.now();
  assert.equal((await api()).statusCode, 200);
  assert.ok(Date.now() - started >= 290);
});

test("revoke-token: 401 once, then every earlier token is refused and a new one works", async () => {
  tenant.faults = { api: [{ at: 1, kind: "revoke-token" }] };
  const first = await api();
  assert.equal(first.statusCode, 401);
  assert.equal(first.headers["www-authenticate"], "Bearer");
  assert.equal((await api()).statusCode, 401, "the old token is revoked");
  token = await tokenFor(tenant);
  assert.equal((await api()).statusCode, 200);
});

test("nextlink-foreign-origin and nextlink-loop corrupt the page's nextLink (even with $top)", async () => {
  tenant.faults = {
    api: [
      { at: 1, kind: "nextlink-foreign-origin" },
      { at: 2, kind: "nextlink-loop" },
      { at: 3, kind: "nextlink-foreign-origin", origin: "https://evil.test:8443" },
    ],
  };
  const foreign = body<Page>(await api());
  assert.equal(foreign["@odata.nextLink"], "https://attacker.example/api/machines?$skip=10");
  const loop = body<Page>(await api("?$top=5&$skip=5"));
  assert.equal(loop["@odata.nextLink"], `${tenant.origin}/api/machines?$top=5&$skip=5`);
  assert.match(body<Page>(await api())["@odata.nextLink"] ?? "", /^https:\/\/evil\.test:8443\//);
});

test("drift: devices appear and disappear before the requested offset; $skip paging then duplicates or misses devices", async () => {
  const drifting = await startSimulatedTenant({ seed: 6, devices: 30, pageCap: 10, rateLimit: false });
  try {
    const t = await tokenFor(drifting);
    const get = (q: string) => httpFor(drifting)(`${drifting.apiBaseUrl}/api/machines${q}`, { headers: { authorization: `Bearer ${t}` } });
    const before = drifting.machines().map((m) => String(m["id"]));
    drifting.faults = { api: [{ skip: 10, kind: "drift", insert: 5, remove: 3 }] };
    const p1 = body<Page>(await get("?$top=10&$skip=0")).value.map((m) => String(m["id"]));
    const p2 = body<Page>(await get("?$top=10&$skip=10")).value.map((m) => String(m["id"]));
    const after = drifting.machines().map((m) => String(m["id"]));
    assert.equal(after.length, 32, "30 - 3 + 5");
    assert.deepEqual([...after].sort(), after, "still ordered by id");
    assert.deepEqual(p1, before.slice(0, 10));
    assert.deepEqual(p2, after.slice(10, 20));
    const inserted = after.filter((id) => !before.includes(id));
    assert.equal(inserted.length, 5);
    assert.deepEqual(
      before.filter((id) => !after.includes(id)),
      before.slice(7, 10),
      "the 3 devices just before the offset left",
    );
    assert.ok(
      p2.some((id) => p1.includes(id) || inserted.includes(id)),
      "the client sees a device twice or a new one in its next page",
    );
    const newcomer = drifting.machines().find((m) => m["id"] === inserted[0]) ?? {};
    assert.equal(Object.keys(newcomer).length, 32, "a complete record");
  } finally {
    await drifting.close();
  }
});

test("broken-record and unknown-field change one page only", async () => {
  tenant.faults = {
    api: [
      { at: 1, kind: "broken-record", index: 4, field: "healthStatus", value: 42 },
      { at: 2, kind: "unknown-field" },
      { at: 3, kind: "unknown-field", field: "riskFactors2030", value: [1, 2], healthStatus: "Dormant", index: 2 },
    ],
  };
  const broken = body<Page>(await api()).value;
  assert.equal(broken[4]?.["healthStatus"], 42);
  assert.notEqual(broken[3]?.["healthStatus"], 42);
  const unknown = body<Page>(await api()).value;
  assert.ok(unknown.every((m) => typeof m["newField2027"] === "object" && m["newField2027"] !== null));
  assert.equal(unknown[0]?.["healthStatus"], "Hibernated");
  const custom = body<Page>(await api()).value;
  assert.deepEqual(custom[1]?.["riskFactors2030"], [1, 2]);
  assert.equal(custom[2]?.["healthStatus"], "Dormant");
  const clean = body<Page>(await api()).value;
  assert.ok(clean.every((m) => !("newField2027" in m) && typeof m["healthStatus"] === "string"));
});

test("token faults: 429 with Retry-After, 503 and a catalogue AADSTS error, each with Entra's body; counted separately from API faults", async () => {
  tenant.faults = {
    token: [
      { at: 1, kind: "status", status: 429, retryAfter: 1 },
      { at: 2, kind: "status", status: 503 },
      { at: 3, kind: "aadsts", code: 7000215 },
    ],
    api: [{ at: 1, kind: "status", status: 500 }],
  };
  const throttled = await postToken(tenant, secretForm(tenant));
  assert.equal(throttled.statusCode, 429);
  assert.equal(throttled.headers["retry-after"], "1");
  assert.equal(body(throttled)["error"], "temporarily_unavailable");
  const down = await postToken(tenant, secretForm(tenant));
  assert.equal(down.statusCode, 503);
  assert.match(String(body(down)["error_description"]), /^AADSTS\d+: /);
  const secret = await postToken(tenant, secretForm(tenant));
  assert.equal(secret.statusCode, 401);
  assert.deepEqual(body(secret)["error_codes"], [7000215]);
  assert.equal((await postToken(tenant, secretForm(tenant))).statusCode, 200);
  assert.equal((await api()).statusCode, 500, "API requests count on their own");
});

test("token body faults and delays", async () => {
  tenant.faults = {
    token: [
      { at: 1, kind: "truncated-json" },
      { at: 2, kind: "html" },
      { at: 3, kind: "delay", ms: 200 },
    ],
  };
  const cut = await postToken(tenant, secretForm(tenant));
  assert.equal(cut.statusCode, 200);
  assert.throws(() => JSON.parse(cut.body), SyntaxError);
  assert.match(String((await postToken(tenant, secretForm(tenant))).headers["content-type"]), /^text\/html/);
  const started = Date.now();
  assert.equal((await postToken(tenant, secretForm(tenant))).statusCode, 200);
  assert.ok(Date.now() - started >= 190);
});

test("an invalid fault plan is refused with the field named", () => {
  assert.throws(() => {
    tenant.faults = { api: [{ at: 0, kind: "status", status: 500 }] };
  }, /faults\.api\[0\]\.at/);
  assert.throws(() => {
    tenant.faults = { api: [{ kind: "status", status: 42 }] };
  }, /faults\.api\[0\]\.status/);
  assert.throws(() => {
    tenant.faults = { token: [{ kind: "drift" } as never] };
  }, /faults\.token\[0\]\.kind/);
  assert.throws(() => {
    tenant.faults = { token: [{ kind: "html", skip: 1 } as never] };
  }, /faults\.token\[0\]\.skip/);
  tenant.faults = { api: [] };
  tenant.faults.api?.push({ at: 1, kind: "status", status: 418 });
  assert.equal(tenant.faults.api?.length, 1, "the plan object can be extended in place");
});
