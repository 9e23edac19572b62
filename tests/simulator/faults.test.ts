import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
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

test("nextlink-plain-http points the nextLink at http:// on the API's own host and port", async () => {
  tenant.faults = { api: [{ at: 1, kind: "nextlink-plain-http" }] };
  const link = body<Page>(await api())["@odata.nextLink"] ?? "";
  const url = new URL(link);
  assert.equal(url.protocol, "http:");
  assert.equal(url.host, new URL(tenant.apiBaseUrl).host);
  assert.equal(url.searchParams.get("$skip"), "10");
});

test("empty-page answers 200 with no device and no nextLink; ignore-skip serves the first page for any offset", async () => {
  tenant.faults = {
    api: [
      { at: 1, kind: "empty-page" },
      { skip: 20, kind: "ignore-skip", repeat: true },
    ],
  };
  const empty = await api("?$top=10&$skip=10");
  assert.equal(empty.statusCode, 200);
  assert.deepEqual(body<Page>(empty).value, []);
  assert.equal(body<Page>(empty)["@odata.nextLink"], undefined);
  const first = body<Page>(await api("?$top=10&$skip=0")).value.map((m) => m["id"]);
  assert.deepEqual(
    body<Page>(await api("?$top=10&$skip=20")).value.map((m) => m["id"]),
    first,
  );
  assert.deepEqual(
    body<Page>(await api("?$top=10&$skip=20")).value.map((m) => m["id"]),
    first,
    "every time with repeat",
  );
  assert.equal(body<Page>(await api("?$skip=20")).value.length, 10);
  assert.match(body<Page>(await api("?$skip=20"))["@odata.nextLink"] ?? "", /\$skip=30$/, "its nextLink still advances");
});

test("redirect answers a 3xx to its location with an empty page as body; echo-request echoes the request's Authorization and query", async () => {
  tenant.faults = {
    api: [
      { at: 1, kind: "redirect" },
      { at: 2, kind: "redirect", status: 307, location: "https://elsewhere.test/api/machines" },
      { at: 3, kind: "echo-request" },
      { at: 4, kind: "echo-request", status: 503 },
    ],
  };
  const get = (query = "") =>
    httpFor(tenant)(`${tenant.apiBaseUrl}/api/machines${query}`, { headers: { authorization: `Bearer ${token}` }, followRedirect: false });
  const moved = await get();
  assert.equal(moved.statusCode, 302);
  assert.equal(moved.headers["location"], "https://login.example/sso");
  assert.deepEqual(JSON.parse(moved.body), { value: [] });
  const temporary = await get();
  assert.equal(temporary.statusCode, 307);
  assert.equal(temporary.headers["location"], "https://elsewhere.test/api/machines");
  const echoed = await api("?$top=5");
  assert.equal(echoed.statusCode, 400);
  const message = body<{ error: { message: string } }>(echoed).error.message;
  assert.ok(message.includes(`Bearer ${token}`), "the header as sent");
  assert.ok(message.includes(`token: ${token}`), "the token on its own");
  assert.ok(message.includes("$top=5"));
  assert.equal((await api()).statusCode, 503);
});

test("huge-body pads the page with blanks: gzip without a length by default, or as is with its Content-Length", async () => {
  const bytes = 3 * 1024 * 1024;
  tenant.faults = {
    api: [
      { at: 1, kind: "huge-body", bytes },
      { at: 2, kind: "huge-body", bytes, gzip: false },
    ],
  };
  const get = (decompress: boolean) =>
    httpFor(tenant)(`${tenant.apiBaseUrl}/api/machines`, { headers: { authorization: `Bearer ${token}` }, decompress, responseType: "buffer" });
  const gzipped = await get(false);
  assert.equal(gzipped.headers["content-encoding"], "gzip");
  assert.equal(gzipped.headers["content-length"], undefined);
  assert.ok(gzipped.body.length < bytes / 100, `${gzipped.body.length} bytes on the wire`);
  const inflated = gunzipSync(gzipped.body);
  assert.equal(inflated.length, bytes, "inflated to the size asked for");
  assert.equal((JSON.parse(inflated.toString()) as Page).value.length, 10, "still the page");
  const plain = await get(true);
  assert.equal(plain.headers["content-encoding"], undefined);
  assert.equal(plain.headers["content-length"], String(bytes));
  assert.equal(Buffer.byteLength(plain.body), bytes);
});

test("drip sends the page one byte at a time", async () => {
  tenant.faults = { api: [{ at: 1, kind: "drip", everyMs: 50 }] };
  const chunks: number[] = [];
  const stream = httpFor(tenant).stream(`${tenant.apiBaseUrl}/api/machines?$top=1`, { headers: { authorization: `Bearer ${token}` } });
  await new Promise<void>((resolve) => {
    stream.on("data", (chunk: Buffer) => {
      chunks.push(chunk.length);
      if (chunks.length === 3) {
        stream.destroy();
        resolve();
      }
    });
  });
  assert.deepEqual(chunks, [1, 1, 1]);
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
  assert.throws(() => {
    tenant.faults = { api: [{ kind: "redirect", status: 200 }] };
  }, /faults\.api\[0\]\.status: expected a 3xx/);
  assert.throws(() => {
    tenant.faults = { api: [{ kind: "huge-body", bytes: 0 }] };
  }, /faults\.api\[0\]\.bytes/);
  assert.throws(() => {
    tenant.faults = { api: [{ kind: "drip" } as never] };
  }, /faults\.api\[0\]\.everyMs/);
  assert.throws(() => {
    tenant.faults = { token: [{ kind: "empty-page" } as never] };
  }, /faults\.token\[0\]\.kind/);
  tenant.faults = { api: [] };
  tenant.faults.api?.push({ at: 1, kind: "status", status: 418 });
  assert.equal(tenant.faults.api?.length, 1, "the plan object can be extended in place");
});
