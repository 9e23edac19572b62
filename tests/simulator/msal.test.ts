import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash, X509Certificate } from "node:crypto";
import got from "got";
import { AuthError, ConfidentialClientApplication, ServerError } from "@azure/msal-node";
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";
import { startSimulatedTenant, type SimulatedTenant } from "../../src/simulator/index.js";
import { decodeJwt, httpFor, MDE_SCOPE } from "./helpers.js";

/** A minimal msal network module over got that trusts the simulator's CA (node-stack.md Q1). */
class GotNetworkModule implements INetworkModule {
  /** Bodies of the POSTs sent, for inspection. */
  readonly posted: string[] = [];
  private readonly http;
  constructor(ca: string) {
    this.http = got.extend({
      throwHttpErrors: false,
      retry: { limit: 0 },
      responseType: "text",
      timeout: { request: 10_000 },
      https: { certificateAuthority: ca },
    });
  }
  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>("GET", url, options);
  }
  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>("POST", url, options);
  }
  private async send<T>(method: "GET" | "POST", url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    if (new URL(url).hostname !== "127.0.0.1") throw new AuthError("network_error", `blocked ${url}`);
    if (method === "POST") this.posted.push(options?.body ?? "");
    const res = await this.http(url, { method, headers: options?.headers, body: method === "POST" ? (options?.body ?? "") : undefined });
    return { status: res.statusCode, headers: res.headers as Record<string, string>, body: JSON.parse(res.body) as T };
  }
}

let tenant: SimulatedTenant;
before(async () => {
  tenant = await startSimulatedTenant({ devices: 12 });
});
after(() => tenant.close());

let network: GotNetworkModule;
const app = (auth: Record<string, unknown>): ConfidentialClientApplication => {
  network = new GotNetworkModule(tenant.caPem);
  return new ConfidentialClientApplication({
    auth: { clientId: "", authority: `${tenant.authorityHost}/${tenant.tenantId}`, knownAuthorities: [new URL(tenant.authorityHost).host], ...auth },
    system: { networkClient: network },
  });
};

test("msal-node ConfidentialClientApplication gets a token with the secret (discovery GET + token POST) and it opens the API", async () => {
  const c = tenant.credential();
  const before = { metadata: tenant.stats.metadataRequests, token: tenant.stats.tokenRequests };
  const result = await app({ clientId: c["clientId"], clientSecret: c["clientSecret"] }).acquireTokenByClientCredential({ scopes: [MDE_SCOPE] });
  assert.ok(result?.accessToken);
  assert.equal(tenant.stats.metadataRequests - before.metadata, 1);
  assert.equal(tenant.stats.tokenRequests - before.token, 1);
  assert.equal(decodeJwt(result.accessToken).payload["aud"], "https://api.securitycenter.microsoft.com");
  const res = await httpFor(tenant)(`${tenant.apiBaseUrl}/api/machines`, { headers: { authorization: `Bearer ${result.accessToken}` } });
  assert.equal(res.statusCode, 200);
  assert.equal((JSON.parse(res.body) as { value: unknown[] }).value.length, 12);
});

test("msal-node with the certificate (PS256 + x5t#S256) and with the legacy SHA-1 thumbprint (RS256 + x5t)", async () => {
  const c = tenant.credential("azure-client-certificate");
  const der = new X509Certificate(c["certificate"] ?? "").raw;
  const sha256 = createHash("sha256").update(der).digest("hex");
  const sha1 = createHash("sha1").update(der).digest("hex");
  for (const [thumb, alg, header] of [
    [{ thumbprintSha256: sha256 }, "PS256", "x5t#S256"],
    [{ thumbprint: sha1 }, "RS256", "x5t"],
  ] as const) {
    const result = await app({ clientId: c["clientId"], clientCertificate: { ...thumb, privateKey: c["privateKey"] } }).acquireTokenByClientCredential({
      scopes: [MDE_SCOPE],
    });
    assert.ok(result?.accessToken, alg);
    assert.equal(decodeJwt(result.accessToken).payload["appidacr"], "2");
    const assertion = new URLSearchParams(network.posted[0]).get("client_assertion") ?? "";
    const sent = decodeJwt(assertion).header;
    assert.equal(sent["alg"], alg);
    assert.ok(header in sent, header);
  }
});

test("msal-node surfaces a bad secret as ServerError invalid_client 7000215", async () => {
  const c = tenant.credential();
  await assert.rejects(
    app({ clientId: c["clientId"], clientSecret: "wrong" }).acquireTokenByClientCredential({ scopes: [MDE_SCOPE] }),
    (e: unknown) => e instanceof ServerError && e.errorCode === "invalid_client" && String(e.errorNo) === "7000215" && e.errorMessage.includes("AADSTS7000215"),
  );
});
