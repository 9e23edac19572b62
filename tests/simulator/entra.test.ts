import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startSimulatedTenant, type SimulatedTenant } from "../../src/simulator/index.js";
import { body, clientAssertion, decodeJwt, httpFor, MDE_SCOPE, postToken, secretForm } from "./helpers.js";

let tenant: SimulatedTenant;
let expired: SimulatedTenant;
const NO_ROLES_ID = "11111111-0000-4000-8000-000000000001";
const EXPIRED_ID = "11111111-0000-4000-8000-000000000002";

before(async () => {
  tenant = await startSimulatedTenant({ devices: 10 });
  expired = await startSimulatedTenant({
    devices: 0,
    resourceProvisioned: false,
    clients: [
      { clientId: EXPIRED_ID, clientSecret: "old-secret", secretExpired: true, roles: ["Machine.Read.All"] },
      { clientId: NO_ROLES_ID, clientSecret: "s3cret", roles: [] },
    ],
  });
});
after(async () => {
  await tenant.close();
  await expired.close();
});

interface AadBody {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri: string;
}

/** Asserts the §1.6 error body shape, status and code. */
const assertAad = (res: { statusCode: number; body: string; headers: Record<string, unknown> }, status: number, error: string, code: number): AadBody => {
  assert.equal(res.statusCode, status, res.body);
  const b = JSON.parse(res.body) as AadBody;
  assert.deepEqual(Object.keys(b), ["error", "error_description", "error_codes", "timestamp", "trace_id", "correlation_id", "error_uri"]);
  assert.equal(b.error, error);
  assert.deepEqual(b.error_codes, [code]);
  assert.match(b.timestamp, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z$/);
  assert.match(
    b.error_description,
    new RegExp(`^AADSTS${code}: .+\\r\\nTrace ID: ${b.trace_id}\\r\\nCorrelation ID: ${b.correlation_id}\\r\\nTimestamp: ${b.timestamp}$`, "s"),
  );
  assert.equal(res.headers["x-ms-request-id"], b.trace_id);
  assert.equal(b.error_uri, `https://login.microsoftonline.com/error?code=${code}`);
  return b;
};

test("OpenID configuration: the 4 keys msal needs, issuer on the same origin", async () => {
  const res = await httpFor(tenant)(`${tenant.authorityHost}/${tenant.tenantId}/v2.0/.well-known/openid-configuration`);
  assert.equal(res.statusCode, 200);
  const cfg = body(res);
  assert.equal(cfg["issuer"], `${tenant.origin}/${tenant.tenantId}/v2.0`);
  assert.equal(cfg["token_endpoint"], `${tenant.origin}/${tenant.tenantId}/oauth2/v2.0/token`);
  assert.equal(cfg["authorization_endpoint"], `${tenant.origin}/${tenant.tenantId}/oauth2/v2.0/authorize`);
  assert.equal(typeof cfg["jwks_uri"], "string");
  assert.equal(tenant.stats.metadataRequests, 1);
  const keys = body<{ keys: { kid: string }[] }>(await httpFor(tenant)(String(cfg["jwks_uri"])));
  assert.equal(keys.keys.length, 1);
});

test("token success: body of §1.2 and a v1.0 JWT with the §1.4 claims", async () => {
  const res = await postToken(tenant, secretForm(tenant));
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers["content-type"]), /^application\/json/);
  assert.equal(res.headers["cache-control"], "no-store, no-cache");
  const b = body(res);
  assert.deepEqual(Object.keys(b), ["token_type", "expires_in", "ext_expires_in", "access_token"]);
  assert.equal(b["token_type"], "Bearer");
  assert.equal(b["expires_in"], 3599);
  assert.equal(b["ext_expires_in"], 3599);
  const { header, payload } = decodeJwt(String(b["access_token"]));
  assert.equal(header["alg"], "RS256");
  assert.equal(header["typ"], "JWT");
  assert.ok(typeof header["kid"] === "string" && header["kid"] === header["x5t"]);
  const clientId = tenant.credential()["clientId"];
  assert.equal(payload["aud"], "https://api.securitycenter.microsoft.com");
  assert.equal(payload["iss"], `https://sts.windows.net/${tenant.tenantId}/`);
  assert.equal(payload["idp"], payload["iss"]);
  assert.equal(payload["appid"], clientId);
  assert.equal(payload["appidacr"], "1");
  assert.deepEqual(payload["roles"], ["Machine.Read.All"]);
  assert.equal(payload["tid"], tenant.tenantId);
  assert.equal(payload["ver"], "1.0");
  assert.equal(payload["sub"], payload["oid"]);
  assert.equal(Number(payload["exp"]) - Number(payload["iat"]), 3900);
});

test("every accepted Defender resource becomes the audience; the XDR resource is issued too (audience trap)", async () => {
  for (const resource of [
    "https://securitycenter.onmicrosoft.com/windowsatpservice",
    "https://api.securitycenter.windows.com",
    "https://api.security.microsoft.com",
  ]) {
    const res = await postToken(tenant, secretForm(tenant, `${resource}/.default`));
    assert.equal(res.statusCode, 200, resource);
    assert.equal(decodeJwt(String(body(res)["access_token"])).payload["aud"], resource);
  }
});

test("the tenant's domain works in place of its GUID; HTTP Basic client authentication works", async () => {
  const res = await postToken(tenant, secretForm(tenant), "/contoso.onmicrosoft.com/oauth2/v2.0/token");
  assert.equal(res.statusCode, 200);
  const c = tenant.credential();
  const basic = await httpFor(tenant).post(`${tenant.origin}/${tenant.tenantId}/oauth2/v2.0/token`, {
    form: { grant_type: "client_credentials", scope: MDE_SCOPE },
    headers: { authorization: `Basic ${Buffer.from(`${c["clientId"]}:${c["clientSecret"]}`).toString("base64")}` },
  });
  assert.equal(basic.statusCode, 200, basic.body);
});

test("v1 endpoint: resource parameter, numbers as strings", async () => {
  const { scope: _scope, ...form } = secretForm(tenant);
  const res = await postToken(tenant, { ...form, resource: "https://api.securitycenter.microsoft.com" }, `/${tenant.tenantId}/oauth2/token`);
  assert.equal(res.statusCode, 200);
  const b = body(res);
  assert.equal(b["expires_in"], "3599");
  assert.equal(typeof b["expires_on"], "string");
  assert.equal(b["resource"], "https://api.securitycenter.microsoft.com");
  const noResource = await postToken(tenant, form, `/${tenant.tenantId}/oauth2/token`);
  assert.equal(
    decodeJwt(String(body(noResource)["access_token"])).payload["aud"],
    "00000002-0000-0000-c000-000000000000",
    "v1 without resource: an AAD Graph token",
  );
});

test("AADSTS errors: body, status and code for each case", async () => {
  const good = secretForm(tenant);
  assertAad(await postToken(tenant, { ...good, client_secret: "wrong" }), 401, "invalid_client", 7000215);
  assertAad(await postToken(tenant, { ...good, client_id: "99999999-9999-4999-8999-999999999999" }), 400, "unauthorized_client", 700016);
  assertAad(await postToken(tenant, good, "/00000000-1111-2222-3333-444444444444/oauth2/v2.0/token"), 400, "invalid_tenant", 90002);
  assertAad(await postToken(tenant, good, "/fabrikam.onmicrosoft.com/oauth2/v2.0/token"), 400, "invalid_tenant", 90002);
  assertAad(await postToken(tenant, good, "/abc123testing/oauth2/v2.0/token"), 400, "invalid_request", 900023);
  const { client_secret: _s, ...noSecret } = good;
  assertAad(await postToken(tenant, noSecret), 401, "invalid_client", 7000218);
  assertAad(await postToken(tenant, { ...good, scope: "Machine.Read.All" }), 400, "invalid_scope", 70011);
  assertAad(await postToken(tenant, { ...good, scope: "https://api.securitycenter.microsoft.com" }), 400, "invalid_scope", 1002012);
  assertAad(await postToken(tenant, { ...good, scope: "https://api.securitycenter.microsoft.com/Machine.Read.All" }), 400, "invalid_scope", 1002012);
  assertAad(await postToken(tenant, { ...good, scope: `${MDE_SCOPE} https://graph.microsoft.com/.default` }), 400, "invalid_scope", 700022);
  assertAad(await postToken(tenant, { ...good, scope: "https://api.securitycenter.microsoft.co/.default" }), 400, "invalid_resource", 500011);
  const { grant_type: _g, ...noGrant } = good;
  assertAad(await postToken(tenant, noGrant), 400, "invalid_request", 900144);
  assertAad(await postToken(tenant, { ...good, grant_type: "password" }), 400, "unsupported_grant_type", 70003);
  assertAad(
    await postToken(expired, { grant_type: "client_credentials", client_id: EXPIRED_ID, client_secret: "old-secret", scope: MDE_SCOPE }),
    401,
    "invalid_client",
    7000222,
  );
  assertAad(
    await postToken(expired, { grant_type: "client_credentials", client_id: NO_ROLES_ID, client_secret: "s3cret", scope: MDE_SCOPE }),
    400,
    "invalid_resource",
    500011,
  );
  assertAad(await httpFor(tenant)(`${tenant.origin}/${tenant.tenantId}/oauth2/v2.0/token`), 400, "invalid_request", 900561);
});

test("a tenant without Defender still issues tokens for other resources; a client without consent gets a token without roles", async () => {
  const res = await postToken(expired, {
    grant_type: "client_credentials",
    client_id: NO_ROLES_ID,
    client_secret: "s3cret",
    scope: "https://graph.microsoft.com/.default",
  });
  assert.equal(res.statusCode, 200);
  assert.equal("roles" in decodeJwt(String(body(res)["access_token"])).payload, false, "no roles claim at all");
});

test("certificate credential: RS256 and PS256 assertions signed by the registered key are accepted (appidacr 2)", async () => {
  const c = tenant.credential("azure-client-certificate");
  const aud = `${tenant.origin}/${tenant.tenantId}/oauth2/v2.0/token`;
  for (const alg of ["RS256", "PS256"] as const) {
    for (const audience of [aud, `${aud}?client-request-id=abc`]) {
      const assertion = clientAssertion(c["certificate"] ?? "", c["privateKey"] ?? "", { alg, aud: audience, iss: c["clientId"] ?? "" });
      const res = await postToken(tenant, {
        grant_type: "client_credentials",
        client_id: c["clientId"] ?? "",
        scope: MDE_SCOPE,
        client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        client_assertion: assertion,
      });
      assert.equal(res.statusCode, 200, `${alg} ${res.body}`);
      assert.equal(decodeJwt(String(body(res)["access_token"])).payload["appidacr"], "2");
    }
  }
});

test("bad assertions: 401 invalid_client 700027 (wrong key, audience, issuer); 700024 when expired", async () => {
  const c = tenant.credential("azure-client-certificate");
  const id = c["clientId"] ?? "";
  const aud = `${tenant.origin}/${tenant.tenantId}/oauth2/v2.0/token`;
  const form = (assertion: string): Record<string, string> => ({
    grant_type: "client_credentials",
    client_id: id,
    scope: MDE_SCOPE,
    client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
    client_assertion: assertion,
  });
  const foreign = await startSimulatedTenant({ devices: 0 });
  try {
    const f = foreign.credential("azure-client-certificate");
    assertAad(await postToken(tenant, form(clientAssertion(f["certificate"] ?? "", f["privateKey"] ?? "", { aud, iss: id }))), 401, "invalid_client", 700027);
    assertAad(await postToken(tenant, form(clientAssertion(c["certificate"] ?? "", f["privateKey"] ?? "", { aud, iss: id }))), 401, "invalid_client", 700027);
  } finally {
    await foreign.close();
  }
  assertAad(
    await postToken(
      tenant,
      form(clientAssertion(c["certificate"] ?? "", c["privateKey"] ?? "", { aud: "https://login.microsoftonline.com/x/oauth2/v2.0/token", iss: id })),
    ),
    401,
    "invalid_client",
    700027,
  );
  assertAad(
    await postToken(tenant, form(clientAssertion(c["certificate"] ?? "", c["privateKey"] ?? "", { aud, iss: id, sub: "someone-else" }))),
    401,
    "invalid_client",
    700027,
  );
  assertAad(await postToken(tenant, form("not.a.jwt")), 401, "invalid_client", 700027);
  assertAad(
    await postToken(tenant, form(clientAssertion(c["certificate"] ?? "", c["privateKey"] ?? "", { aud, iss: id, expOffset: -900 }))),
    401,
    "invalid_client",
    700024,
  );
  const secretClient = tenant.credential()["clientId"] ?? "";
  assertAad(
    await postToken(tenant, { ...form(clientAssertion(c["certificate"] ?? "", c["privateKey"] ?? "", { aud, iss: secretClient })), client_id: secretClient }),
    401,
    "invalid_client",
    700027,
  );
});

test("credential(): ready JSON for the CLI naming this tenant's hosts, secrets only where asked", () => {
  const s = tenant.credential();
  assert.deepEqual(Object.keys(s), ["kind", "tenantId", "clientId", "clientSecret", "authorityHost", "apiBaseUrl"]);
  assert.equal(s["kind"], "azure-client-secret");
  assert.equal(s["authorityHost"], tenant.authorityHost);
  assert.equal(s["apiBaseUrl"], tenant.apiBaseUrl);
  const c = tenant.credential("azure-client-certificate");
  assert.deepEqual(Object.keys(c), ["kind", "tenantId", "clientId", "certificate", "privateKey", "authorityHost", "apiBaseUrl"]);
  assert.match(c["certificate"] ?? "", /-----BEGIN CERTIFICATE-----/);
  assert.match(c["privateKey"] ?? "", /-----BEGIN\s+PRIVATE KEY-----/);
  assert.throws(() => expired.credential("azure-client-certificate"), /no client with a certificate/);
});

test("the request log keeps the auth scheme, never the secret or token", () => {
  const log = JSON.stringify(tenant.stats.requestLog);
  assert.ok(!log.includes(tenant.credential()["clientSecret"] ?? "\u0000"));
  assert.ok(tenant.stats.requestLog.some((e) => e.auth === "Basic"));
  assert.ok(!log.includes("eyJ"));
});

test("workload identity federation: a token of the tenant's workload issuer signs in an app whose federated subject it carries", async () => {
  const app = tenant.credential("azure-workload-identity")["clientId"] ?? "";
  const form = (assertion: string, clientId = app) => ({
    grant_type: "client_credentials",
    client_id: clientId,
    scope: MDE_SCOPE,
    client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
    client_assertion: assertion,
  });
  const ok = await postToken(tenant, form(tenant.federatedToken()));
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal(decodeJwt(body<{ access_token: string }>(ok).access_token).payload["appidacr"], "2");
  for (const [assertion, clientId, status, code] of [
    [tenant.federatedToken({ subject: "system:serviceaccount:x:y" }), app, 400, 70021],
    [tenant.federatedToken({ audience: "api://other" }), app, 400, 700212],
    [tenant.federatedToken({ lifetimeSeconds: -900 }), app, 401, 700024],
    [tenant.federatedToken(), tenant.credential()["clientId"] ?? "", 400, 700211],
  ] as const) {
    const res = await postToken(tenant, form(assertion, clientId));
    assert.equal(res.statusCode, status, res.body);
    assert.deepEqual(body(res)["error_codes"], [code]);
  }
});
