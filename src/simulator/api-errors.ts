/**
 * Error replies of the Defender API (reference §5.2–5.3): the documented
 * `{"error":{"code","message","target"}}` shape with a fresh `target` GUID (also sent as
 * `x-request-id`), OData's `code:""` + `details` variant for query errors, the 429 quota
 * body with `code:"429"`, and an HTML gateway page for the `html` fault.
 */
import { randomUUID } from "node:crypto";
import { STATUS_CODES } from "node:http";
import type { Reply } from "./http.js";

const ERROR_CONTENT_TYPE = "application/json; odata.metadata=minimal";

/** `{"error":{"code","message","target"}}` with status and extra headers. */
export const apiError = (status: number, code: string, message: string, headers: Record<string, string> = {}): Reply => {
  const target = randomUUID();
  return {
    status,
    headers: { "content-type": ERROR_CONTENT_TYPE, "odata-version": "4.0", "x-request-id": target, ...headers },
    body: JSON.stringify({ error: { code, message, target } }),
  };
};

/** 400 for an invalid OData query: `code:""`, `details:[]`, no target (as observed). */
export const odataError = (message: string): Reply => ({
  status: 400,
  headers: { "content-type": ERROR_CONTENT_TYPE, "odata-version": "4.0" },
  body: JSON.stringify({ error: { code: "", message: `The query specified in the URI is not valid. ${message}`, details: [] } }),
});

/** 401 as captured: missing, invalid, expired, revoked or role-less token. */
export const unauthorized = (): Reply => apiError(401, "Unauthorized", "Authorization has been denied for this request.", { "www-authenticate": "Bearer" });

/** 403 for a token whose roles include neither machine read role. */
export const missingRoles = (roles: readonly string[]): Reply =>
  apiError(403, "Forbidden", `Missing application roles. API required roles: Machine.Read.All,Machine.ReadWrite.All, application roles: ${roles.join(",")}.`);

/** 403 for a token issued to another resource (the Defender XDR audience trap). The message is the simulator's own wording. */
export const wrongAudience = (aud: string): Reply =>
  apiError(403, "Forbidden", `The access token audience '${aud}' is not valid for this API. Request the token for https://api.securitycenter.microsoft.com.`);

/** 429 with `Retry-After` (seconds) and the quota body of §5.2. */
export const quotaExceeded = (limit: number, window: string, retryAfterSeconds: number): Reply =>
  apiError(429, "429", `API calls quota exceeded! maximum allowed ${limit} per ${window}`, { "retry-after": String(retryAfterSeconds) });

/** 404 with `ResourceNotFound`. */
export const notFound = (message: string): Reply => apiError(404, "ResourceNotFound", message);

const CODES: Record<number, string> = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  405: "MethodNotAllowed",
  500: "InternalServerError",
  502: "BadGateway",
  503: "ServiceUnavailable",
  504: "GatewayTimeout",
};

/** The reply of a `status` fault: the service's body for that status, Retry-After when given. */
export const statusFaultReply = (status: number, retryAfter?: number): Reply => {
  const headers: Record<string, string> = retryAfter === undefined ? {} : { "retry-after": String(retryAfter) };
  if (status === 401) {
    const reply = unauthorized();
    return { ...reply, headers: { ...reply.headers, ...headers } };
  }
  if (status === 429) return quotaExceeded(100, "00:01:00", retryAfter ?? 60);
  if (status === 404) return notFound("No machines found"); // what the machine list answers 404 for
  const code = CODES[status] ?? (STATUS_CODES[status] ?? "Error").replace(/\s+/g, "");
  const message = status === 500 ? "" : `Simulated ${status} ${STATUS_CODES[status] ?? ""}`.trim();
  return apiError(status, code, message, headers);
};

/** An HTML error page, as a proxy or gateway would send. */
export const htmlReply = (status = 200): Reply => ({
  status,
  headers: { "content-type": "text/html; charset=utf-8" },
  body: `<!DOCTYPE html>\n<html><head><title>${status === 200 ? "Sign in" : `${status} ${STATUS_CODES[status] ?? ""}`}</title></head><body><h1>The page cannot be displayed</h1><p>Request blocked by the corporate proxy.</p></body></html>\n`,
});
