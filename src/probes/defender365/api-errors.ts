/**
 * The one place got errors from the Defender API become {@link ApiError}s, with messages
 * from the troubleshooting list (500, 404, 403, 401, 429, network). Decisions use the
 * HTTP status and error codes, never message text.
 *
 * Vendor doc: https://learn.microsoft.com/defender-endpoint/api/common-errors
 */
import { cancelled } from "../../sync/failures.js";
import { RequestError, HTTPError, TimeoutError } from "got";
import { ProbeRunError, type ApiError, type ProbeError } from "../../engine/errors.js";
import { redact } from "../../util/redact.js";
import type { TokenClaims } from "../../runtime/auth/token-claims.js";

/** Roles that allow listing machines. */
export const MACHINE_READ_ROLES = ["Machine.Read.All", "Machine.ReadWrite.All"] as const;

/** Audiences that the machines API accepts (the WindowsDefenderATP resource). */
export const DEFENDER_AUDIENCES = [
  "https://api.securitycenter.microsoft.com",
  "https://securitycenter.onmicrosoft.com/windowsatpservice",
  "https://api.securitycenter.windows.com",
  "fc780465-2017-40d4-a0c5-307022471b92",
] as const;

/** The documented error body: `{"error":{"code","message","target"}}`. */
export interface DefenderErrorBody {
  readonly code: string | null;
  readonly message: string | null;
  readonly target: string | null;
}

/** Reads a Defender error body, or null when the body is not one (HTML from a wrong host, empty). */
export const readErrorBody = (body: unknown): DefenderErrorBody | null => {
  if (typeof body !== "string" || body.length === 0 || body.length > 64_000) return null;
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown; target?: unknown } };
    const e = parsed.error;
    if (typeof e !== "object" || e === null) return null;
    const s = (v: unknown) => (typeof v === "string" ? v : null);
    return { code: s(e.code), message: s(e.message), target: s(e.target) };
  } catch {
    return null;
  }
};

/** Context for a readable message. */
export interface ApiErrorContext {
  /** The run's signal: an abort becomes ERR_CANCELLED, not a network error. */
  readonly signal?: AbortSignal | undefined;
  /** Claims of the token in use, to say which roles it carries. */
  readonly claims?: TokenClaims | undefined;
  /** The API base URL, to name it. */
  readonly apiBaseUrl: string;
  /** Strings to scrub from any text taken from the error. */
  readonly secrets: readonly string[];
  /** Retries allowed, for the message. */
  readonly retryLimit: number;
}

const roleList = (claims?: TokenClaims) => (claims && claims.roles.length > 0 ? claims.roles.join(", ") : "none");

const CONSENT_HINT =
  "In Entra ID › App registrations › (your app) › API permissions: Add a permission › APIs my organization uses › WindowsDefenderATP › Application permissions › Machine.Read.All, then Grant admin consent. New grants can take a few minutes to reach the token.";

/** Classifies any error thrown by a got call to the Defender API. */
export const classifyApiError = (error: unknown, ctx: ApiErrorContext): ProbeError => {
  if (ctx.signal?.aborted) return cancelled();
  const host = safeHost(ctx.apiBaseUrl);

  // An error we raised ourselves: in the page reader, or inside a hook (sign-in failed during a refresh).
  const cause: unknown = error instanceof RequestError ? error.cause : error;
  if (cause instanceof ProbeRunError) return cause.detail;

  if (error instanceof HTTPError) {
    const status = error.response.statusCode;
    const body = readErrorBody(error.response.body);
    const requestId = body?.target ?? headerOf(error.response.headers, "x-request-id");
    const base = { _tag: "ApiError" as const, status, requestId };
    const said = body?.message ? ` The API said: "${redact(body.message, ctx.secrets).slice(0, 300)}"` : "";
    switch (true) {
      case status === 401:
        return {
          ...base,
          code: "ERR_API_UNAUTHORIZED",
          message: `The Defender API refused the token (HTTP 401), also after a fresh one. The token carries roles: ${roleList(ctx.claims)}.${said}`,
          hint:
            ctx.claims && ctx.claims.roles.length === 0
              ? `The app has no Defender permission granted. ${CONSENT_HINT}`
              : `Check that the token is for the WindowsDefenderATP resource (the scope/cloud options). ${CONSENT_HINT}`,
        };
      case status === 403: {
        const aud = ctx.claims?.audience;
        const wrongAudience = aud !== null && aud !== undefined && !(DEFENDER_AUDIENCES as readonly string[]).includes(aud);
        return {
          ...base,
          code: "ERR_API_FORBIDDEN",
          message: wrongAudience
            ? `The Defender API refused the token (HTTP 403): it was issued for ${aud}, not the WindowsDefenderATP resource.${said}`
            : `The app may not read machines (HTTP 403): it needs Machine.Read.All (or Machine.ReadWrite.All); the token carries roles: ${roleList(ctx.claims)}.${said}`,
          hint: wrongAudience
            ? "Use the scope https://api.securitycenter.microsoft.com/.default (the default), even when calling api.security.microsoft.com."
            : CONSENT_HINT,
        };
      }
      case status === 404:
        return {
          ...base,
          code: "ERR_API_NOT_FOUND",
          message: `The API at ${host} answered 404 (not found) for the machine list: this is not the Defender for Endpoint API, or not this region.${said}`,
          hint: "Check apiBaseUrl (e.g. https://api.security.microsoft.com or a regional host like https://eu.api.security.microsoft.com) and the cloud option.",
        };
      case status >= 300 && status < 400: {
        const location = headerOf(error.response.headers, "location");
        const to = location === undefined ? "" : ` to ${safeOrigin(location, ctx.apiBaseUrl)}`;
        return {
          ...base,
          code: "ERR_API_BAD_RESPONSE",
          message: `The API at ${host} answered a redirect (HTTP ${status}${to}) instead of the machine list; it was not followed, so the token went nowhere else.`,
          hint: "Check apiBaseUrl (the API's own https host, e.g. https://api.security.microsoft.com) and any proxy in the way. The run is marked incomplete.",
        };
      }
      case status === 429: {
        const retryAfter = headerOf(error.response.headers, "retry-after");
        return {
          ...base,
          code: "ERR_API_THROTTLED",
          message: `The Defender API kept throttling (HTTP 429)${retryAfter ? ` and asked to wait ${retryAfter} s` : ""}; gave up after ${error.response.retryCount} retries.`,
          hint: "Another tool with the same app may be using the quota (100 calls/min, 1,500/h per app and tenant). Run again later, or give this probe its own app registration.",
        };
      }
      case status >= 500:
        return {
          ...base,
          code: "ERR_API_SERVER",
          message: `The Defender API had a server error (HTTP ${status}) and still did after ${error.response.retryCount} retries.${requestId ? ` Request id: ${requestId}.` : ""}`,
          hint: "This is on Microsoft's side: try again later. If it persists, check the service health page and quote the request id to support.",
        };
      default:
        return {
          ...base,
          code: "ERR_API_BAD_RESPONSE",
          message: `The Defender API answered HTTP ${status}${body?.code ? ` (${body.code})` : ""}.${said}`,
          hint: "Check the options (pageSize, apiBaseUrl). If they look right, report this with the request id.",
        };
    }
  }

  if (error instanceof TimeoutError) {
    return {
      _tag: "ApiError",
      code: "ERR_API_NETWORK",
      message: `The Defender API at ${host} did not answer in time (${error.event} timeout), after ${ctx.retryLimit} retries.`,
      hint: "Check the network path (proxy, firewall). Large tenants send ~13 MB per page: a slow link may need a longer responseTimeoutMs.",
    };
  }

  const code = (error as { code?: unknown }).code;
  const codeText = typeof code === "string" ? code : "unknown";
  const tls = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/.test(codeText);
  return {
    _tag: "ApiError",
    code: "ERR_API_NETWORK",
    message: `Could not reach the Defender API at ${host} (${codeText}).`,
    hint: tls
      ? "The server's certificate is not trusted. Behind a TLS-inspecting proxy, add its CA with NODE_EXTRA_CA_CERTS=/path/ca.pem."
      : "Check DNS, firewall and proxy settings for this host, and apiBaseUrl.",
  };
};

const headerOf = (headers: Record<string, string | string[] | undefined>, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** The origin of `url` (resolved against `base`), never its path or query, which may carry anything. */
const safeOrigin = (url: string, base: string): string => {
  try {
    return new URL(url, base).origin;
  } catch {
    return "an address that is not a URL";
  }
};

const safeHost = (url: string): string => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

/** A page that could not be read as the documented envelope. */
export const badPage = (pageNumber: number, what: string): ApiError => ({
  _tag: "ApiError",
  code: "ERR_API_BAD_RESPONSE",
  message: `Page ${pageNumber} of the machine list was not valid: ${what}.`,
  hint: "A proxy may have cut or rewritten the response, or the service failed mid-answer. Run again; the run is marked incomplete.",
});

/**
 * Page `pageNumber` (after a full page) said the list was over: a 404 "no machines", or an
 * empty page where the overlap between pages says a device is. `ERR_API_LIST_CUT_SHORT`.
 */
export const listCutShort = (pageNumber: number, what: string): ApiError => ({
  _tag: "ApiError",
  code: "ERR_API_LIST_CUT_SHORT",
  message: `Page ${pageNumber} of the machine list ${what}, although the pages before it said devices remain; the rest of the list could not be read.`,
  hint: "The service or a proxy answered wrongly, or the list changed a great deal while it was read. Run again; the run is marked incomplete.",
});

/** Page `pageNumber`'s body was over `maxBytes` (`declared`: its Content-Length, when that said so). `ERR_API_RESPONSE_TOO_LARGE`. */
export const pageTooLarge = (pageNumber: number, maxBytes: number, declared: number | null): ApiError => ({
  _tag: "ApiError",
  code: "ERR_API_RESPONSE_TOO_LARGE",
  message: `Page ${pageNumber} of the machine list ${declared === null ? "grew past" : `declared ${declared} bytes, over`} the maxPageBytes option (${maxBytes} bytes) and was not read further.`,
  hint: "A 10,000-device page is about 13 MB; a page far larger is a fault of the service or a proxy. If pages really are this large, raise the maxPageBytes option. The run is marked incomplete.",
});

/** Page `pageNumber`'s body was still arriving `deadlineMs` after its headers. `ERR_API_PAGE_TIMEOUT`. */
export const pageTooSlow = (pageNumber: number, deadlineMs: number, received: number): ApiError => ({
  _tag: "ApiError",
  code: "ERR_API_PAGE_TIMEOUT",
  message: `Page ${pageNumber} of the machine list was still arriving after the pageDeadlineMs option (${deadlineMs} ms; ${received} bytes in); it was abandoned, without a retry.`,
  hint: "The service, a proxy or the link sends the page far too slowly. On a link that really is this slow, raise the pageDeadlineMs option. The run is marked incomplete.",
});

/** More than `maxDevices` devices were listed. `ERR_API_LIST_TOO_LONG`. */
export const listTooLong = (maxDevices: number): ApiError => ({
  _tag: "ApiError",
  code: "ERR_API_LIST_TOO_LONG",
  message: `The machine list went on past the maxDevices option (${maxDevices} devices); reading stopped there.`,
  hint: "A list that never ends is a fault of the service or a proxy. If the tenant really holds more devices, raise the maxDevices option. The run is marked incomplete.",
});

/** Paging went wrong (a loop or a foreign nextLink). */
export const pagingError = (message: string, hint: string): ApiError => ({ _tag: "ApiError", code: "ERR_API_PAGING", message, hint });
