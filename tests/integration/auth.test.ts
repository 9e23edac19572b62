/**
 * Sign-in and authorisation against the simulated tenant, through real msal-node and got:
 * every AADSTS error the README lists, and 401/403 from the API by token roles and audience.
 */
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { startHarness, type Harness } from "./harness.js";
import { defender365 } from "../../src/probes/defender365/index.js";
import type { Credential } from "../../src/azure/credentials.js";

let h: Harness;
const SECRET = "auth-test-secret-0123456789";
const NO_ROLES = randomUUID();
const WRONG_ROLE = randomUUID();
const EXPIRED = randomUUID();

before(async () => {
  h = await startHarness({
    devices: 50,
    clients: [
      { clientId: randomUUID(), clientSecret: SECRET, roles: ["Machine.Read.All"] },
      { clientId: NO_ROLES, clientSecret: SECRET, roles: [] },
      { clientId: WRONG_ROLE, clientSecret: SECRET, roles: ["Machine.Isolate", "Software.Read.All"] },
      { clientId: EXPIRED, clientSecret: SECRET, roles: ["Machine.Read.All"], secretExpired: true },
    ],
  });
});
after(() => h.tenant.close());
beforeEach(() => {
  h.tenant.faults = {};
});

const runWith = (credential: Credential, options: Record<string, unknown> = {}) =>
  defender365.run({ mode: "connector", credential, options: h.options(options), assets: [] }, h.env)();

const failure = async (credential: Credential, options: Record<string, unknown> = {}) => {
  const outcome = await runWith(credential, options);
  if (outcome._tag === "Right") assert.fail("expected the run to fail");
  return outcome.left;
};

const cases: [string, Partial<Record<string, unknown>> | number, string, RegExp][] = [
  ["a wrong secret", { clientSecret: "not-the-secret-at-all" }, "ERR_AUTH_INVALID_SECRET", /Value, not its Secret ID/],
  ["an expired secret", { clientId: EXPIRED }, "ERR_AUTH_SECRET_EXPIRED", /new client secret/],
  ["an app not in the tenant", { clientId: randomUUID() }, "ERR_AUTH_APP_NOT_FOUND", /clientId/],
  ["a tenant that does not exist", { tenantId: randomUUID() }, "ERR_AUTH_TENANT_NOT_FOUND", /cloud option/],
  ["a malformed tenant (AADSTS900023)", 900023, "ERR_AUTH_TENANT_INVALID", /Directory \(tenant\) ID/],
  ["a tenant without Defender (AADSTS500011)", 500011, "ERR_AUTH_RESOURCE_NOT_IN_TENANT", /security\.microsoft\.com/],
  ["a certificate not on the app (AADSTS700027)", 700027, "ERR_AUTH_CERTIFICATE", /Upload this certificate/],
  ["Conditional Access (AADSTS53003)", 53003, "ERR_AUTH_REJECTED", /Conditional Access/],
  ["an AADSTS code with no advice of its own (AADSTS9002313)", 9002313, "ERR_AUTH_REJECTED", /login\.microsoftonline\.com\/error\?code=9002313/],
];

for (const [name, change, code, hint] of cases) {
  test(`sign-in: ${name} → ${code}, with the fix and never the secret`, async () => {
    if (typeof change === "number") h.tenant.faults = { token: [{ at: 1, kind: "aadsts", code: change }] };
    const credential = h.credential("azure-client-secret", typeof change === "number" ? { clientSecret: SECRET } : { clientSecret: SECRET, ...change });
    const error = await failure(credential);
    assert.equal(error._tag, "AuthError");
    assert.equal(error.code, code);
    assert.match(error.hint, hint);
    if (error._tag === "AuthError" && typeof change === "number") assert.equal(error.aadsts, change);
    const text = JSON.stringify(error);
    assert.ok(!text.includes(SECRET) && !text.includes("not-the-secret-at-all"), "no secret in the error");
    assert.equal(error.partial?.summary.complete, false);
    assert.equal(error.partial?.summary.http.requests, 0, "no API call without a token");
  });
}

test("API 401 when consent was never granted: names the missing permission and the roles (none)", async () => {
  const error = await failure(h.credential("azure-client-secret", { clientId: NO_ROLES, clientSecret: SECRET }));
  assert.equal(error.code, "ERR_API_UNAUTHORIZED");
  assert.match(error.message, /roles: none/);
  assert.match(error.hint, /Machine\.Read\.All.*Grant admin consent/s);
  assert.equal(error.partial?.summary.http.retries, 1, "one fresh token and one retry, then stop");
});

test("API 403 with other roles: lists the roles the token carries and the one it needs", async () => {
  const error = await failure(h.credential("azure-client-secret", { clientId: WRONG_ROLE, clientSecret: SECRET }));
  assert.equal(error.code, "ERR_API_FORBIDDEN");
  assert.match(error.message, /Machine\.Read\.All/);
  assert.match(error.message, /Machine\.Isolate, Software\.Read\.All/);
});

test("the audience trap: a token for api.security.microsoft.com gets 403, explained", async () => {
  const error = await failure(h.credential("azure-client-secret", { clientSecret: SECRET }), { scope: "https://api.security.microsoft.com/.default" });
  assert.equal(error.code, "ERR_API_FORBIDDEN");
  assert.match(error.message, /issued for https:\/\/api\.security\.microsoft\.com/);
  assert.match(error.hint, /api\.securitycenter\.microsoft\.com\/\.default/);
});

test("the older windowsatpservice scope also works", async () => {
  const outcome = await runWith(h.credential("azure-client-secret", { clientSecret: SECRET }), {
    scope: "https://securitycenter.onmicrosoft.com/windowsatpservice/.default",
  });
  assert.equal(outcome._tag, "Right");
});

test("a certificate whose key does not belong to it is refused locally, before any call", async () => {
  const other = await startHarness({ devices: 1 });
  const third = await startHarness({ devices: 1 });
  try {
    const mine = other.credential("azure-client-certificate");
    const theirs = third.credential("azure-client-certificate");
    if (mine.kind !== "azure-client-certificate" || theirs.kind !== "azure-client-certificate") assert.fail("certificate credentials expected");
    const before = other.tenant.stats.tokenRequests;
    const outcome = await defender365.run(
      { mode: "connector", credential: { ...mine, privateKey: theirs.privateKey }, options: other.options(), assets: [] },
      other.env,
    )();
    if (outcome._tag === "Right") assert.fail("expected a refusal");
    const error = outcome.left;
    assert.equal(error.code, "ERR_AUTH_CERTIFICATE_INVALID");
    assert.equal(other.tenant.stats.tokenRequests, before);
    assert.ok(!JSON.stringify(error).includes("PRIVATE KEY"));
  } finally {
    await other.tenant.close();
    await third.tenant.close();
  }
});

test("a plain-http authority is refused by the options codec before sign-in", () => {
  const decoded = defender365.options.decode({ authorityHost: "http://127.0.0.1:1" });
  assert.equal(decoded._tag, "Left");
});

test("an option naming an authority host the credential does not allow: ERR_INPUT naming it, and no request is sent", async () => {
  const before = h.tenant.stats.tokenRequests + h.tenant.stats.metadataRequests;
  const error = await failure(h.credential("azure-client-secret", { clientSecret: SECRET }), { authorityHost: "https://collect.attacker.example" });
  assert.equal(error.code, "ERR_INPUT");
  assert.ok(error._tag === "InputError" && error.issues.some((i) => i.field === "authorityHost"));
  assert.equal(h.tenant.stats.tokenRequests + h.tenant.stats.metadataRequests, before, "the secret was not sent anywhere");
  assert.ok(!JSON.stringify(error).includes(SECRET));
});

test("the hosts the credential names are used when the options name none", async () => {
  const outcome = await runWith(h.credential("azure-client-secret", { clientSecret: SECRET }));
  assert.equal(outcome._tag, "Right");
});
