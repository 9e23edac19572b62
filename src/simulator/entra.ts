/**
 * The simulated Entra ID endpoints (reference §1, §8): OpenID configuration, JWKS and the
 * v2.0 and v1.0 client-credentials token endpoints, with secret, Basic and certificate
 * (JWT assertion) client authentication and the AADSTS errors of §1.6.
 */
import { randomUUID } from "node:crypto";
import { AAD, aadErrorResponse } from "./aad-errors.js";
import type { AadError } from "./aad-errors.js";
import type { RegisteredClient } from "./clients.js";
import type { Reply } from "./http.js";
import { jsonReply } from "./http.js";
import { decodeJwt, verifySignature } from "./jwt.js";
import { isGuid } from "./options.js";
import type { TenantState } from "./state.js";

/** Resources whose tokens are Defender for Endpoint tokens (reference §1.1). */
export const MDE_RESOURCES: readonly string[] = [
  "https://api.securitycenter.microsoft.com",
  "https://securitycenter.onmicrosoft.com/windowsatpservice",
  "https://api.securitycenter.windows.com",
];
/** The Defender XDR app: tokens are issued, and the machines API refuses them with 403 (the audience trap). */
export const XDR_RESOURCE = "https://api.security.microsoft.com";
/** Other first-party resources that exist in every tenant (tokens issued, useless for the API). */
const OTHER_RESOURCES: readonly string[] = [
  XDR_RESOURCE,
  "https://graph.microsoft.com",
  "00000003-0000-0000-c000-000000000000",
  "00000002-0000-0000-c000-000000000000",
];
/** What a v1 request without `resource` gets: an AAD Graph token. */
const AAD_GRAPH = "00000002-0000-0000-c000-000000000000";
const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const OIDC_SCOPES = new Set(["openid", "profile", "offline_access", "email"]);
const CLOCK_SKEW_S = 300;

/** An Entra route: which endpoint, and the tenant segment as sent. */
export interface EntraRoute {
  readonly kind: "metadata" | "jwks" | "token";
  readonly version: 1 | 2;
  readonly tenant: string;
}

const ROUTES: readonly (readonly [RegExp, EntraRoute["kind"], 1 | 2])[] = [
  [/^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/, "metadata", 2],
  [/^\/([^/]+)\/\.well-known\/openid-configuration$/, "metadata", 1],
  [/^\/([^/]+)\/discovery\/v2\.0\/keys$/, "jwks", 2],
  [/^\/([^/]+)\/discovery\/keys$/, "jwks", 1],
  [/^\/([^/]+)\/oauth2\/v2\.0\/token$/, "token", 2],
  [/^\/([^/]+)\/oauth2\/token$/, "token", 1],
];

/** Matches an Entra path (without query), or null. */
export const matchEntraRoute = (pathname: string): EntraRoute | null => {
  for (const [re, kind, version] of ROUTES) {
    const m = re.exec(pathname);
    if (m?.[1] !== undefined) return { kind, version, tenant: decodeURIComponent(m[1]) };
  }
  return null;
};

const fail = (err: AadError): Reply => aadErrorResponse(err);

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** Null when `tenant` names this tenant (GUID or domain), else the AADSTS error. */
const checkTenant = (state: TenantState, tenant: string): AadError | null => {
  const t = tenant.toLowerCase();
  if (isGuid(t)) return t === state.options.tenantId ? null : AAD.tenantNotFound(tenant);
  if (DOMAIN.test(t)) return t === state.options.tenantDomain.toLowerCase() ? null : AAD.tenantNotFound(tenant);
  return AAD.malformedTenant(tenant);
};

/** `GET /{tenant}/v2.0/.well-known/openid-configuration` (also v1): endpoints on the request's own origin. */
export const metadataReply = (state: TenantState, route: EntraRoute, origin: string): Reply => {
  const bad = checkTenant(state, route.tenant);
  if (bad !== null) return fail(bad);
  const t = route.tenant;
  const v = route.version === 2 ? "/v2.0" : "";
  const tid = state.options.tenantId;
  return jsonReply(200, {
    token_endpoint: `${origin}/${t}/oauth2${v}/token`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    jwks_uri: `${origin}/${t}/discovery${v}/keys`,
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    issuer: route.version === 2 ? `${origin}/${tid}/v2.0` : `https://sts.windows.net/${tid}/`,
    request_uri_parameter_supported: false,
    authorization_endpoint: `${origin}/${t}/oauth2${v}/authorize`,
    device_authorization_endpoint: `${origin}/${t}/oauth2${v}/devicecode`,
    end_session_endpoint: `${origin}/${t}/oauth2${v}/logout`,
    tenant_region_scope: "NA",
    cloud_instance_name: "microsoftonline.com",
    cloud_graph_host_name: "graph.windows.net",
    msgraph_host: "graph.microsoft.com",
  });
};

/** `GET /{tenant}/discovery/v2.0/keys`. */
export const jwksReply = (state: TenantState, route: EntraRoute): Reply => {
  const bad = checkTenant(state, route.tenant);
  return bad !== null ? fail(bad) : jsonReply(200, state.issuer.jwks());
};

/** `GET` on a token endpoint. */
export const tokenGetReply = (): Reply => fail(AAD.postOnly());

/** The resource a v2 `scope` names, or the error. */
const resourceFromScope = (scope: string | null): { resource: string } | { error: AadError } => {
  if (scope === null) return { error: AAD.missingParameter("scope") };
  const parts = scope.split(/\s+/).filter((s) => s !== "" && !OIDC_SCOPES.has(s.toLowerCase()));
  if (parts.length === 0) return { error: AAD.invalidScope(scope) };
  const resources = new Set<string>();
  for (const part of parts) {
    const m = /^(.+)\/\.default$/i.exec(part);
    if (m?.[1] !== undefined) {
      resources.add(m[1].replace(/\/+$/, ""));
      continue;
    }
    // A resource URI or GUID without `/.default` (or with a delegated scope name) is 1002012; anything else 70011.
    return { error: /^(https?:\/\/|[0-9a-f]{8}-)/i.test(part) ? AAD.scopeWithoutDefault(part) : AAD.invalidScope(part) };
  }
  if (resources.size > 1) return { error: AAD.multipleResources(scope) };
  return { resource: [...resources][0] ?? "" };
};

const canonicalResource = (resource: string): string | null => {
  const lower = resource.toLowerCase().replace(/\/+$/, "");
  return [...MDE_RESOURCES, ...OTHER_RESOURCES].find((r) => r.toLowerCase() === lower) ?? null;
};

/** Checks a client assertion (reference §1.5); null when valid. */
const checkAssertion = (reg: RegisteredClient, assertion: string, audiences: readonly string[]): AadError | null => {
  const jwt = decodeJwt(assertion);
  if (jwt === null) return AAD.badAssertion("The assertion is not a well-formed JWT.");
  if (reg.certificate === null) return AAD.badAssertion(`No certificate is registered on app '${reg.client.clientId}'.`);
  const { header, payload } = jwt;
  const x5t = header["x5t"];
  const x5tS256 = header["x5t#S256"];
  if ((x5t !== undefined && x5t !== reg.certificate.x5t) || (x5tS256 !== undefined && x5tS256 !== reg.certificate.x5tS256)) {
    return AAD.badAssertion(`Key was not found. Thumbprint of key used by client: '${String(x5tS256 ?? x5t)}'.`);
  }
  if (!verifySignature(jwt, reg.certificate.publicKey))
    return AAD.badAssertion(`Signature (${String(header["alg"])}) does not verify with the registered certificate.`);
  const id = reg.client.clientId.toLowerCase();
  if (String(payload["iss"]).toLowerCase() !== id || String(payload["sub"]).toLowerCase() !== id)
    return AAD.badAssertion("The iss and sub claims must be the client id.");
  const aud = typeof payload["aud"] === "string" ? (payload["aud"].split("?")[0] ?? "") : "";
  if (!audiences.includes(aud.toLowerCase())) return AAD.badAssertion(`The aud claim '${String(payload["aud"])}' is not this token endpoint.`);
  const now = Math.floor(Date.now() / 1000);
  const exp = payload["exp"];
  const nbf = payload["nbf"];
  if (typeof exp !== "number" || now > exp + CLOCK_SKEW_S || (typeof nbf === "number" && nbf > now + CLOCK_SKEW_S)) return AAD.assertionTime(now, nbf, exp);
  return null;
};

/** The audience Entra requires of a federated token. */
export const FEDERATION_AUDIENCE = "api://AzureADTokenExchange";

/** Checks a token of the tenant's workload issuer against the app's federated credential; null when valid. */
const checkFederatedAssertion = (state: TenantState, reg: RegisteredClient, assertion: string): AadError | null => {
  const jwt = decodeJwt(assertion);
  const { issuer, publicKey } = state.federation;
  if (jwt === null) return AAD.badAssertion("The assertion is not a well-formed JWT.");
  if (!verifySignature(jwt, publicKey))
    return AAD.badAssertion(`Signature (${String(jwt.header["alg"])}) does not verify with the keys of issuer '${issuer}'.`);
  const subject = reg.client.federatedSubject;
  if (subject === undefined) return AAD.federationIssuer(issuer);
  const aud = jwt.payload["aud"];
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (!audiences.includes(FEDERATION_AUDIENCE)) return AAD.federationAudience(String(aud));
  if (jwt.payload["sub"] !== subject) return AAD.federationSubject(issuer, String(jwt.payload["sub"]));
  const now = Math.floor(Date.now() / 1000);
  const exp = jwt.payload["exp"];
  const nbf = jwt.payload["nbf"];
  if (typeof exp !== "number" || now > exp + CLOCK_SKEW_S || (typeof nbf === "number" && nbf > now + CLOCK_SKEW_S)) return AAD.assertionTime(now, nbf, exp);
  return null;
};

const basicCredentials = (authorization: string | undefined): { id: string; secret: string } | null => {
  const m = /^Basic\s+(.+)$/i.exec(authorization ?? "");
  if (m?.[1] === undefined) return null;
  const decoded = Buffer.from(m[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? null : { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
};

/** The issuer of a token request: the client id from the form, Basic auth, or the assertion. */
const clientIdOf = (form: URLSearchParams, basic: { id: string } | null): string | null => {
  const fromForm = form.get("client_id") ?? basic?.id ?? null;
  if (fromForm !== null) return fromForm;
  const assertion = form.get("client_assertion");
  const iss = assertion === null ? undefined : decodeJwt(assertion)?.payload["iss"];
  return typeof iss === "string" ? iss : null;
};

/** `POST /{tenant}/oauth2/v2.0/token` and `/oauth2/token`: client credentials only. */
export const tokenReply = (state: TenantState, route: EntraRoute, origin: string, form: URLSearchParams, authorization: string | undefined): Reply => {
  const badTenant = checkTenant(state, route.tenant);
  if (badTenant !== null) return fail(badTenant);
  const grant = form.get("grant_type");
  if (grant === null) return fail(AAD.missingParameter("grant_type"));
  if (grant !== "client_credentials") return fail(AAD.unsupportedGrant(grant));
  const basic = basicCredentials(authorization);
  const clientId = clientIdOf(form, basic);
  if (clientId === null) return fail(AAD.missingParameter("client_id"));

  let resource: string;
  if (route.version === 2) {
    const scoped = resourceFromScope(form.get("scope"));
    if ("error" in scoped) return fail(scoped.error);
    resource = scoped.resource;
  } else {
    resource = form.get("resource") ?? AAD_GRAPH;
  }

  const reg = state.clients.get(clientId.toLowerCase());
  if (reg === undefined) return fail(AAD.unknownClient(clientId, route.tenant));
  const { client } = reg;

  let acr: "1" | "2";
  const assertion = form.get("client_assertion");
  const secret = form.get("client_secret") ?? basic?.secret ?? null;
  if (assertion !== null) {
    if (form.get("client_assertion_type") !== JWT_BEARER) return fail(AAD.missingParameter("client_assertion_type"));
    const assertedIss = decodeJwt(assertion)?.payload["iss"];
    if (assertedIss === state.federation.issuer) {
      const bad = checkFederatedAssertion(state, reg, assertion);
      if (bad !== null) return fail(bad);
      return issueToken(state, route, client, resource, "2");
    }
    if (typeof assertedIss === "string" && assertedIss.toLowerCase() !== clientId.toLowerCase()) return fail(AAD.assertionClientMismatch());
    const audiences = [state.options.tenantId, state.options.tenantDomain.toLowerCase(), route.tenant.toLowerCase()]
      .flatMap((t) => [`${origin}/${t}/oauth2/v2.0/token`, `${origin}/${t}/oauth2/token`])
      .map((a) => a.toLowerCase());
    const bad = checkAssertion(reg, assertion, audiences);
    if (bad !== null) return fail(bad);
    acr = "2";
  } else if (secret !== null) {
    if (client.clientSecret === undefined || secret !== client.clientSecret) return fail(AAD.badSecret(client.clientId));
    if (client.secretExpired === true) return fail(AAD.secretExpired(client.clientId));
    acr = "1";
  } else {
    return fail(AAD.noCredential());
  }

  return issueToken(state, route, client, resource, acr);
};

/** A token for `client` and `resource`, in the v1 or v2 shape of `route`; or AADSTS500011 for a resource the tenant lacks. */
const issueToken = (state: TenantState, route: EntraRoute, client: RegisteredClient["client"], resource: string, acr: "1" | "2"): Reply => {
  const known = canonicalResource(resource);
  const isMde = known !== null && MDE_RESOURCES.includes(known);
  if (known === null || (isMde && !state.options.resourceProvisioned)) return fail(AAD.resourceNotFound(resource, route.tenant));

  const { token, claims } = state.issuer.issue(client, known, acr, state.options.tokenValiditySeconds);
  state.stats.tokensIssued += 1;
  const lifetime = state.options.tokenLifetimeSeconds;
  const headers = { "cache-control": "no-store, no-cache", pragma: "no-cache", "x-ms-request-id": randomUUID() };
  if (route.version === 2) {
    return jsonReply(200, { token_type: "Bearer", expires_in: lifetime, ext_expires_in: lifetime, access_token: token }, headers);
  }
  return jsonReply(
    200,
    {
      token_type: "Bearer",
      expires_in: String(lifetime),
      ext_expires_in: String(lifetime),
      expires_on: String(claims.iat + lifetime),
      not_before: String(claims.nbf),
      resource: known,
      access_token: token,
    },
    headers,
  );
};

/** Path of the simulated managed identity endpoint (App Service / Functions shape, api-version 2019-08-01). */
export const MANAGED_IDENTITY_PATH = "/msi/token";

const miError = (status: number, message: string): Reply => jsonReply(status, { statusCode: status, message, correlationId: randomUUID() });

/**
 * `GET /msi/token?api-version=2019-08-01&resource=…[&client_id=…]` with `X-IDENTITY-HEADER`:
 * the App Service managed identity endpoint. Answers `{ access_token, expires_on, resource,
 * token_type, client_id }`; errors as App Service sends them (`{ statusCode, message, correlationId }`).
 */
export const managedIdentityReply = (state: TenantState, query: URLSearchParams, identityHeader: string | undefined): Reply => {
  if (identityHeader !== state.identityHeader) return miError(401, "The X-IDENTITY-HEADER is missing or does not match IDENTITY_HEADER.");
  if (query.get("api-version") !== "2019-08-01") return miError(400, "The api-version is missing or not supported; use 2019-08-01.");
  const resource = query.get("resource");
  if (resource === null || resource === "") return miError(400, "The resource parameter is missing.");
  const asked = query.get("client_id");
  const registrations = [...state.clients.values()].map((r) => r.client);
  const client =
    asked === null
      ? registrations.find((c) => c.managedIdentity === "system-assigned")
      : registrations.find((c) => c.managedIdentity === "user-assigned" && c.clientId.toLowerCase() === asked.toLowerCase());
  if (client === undefined) {
    return miError(
      400,
      asked === null
        ? "No system assigned managed identity is enabled on this resource."
        : "No User Assigned or Delegated Managed Identity found for specified ClientId/ResourceId/PrincipalId.",
    );
  }
  const known = canonicalResource(resource.replace(/\/\.default$/, ""));
  if (known === null || (MDE_RESOURCES.includes(known) && !state.options.resourceProvisioned)) {
    const e = AAD.resourceNotFound(resource, state.options.tenantId);
    return miError(400, `AADSTS${e.code}: ${e.description}`);
  }
  const { token, claims } = state.issuer.issue(client, known, "2", state.options.tokenValiditySeconds);
  state.stats.tokensIssued += 1;
  return jsonReply(200, {
    access_token: token,
    expires_on: String(claims.iat + state.options.tokenLifetimeSeconds),
    resource: known,
    token_type: "Bearer",
    client_id: client.clientId,
  });
};
