import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { inflateSync } from "node:zlib";
import { startSimulatedTenant, type SimulatedTenant } from "../../src/simulator/index.js";
import type { Response } from "got";
import { body, httpFor, postToken, tokenFor } from "./helpers.js";

interface Page {
  "@odata.context": string;
  value: Record<string, unknown>[];
  "@odata.nextLink"?: string;
}

let tenant: SimulatedTenant;
let empty: SimulatedTenant;
let limited: SimulatedTenant;
let token: string;
const DEVICES = 57;

before(async () => {
  [tenant, empty, limited] = await Promise.all([
    startSimulatedTenant({
      seed: 4,
      devices: DEVICES,
      pageCap: 20,
      rateLimit: false,
      compress: true,
      clients: [
        { clientId: "22222222-0000-4000-8000-000000000001", clientSecret: "a", roles: ["Machine.Read.All"] },
        { clientId: "22222222-0000-4000-8000-000000000002", clientSecret: "b", roles: [] },
        { clientId: "22222222-0000-4000-8000-000000000003", clientSecret: "c", roles: ["Machine.Isolate", "Software.Read.All"] },
        { clientId: "22222222-0000-4000-8000-000000000004", clientSecret: "d", roles: ["Machine.ReadWrite.All"] },
      ],
    }),
    startSimulatedTenant({ devices: 0 }),
    startSimulatedTenant({ devices: 5, rateLimit: { perMinute: 3, perHour: 1500 } }),
  ]);
  token = await tokenFor(tenant);
});
after(async () => {
  await Promise.all([tenant.close(), empty.close(), limited.close()]);
});

const get = (t: SimulatedTenant, pathAndQuery: string, bearer: string | null = token) =>
  httpFor(t)(`${t.apiBaseUrl}${pathAndQuery}`, { headers: bearer === null ? {} : { authorization: `Bearer ${bearer}` } });

const tokenOf = async (clientId: string, secret: string, scope = "https://api.securitycenter.microsoft.com/.default"): Promise<string> =>
  String(body(await postToken(tenant, { grant_type: "client_credentials", client_id: clientId, client_secret: secret, scope }))["access_token"]);

test("nextLink paging: full pages carry an absolute nextLink on the same origin with $skip; order by id", async () => {
  const seen: Record<string, unknown>[] = [];
  let url: string | undefined = `${tenant.apiBaseUrl}/api/machines`;
  let pages = 0;
  while (url !== undefined) {
    const res: Response<string> = await httpFor(tenant)(url, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers["content-type"], "application/json; odata.metadata=minimal; odata.streaming=true; charset=utf-8");
    assert.equal(res.headers["odata-version"], "4.0");
    const page = body<Page>(res);
    assert.equal(page["@odata.context"], `${tenant.origin}/api/$metadata#Machines`);
    seen.push(...page.value);
    url = page["@odata.nextLink"];
    if (url !== undefined) assert.equal(url, `${tenant.origin}/api/machines?$skip=${seen.length}`);
    pages += 1;
  }
  assert.equal(pages, 3);
  assert.equal(seen.length, DEVICES);
  const ids = seen.map((m) => String(m["id"]));
  assert.deepEqual([...ids].sort(), ids);
  assert.deepEqual(seen, tenant.machines());
});

test("nextLink keeps the other query options and follows a filter", async () => {
  const page = body<Page>(await get(tenant, "/api/machines?$filter=onboardingStatus%20eq%20'Onboarded'"));
  const all = tenant.machines().filter((m) => m["onboardingStatus"] === "Onboarded");
  assert.equal(page.value.length, 20);
  assert.equal(decodeURIComponent(page["@odata.nextLink"] ?? ""), `${tenant.origin}/api/machines?$filter=onboardingStatus eq 'Onboarded'&$skip=20`);
  const second = body<Page>(await httpFor(tenant)(page["@odata.nextLink"] ?? "", { headers: { authorization: `Bearer ${token}` } }));
  assert.deepEqual(second.value, all.slice(20, 40));
});

test("$top/$skip: never a nextLink with $top; skip past the end is an empty page; host echoed", async () => {
  const top = body<Page>(await get(tenant, "/api/machines?$top=20&$skip=0"));
  assert.equal(top.value.length, 20);
  assert.equal(top["@odata.nextLink"], undefined);
  const mid = body<Page>(await get(tenant, "/api/machines?$top=10&$skip=50"));
  assert.deepEqual(
    mid.value.map((m) => m["id"]),
    tenant
      .machines()
      .slice(50, 57)
      .map((m) => m["id"]),
  );
  const past = await get(tenant, "/api/machines?$top=10&$skip=1000");
  assert.equal(past.statusCode, 200);
  assert.deepEqual(body<Page>(past).value, []);
  const viaLocalhost = await httpFor(tenant)(`${tenant.origin.replace("127.0.0.1", "localhost")}/api/machines?$top=1`, {
    headers: { authorization: `Bearer ${token}` },
  });
  assert.match(String(body(viaLocalhost)["@odata.context"]), /^https:\/\/localhost:\d+\/api\/\$metadata#Machines$/);
});

test("$top above the cap → 400 ODataError; bad $top, unknown and disallowed options → 400", async () => {
  const over = await get(tenant, "/api/machines?$top=21");
  assert.equal(over.statusCode, 400);
  assert.deepEqual(body(over), {
    error: {
      code: "",
      message: "The query specified in the URI is not valid. The limit of '20' for Top query has been exceeded. The value from the incoming request is '21'.",
      details: [],
    },
  });
  const big = await get(empty, "/api/machines?$top=10001", await tokenFor(empty));
  assert.equal(big.statusCode, 400, "10,000 is the real service's cap");
  assert.equal((await get(empty, "/api/machines?$top=10000", await tokenFor(empty))).statusCode, 404, "10,000 is allowed (and the tenant is empty)");
  for (const q of ["$top=-1", "$top=abc", "$skip=x", "$stop=1", "$orderby=id", "$top=1&$top=2", "$select=nope"]) {
    const res = await get(tenant, `/api/machines?${q}`);
    assert.equal(res.statusCode, 400, q);
    const err = body<{ error: { code: string; message: string; details: unknown[] } }>(res).error;
    assert.equal(err.code, "");
    assert.match(err.message, /^The query specified in the URI is not valid\. /);
    assert.deepEqual(err.details, []);
  }
  const stop = body<{ error: { message: string } }>(await get(tenant, "/api/machines?$stop=1")).error.message;
  assert.equal(stop, "The query specified in the URI is not valid. Custom query option '$stop' that starts with '$' is not supported.");
});

test("404 on an empty listing (documented), also when a filter matches nothing; non-$ parameters are ignored", async () => {
  const res = await get(empty, "/api/machines", await tokenFor(empty));
  assert.equal(res.statusCode, 404);
  const err = body<{ error: { code: string; message: string; target: string } }>(res).error;
  assert.equal(err.code, "ResourceNotFound");
  assert.match(err.target, /^[0-9a-f-]{36}$/);
  assert.equal((await get(tenant, "/api/machines?$filter=computerDnsName%20eq%20'nope'")).statusCode, 404);
  assert.equal((await get(tenant, "/api/machines?$top=1&api-version=1")).statusCode, 200);
});

test("$filter subset: comparisons on strings, enums, datetimes and numbers; and/or/parentheses/startswith/any", async () => {
  const all = tenant.machines();
  const check = async (filter: string, expected: (m: Record<string, unknown>) => boolean): Promise<void> => {
    const want = all.filter(expected).map((m) => m["id"]);
    const res = await get(tenant, `/api/machines?$top=20&$filter=${encodeURIComponent(filter)}`);
    if (want.length === 0) {
      assert.equal(res.statusCode, 404, filter);
      return;
    }
    assert.equal(res.statusCode, 200, `${filter}: ${res.body}`);
    assert.deepEqual(
      body<Page>(res).value.map((m) => m["id"]),
      want.slice(0, 20),
      filter,
    );
  };
  const cutoff = "2025-05-01T00:00:00Z";
  await check("healthStatus eq 'Active'", (m) => m["healthStatus"] === "Active");
  await check("healthStatus ne 'Active'", (m) => m["healthStatus"] !== "Active");
  await check(`lastSeen gt ${cutoff}`, (m) => Date.parse(String(m["lastSeen"])) > Date.parse(cutoff));
  await check(`lastSeen le ${cutoff}`, (m) => Date.parse(String(m["lastSeen"])) <= Date.parse(cutoff));
  await check("lastSeen ge 2025-05-20Z", (m) => Date.parse(String(m["lastSeen"])) >= Date.parse("2025-05-20T00:00:00Z"));
  await check("rbacGroupId eq 0", (m) => m["rbacGroupId"] === 0);
  await check("rbacGroupId gt 100", (m) => Number(m["rbacGroupId"]) > 100);
  await check(
    "onboardingStatus eq 'Onboarded' and (healthStatus eq 'Inactive' or healthStatus eq 'ImpairedCommunication')",
    (m) => m["onboardingStatus"] === "Onboarded" && (m["healthStatus"] === "Inactive" || m["healthStatus"] === "ImpairedCommunication"),
  );
  await check("startswith(computerDnsName,'fin')", (m) =>
    String(m["computerDnsName"] ?? "")
      .toLowerCase()
      .startsWith("fin"),
  );
  await check("aadDeviceId eq null", (m) => m["aadDeviceId"] === null);
  await check("machineTags/any(tag: tag eq 'Prod')", (m) => (m["machineTags"] as string[]).includes("Prod"));
  await check("not (osPlatform eq 'Windows10')", (m) => m["osPlatform"] !== "Windows10");
  for (const bad of [
    "firstSeen gt 2024-01-01Z",
    "healthStatus eq Active",
    "contains(computerDnsName,'a')",
    "lastSeen gt '2024-01-01'",
    "healthStatus eq 'Active' and",
    "rbacGroupId eq '5'",
    "(healthStatus eq 'Active'",
  ]) {
    const res = await get(tenant, `/api/machines?$filter=${encodeURIComponent(bad)}`);
    assert.equal(res.statusCode, 400, bad);
    assert.equal(body<{ error: { code: string } }>(res).error.code, "", bad);
  }
});

test("$select projects fields in entity order; GET /api/machines/{id} by id or computer name", async () => {
  const page = body<Page>(await get(tenant, "/api/machines?$top=2&$select=healthStatus,id"));
  assert.deepEqual(Object.keys(page.value[0] ?? {}), ["id", "healthStatus"]);
  const m = tenant.machines()[9] ?? {};
  const one = await get(tenant, `/api/machines/${String(m["id"])}`);
  assert.equal(one.statusCode, 200);
  const b = body(one);
  assert.equal(b["@odata.context"], `${tenant.origin}/api/$metadata#Machines/$entity`);
  assert.equal(b["id"], m["id"]);
  const named = tenant.machines().find((x) => x["computerDnsName"] !== null) ?? {};
  assert.equal(body(await get(tenant, `/api/machines/${encodeURIComponent(String(named["computerDnsName"]))}`))["id"], named["id"]);
  const missing = await get(tenant, `/api/machines/${"0".repeat(40)}`);
  assert.equal(missing.statusCode, 404);
  assert.equal(body<{ error: { code: string } }>(missing).error.code, "ResourceNotFound");
});

test("401: no header, garbage, no roles claim, revoked; with www-authenticate: Bearer and the captured body", async () => {
  const assert401 = async (bearer: string | null, what: string): Promise<void> => {
    const res = await get(tenant, "/api/machines?$top=1", bearer);
    assert.equal(res.statusCode, 401, what);
    assert.equal(res.headers["www-authenticate"], "Bearer", what);
    const err = body<{ error: { code: string; message: string; target: string } }>(res).error;
    assert.equal(err.code, "Unauthorized");
    assert.equal(err.message, "Authorization has been denied for this request.");
    assert.equal(res.headers["x-request-id"], err.target);
  };
  await assert401(null, "no header");
  await assert401("not-a-jwt", "garbage");
  await assert401(token.slice(0, -4) + "AAAA", "bad signature");
  await assert401(await tokenOf("22222222-0000-4000-8000-000000000002", "b"), "no roles claim");
  await assert401(await tokenOf("22222222-0000-4000-8000-000000000001", "a", "https://graph.microsoft.com/.default"), "Graph audience");
  const other = await startSimulatedTenant({ devices: 1, tenantId: tenant.tenantId });
  try {
    await assert401(await tokenFor(other), "a token signed by another STS");
  } finally {
    await other.close();
  }
  const doomed = await tokenFor(tenant);
  assert.equal((await get(tenant, "/api/machines?$top=1", doomed)).statusCode, 200);
  tenant.revokeTokens();
  await assert401(doomed, "revoked");
  token = await tokenFor(tenant);
  assert.equal((await get(tenant, "/api/machines?$top=1")).statusCode, 200, "a new token works");
});

test("401 for an expired token", async () => {
  const short = await startSimulatedTenant({ devices: 1, tokenLifetimeSeconds: 1, tokenValiditySeconds: 1 });
  try {
    const t = await tokenFor(short);
    assert.equal(
      body(
        await postToken(short, {
          grant_type: "client_credentials",
          client_id: short.credential()["clientId"] ?? "",
          client_secret: short.credential()["clientSecret"] ?? "",
          scope: "https://api.securitycenter.microsoft.com/.default",
        }),
      )["expires_in"],
      1,
    );
    await new Promise((r) => setTimeout(r, 2100));
    assert.equal((await get(short, "/api/machines", t)).statusCode, 401);
  } finally {
    await short.close();
  }
});

test("403: roles without a machine read role; the XDR audience; Machine.ReadWrite.All is enough", async () => {
  const wrongRole = await get(tenant, "/api/machines?$top=1", await tokenOf("22222222-0000-4000-8000-000000000003", "c"));
  assert.equal(wrongRole.statusCode, 403);
  assert.deepEqual(body<{ error: { code: string; message: string } }>(wrongRole).error.code, "Forbidden");
  assert.equal(
    body<{ error: { message: string } }>(wrongRole).error.message,
    "Missing application roles. API required roles: Machine.Read.All,Machine.ReadWrite.All, application roles: Machine.Isolate,Software.Read.All.",
  );
  const xdr = await get(
    tenant,
    "/api/machines?$top=1",
    await tokenOf("22222222-0000-4000-8000-000000000001", "a", "https://api.security.microsoft.com/.default"),
  );
  assert.equal(xdr.statusCode, 403);
  assert.equal(body<{ error: { code: string } }>(xdr).error.code, "Forbidden");
  const rw = await get(tenant, "/api/machines?$top=1", await tokenOf("22222222-0000-4000-8000-000000000004", "d"));
  assert.equal(rw.statusCode, 200);
  for (const aud of ["https://securitycenter.onmicrosoft.com/windowsatpservice", "https://api.securitycenter.windows.com"]) {
    assert.equal(
      (await get(tenant, "/api/machines?$top=1", await tokenOf("22222222-0000-4000-8000-000000000001", "a", `${aud}/.default`))).statusCode,
      200,
      aud,
    );
  }
});

test("rate limiter: 429 after perMinute calls, Retry-After in whole seconds, the §5.2 body; counted in stats", async () => {
  const t = await tokenFor(limited);
  for (let k = 0; k < 3; k++) assert.equal((await get(limited, "/api/machines", t)).statusCode, 200);
  const res = await get(limited, "/api/machines", t);
  assert.equal(res.statusCode, 429);
  const retry = Number(res.headers["retry-after"]);
  assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= 60, String(res.headers["retry-after"]));
  const err = body<{ error: { code: string; message: string; target: string } }>(res).error;
  assert.equal(err.code, "429");
  assert.equal(err.message, "API calls quota exceeded! maximum allowed 3 per 00:01:00");
  assert.match(err.target, /^[0-9a-f-]{36}$/);
  assert.equal(limited.stats.throttled, 1);
  assert.equal((await get(limited, "/api/machines", null)).statusCode, 401, "unauthenticated calls are refused before the limiter");
  limited.resetRateLimit();
  assert.equal((await get(limited, "/api/machines", t)).statusCode, 200);
});

test("deflate when the client accepts it; stats count requests, statuses and machines", async () => {
  const raw = await httpFor(tenant)(`${tenant.apiBaseUrl}/api/machines?$top=20`, {
    headers: { authorization: `Bearer ${token}`, "accept-encoding": "gzip, deflate" },
    decompress: false,
    responseType: "buffer",
  });
  assert.equal(raw.headers["content-encoding"], "deflate");
  assert.equal((JSON.parse(inflateSync(raw.body).toString()) as Page).value.length, 20);
  assert.equal(body<Page>(await get(tenant, "/api/machines?$top=20")).value.length, 20, "got inflates transparently");
  assert.ok(tenant.stats.apiRequests > 10);
  assert.ok((tenant.stats.byStatus["200"] ?? 0) > 5);
  assert.ok(tenant.stats.machinesServed > DEVICES);
  assert.equal(tenant.stats.concurrentApiRequests, 0);
  await Promise.all(Array.from({ length: 4 }, () => get(tenant, "/api/machines?$top=20")));
  assert.ok(tenant.stats.maxConcurrentApiRequests >= 2, String(tenant.stats.maxConcurrentApiRequests));
  tenant.resetStats();
  assert.equal(tenant.stats.apiRequests, 0);
});
