/**
 * Shared helpers of the simulator tests: a got client trusting the tenant's CA (no retries,
 * no throwing), token requests, and client assertions signed with node:crypto.
 */
import { createHash, createPrivateKey, randomUUID, sign, constants, X509Certificate } from "node:crypto";
import got from "got";
import type { Got, Response } from "got";
import type { SimulatedTenant } from "../../src/simulator/index.js";

/** The Defender for Endpoint scope. */
export const MDE_SCOPE = "https://api.securitycenter.microsoft.com/.default";

/** A got instance trusting `tenant`'s CA; never retries, never throws on HTTP errors. */
export const httpFor = (tenant: SimulatedTenant): Got =>
  got.extend({ https: { certificateAuthority: tenant.caPem }, retry: { limit: 0 }, throwHttpErrors: false, timeout: { request: 20_000 } });

/** POSTs a token request with `form` to `/{tenant}/oauth2/v2.0/token` (or `path`). */
export const postToken = (tenant: SimulatedTenant, form: Record<string, string>, path = `/${tenant.tenantId}/oauth2/v2.0/token`): Promise<Response<string>> =>
  httpFor(tenant).post(`${tenant.origin}${path}`, { form });

/** The secret credential's form fields for `scope`. */
export const secretForm = (tenant: SimulatedTenant, scope = MDE_SCOPE): Record<string, string> => {
  const c = tenant.credential("azure-client-secret");
  return { grant_type: "client_credentials", client_id: c["clientId"] ?? "", client_secret: c["clientSecret"] ?? "", scope };
};

/** A fresh access token for the default secret client (fails the test when refused). */
export const tokenFor = async (tenant: SimulatedTenant, scope = MDE_SCOPE): Promise<string> => {
  const res = await postToken(tenant, secretForm(tenant, scope));
  if (res.statusCode !== 200) throw new Error(`token refused: ${res.statusCode} ${res.body}`);
  return (JSON.parse(res.body) as { access_token: string }).access_token;
};

/** Decodes a JWT's header and payload (no verification). */
export const decodeJwt = (jwt: string): { header: Record<string, unknown>; payload: Record<string, unknown> } => {
  const [h = "", p = ""] = jwt.split(".");
  return {
    header: JSON.parse(Buffer.from(h, "base64url").toString()) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(p, "base64url").toString()) as Record<string, unknown>,
  };
};

/** Options of a hand-built client assertion. */
export interface AssertionOptions {
  readonly alg?: "RS256" | "PS256";
  readonly aud: string;
  readonly iss: string;
  readonly sub?: string;
  readonly expOffset?: number;
  readonly thumbprint?: "x5t" | "x5t#S256";
}

/** Builds and signs a client assertion with node:crypto (reference §1.5). */
export const clientAssertion = (certificatePem: string, privateKeyPem: string, o: AssertionOptions): string => {
  const alg = o.alg ?? "RS256";
  const der = new X509Certificate(certificatePem).raw;
  const kind = o.thumbprint ?? (alg === "PS256" ? "x5t#S256" : "x5t");
  const header = {
    alg,
    typ: "JWT",
    [kind]: createHash(kind === "x5t" ? "sha1" : "sha256")
      .update(der)
      .digest("base64url"),
  };
  const now = Math.floor(Date.now() / 1000);
  const payload = { aud: o.aud, iss: o.iss, sub: o.sub ?? o.iss, jti: randomUUID(), nbf: now, iat: now, exp: now + (o.expOffset ?? 600) };
  const input = `${Buffer.from(JSON.stringify(header)).toString("base64url")}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}`;
  const key = createPrivateKey(privateKeyPem);
  const signature =
    alg === "RS256"
      ? sign("sha256", Buffer.from(input), key)
      : sign("sha256", Buffer.from(input), { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST });
  return `${input}.${signature.toString("base64url")}`;
};

/** The parsed JSON body of a response. */
export const body = <T = Record<string, unknown>>(res: Response<string>): T => JSON.parse(res.body) as T;
