/**
 * Errors a source adapter raises: an {@link ApiError} built in one call, and the error of a
 * failed request to the source's API, classified once by the HTTP status or network failure
 * (never by a message's text) into the framework's codes.
 */
import { HTTPError, RequestError, TimeoutError } from "got";
import { ProbeRunError, type ApiError, type ProbeError } from "../engine/errors.js";
import { cancelled } from "../sync/failures.js";

/**
 * An {@link ApiError}: `code` from the framework's table (`ERR_API_…`) or the probe's own
 * `errorCodes`; `message` says what happened, `hint` what to do; `extra` adds the HTTP
 * status and the request id to quote to the source's support. Never put a secret in any of them.
 */
export const apiError = (code: string, message: string, hint: string, extra: Pick<ApiError, "status" | "requestId"> = {}): ApiError => ({
  _tag: "ApiError",
  code,
  message,
  hint,
  ...extra,
});

/** How {@link httpFailure} names the source in its messages. */
export interface HttpFailureContext {
  /** The source as a person reads it, e.g. `Acme`. */
  readonly source: string;
  /** The run's signal: an error after it aborted is the cancellation. */
  readonly signal?: AbortSignal | undefined;
  /** What to say on a 401 or 403: which key or permission the source needs. Absent: a general hint. */
  readonly permissionHint?: string | undefined;
}

const header = (headers: Readonly<Record<string, string | string[] | undefined>>, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * The run's error for whatever a request to the source's API threw (a `SourceSession`'s
 * `classify`): a `ProbeRunError` raised on purpose gives its own error; an HTTP answer its
 * status's code (401 `ERR_API_UNAUTHORIZED`, 403 `ERR_API_FORBIDDEN`, 404 `ERR_API_NOT_FOUND`,
 * 429 `ERR_API_THROTTLED`, 5xx `ERR_API_SERVER`, any other `ERR_API_BAD_RESPONSE`); a
 * network failure or timeout `ERR_API_NETWORK`; anything after the signal aborted
 * `ERR_CANCELLED`. Messages carry no body and no URL query: neither is known to be safe to show.
 */
export const httpFailure = (error: unknown, { source, signal, permissionHint }: HttpFailureContext): ProbeError => {
  if (signal?.aborted === true) return cancelled();
  const raised: unknown = error instanceof RequestError ? error.cause : error;
  if (raised instanceof ProbeRunError) return raised.detail;
  if (error instanceof ProbeRunError) return error.detail;
  const access = permissionHint ?? `Check the credential and what it is allowed to read in ${source}.`;
  if (error instanceof HTTPError) {
    const status = error.response.statusCode;
    const requestId = header(error.response.headers, "x-request-id");
    const extra = { status, requestId };
    if (status === 401) return apiError("ERR_API_UNAUTHORIZED", `The ${source} API refused the credential (HTTP 401).`, access, extra);
    if (status === 403) return apiError("ERR_API_FORBIDDEN", `The ${source} API refused access to the device list (HTTP 403).`, access, extra);
    if (status === 404)
      return apiError("ERR_API_NOT_FOUND", `The ${source} API answered 404 (not found) for the device list.`, "Check the API URL option.", extra);
    if (status === 429)
      return apiError(
        "ERR_API_THROTTLED",
        `The ${source} API kept throttling (HTTP 429) after every retry.`,
        "Run again later; something else may share the quota.",
        extra,
      );
    if (status >= 500)
      return apiError(
        "ERR_API_SERVER",
        `The ${source} API had a server error (HTTP ${status}) after every retry.${requestId === undefined ? "" : ` Request id: ${requestId}.`}`,
        `This is on ${source}'s side: try again later.`,
        extra,
      );
    return apiError(
      "ERR_API_BAD_RESPONSE",
      `The ${source} API answered HTTP ${status} instead of the device list.`,
      "Check the options; the run is marked incomplete.",
      extra,
    );
  }
  if (error instanceof TimeoutError)
    return apiError("ERR_API_NETWORK", `The ${source} API did not answer in time (${error.event} timeout).`, "Check the network path (proxy, firewall).");
  const code = (error as { code?: unknown } | null)?.code;
  const codeText = typeof code === "string" ? code : error instanceof Error ? error.name : "unknown";
  const tls = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/.test(codeText);
  return apiError(
    "ERR_API_NETWORK",
    `Could not reach the ${source} API (${codeText}).`,
    tls
      ? "The server's certificate is not trusted. Behind a TLS-inspecting proxy, add its CA with NODE_EXTRA_CA_CERTS=/path/ca.pem."
      : "Check DNS, firewall and proxy settings, and the API URL option.",
  );
};
