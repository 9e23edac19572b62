/**
 * Entra ID token-endpoint errors (reference §1.6): the AADSTS catalogue the simulator uses
 * and the exact body shape, with `x-ms-request-id` = `trace_id`.
 */
import { randomUUID } from "node:crypto";

/** One AADSTS error: HTTP status, OAuth `error`, number and description (without the trailer). */
export interface AadError {
  readonly status: number;
  readonly error: string;
  readonly code: number;
  readonly description: string;
}

const e = (status: number, error: string, code: number, description: string): AadError => ({ status, error, code, description });

/** The errors the simulated token endpoint returns, by situation. */
export const AAD = {
  badSecret: (clientId: string) =>
    e(
      401,
      "invalid_client",
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
    ),
  secretExpired: (clientId: string) =>
    e(
      401,
      "invalid_client",
      7000222,
      `The provided client secret keys for app '${clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`,
    ),
  noCredential: () => e(401, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."),
  badAssertion: (why: string) => e(401, "invalid_client", 700027, `Client assertion failed signature validation. ${why}`),
  assertionTime: (now: number, nbf: unknown, exp: unknown) =>
    e(
      401,
      "invalid_client",
      700024,
      `Client assertion is not within its valid time range. Current time: ${new Date(now * 1000).toISOString()}, assertion valid from ${typeof nbf === "number" ? new Date(nbf * 1000).toISOString() : "?"}, expiry time of assertion ${typeof exp === "number" ? new Date(exp * 1000).toISOString() : "?"}.`,
    ),
  assertionClientMismatch: () =>
    e(
      401,
      "invalid_client",
      700021,
      "Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials.",
    ),
  federationIssuer: (iss: string) =>
    e(
      400,
      "invalid_request",
      700211,
      `No matching federated identity record found for presented assertion issuer '${iss}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion.`,
    ),
  federationSubject: (iss: string, sub: string) =>
    e(
      400,
      "invalid_request",
      70021,
      `No matching federated identity record found for presented assertion. Assertion Issuer: '${iss}'. Assertion Subject: '${sub}'. Assertion Audience: 'api://AzureADTokenExchange'.`,
    ),
  federationAudience: (aud: string) =>
    e(
      400,
      "invalid_request",
      700212,
      `No matching federated identity record found for presented assertion audience '${aud}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion.`,
    ),
  unknownClient: (clientId: string, tenant: string) =>
    e(
      400,
      "unauthorized_client",
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    ),
  tenantNotFound: (tenant: string) =>
    e(
      400,
      "invalid_tenant",
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    ),
  malformedTenant: (tenant: string) =>
    e(400, "invalid_request", 900023, `Specified tenant identifier '${tenant}' is neither a valid DNS name, nor a valid external domain.`),
  resourceNotFound: (resource: string, tenant: string) =>
    e(
      400,
      "invalid_resource",
      500011,
      `The resource principal named ${resource} was not found in the tenant named ${tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    ),
  invalidScope: (scope: string) =>
    e(
      400,
      "invalid_scope",
      70011,
      `The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`,
    ),
  scopeWithoutDefault: (scope: string) =>
    e(
      400,
      "invalid_scope",
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    ),
  multipleResources: (scope: string) =>
    e(
      400,
      "invalid_scope",
      700022,
      `The provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${scope} is not valid.`,
    ),
  missingParameter: (name: string) => e(400, "invalid_request", 900144, `The request body must contain the following parameter: '${name}'.`),
  unsupportedGrant: (grant: string) => e(400, "unsupported_grant_type", 70003, `The app requested an unsupported grant type '${grant}'.`),
  postOnly: () => e(400, "invalid_request", 900561, "The endpoint only accepts POST requests. Received a GET request."),
  malformed: (status: number) => e(status, status === 401 ? "invalid_client" : "invalid_request", 9002313, "Invalid request. Request is malformed or invalid."),
  throttled: () =>
    e(
      429,
      "temporarily_unavailable",
      50196,
      "The server terminated an operation because it encountered a client request loop. Please contact your app vendor.",
    ),
  unavailable: (status: number) => e(status, "temporarily_unavailable", 90033, "A transient error has occurred. Please try again."),
} as const;

/** Looks up a catalogue error by AADSTS number (for token faults); unknown numbers get a generic 400. */
export const aadByCode = (code: number, clientId: string, tenant: string): AadError => {
  const all: AadError[] = [
    AAD.badSecret(clientId),
    AAD.secretExpired(clientId),
    AAD.noCredential(),
    AAD.badAssertion(""),
    AAD.unknownClient(clientId, tenant),
    AAD.tenantNotFound(tenant),
    AAD.malformedTenant(tenant),
    AAD.resourceNotFound("https://api.securitycenter.microsoft.com", tenant),
    AAD.invalidScope(""),
    AAD.scopeWithoutDefault(""),
    AAD.multipleResources(""),
    AAD.throttled(),
    AAD.unavailable(503),
    AAD.assertionClientMismatch(),
    AAD.federationIssuer(""),
    AAD.federationSubject("", ""),
    AAD.federationAudience(""),
  ];
  return all.find((x) => x.code === code) ?? e(400, "invalid_request", code, "Simulated error.");
};

/** `YYYY-MM-DD HH:MM:SSZ`, Entra's error timestamp format. */
export const aadTimestamp = (date: Date): string => `${date.toISOString().slice(0, 19).replace("T", " ")}Z`;

/** The JSON body and headers of an AADSTS error response. */
export const aadErrorResponse = (err: AadError, now = new Date()): { status: number; headers: Record<string, string>; body: string } => {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = aadTimestamp(now);
  const body = {
    error: err.error,
    error_description: `AADSTS${err.code}: ${err.description}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [err.code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${err.code}`,
  };
  return {
    status: err.status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store, no-cache", "x-ms-request-id": traceId },
    body: JSON.stringify(body),
  };
};
