/**
 * The one place failures of Falcon calls become the run's errors. Falcon's answer is judged
 * by its status and its body's `errors` array (a 200 with errors is a failure). Every message
 * carries the trace id (`X-Cs-Traceid`) to quote to support. Decisions use statuses and error
 * codes; two refusals Falcon gives the same status (403 for a missing scope, an IP allow-list
 * and a wrong secret) are told apart by the message Falcon documents for each, and an
 * unrecognised one gets a hint naming every cause.
 *
 * Vendor docs: the swagger's `MsaReplyMetaOnly`; falcon-installer `pkg/falcon/falcon.go`
 * (`isPermissionDeniedError`); gofalcon `falcon/cloud.go` (allow-list message).
 */
import { HTTPError, RequestError, TimeoutError } from "got";
import { ProbeRunError, type ApiError, type AuthError, type ProbeError } from "../../engine/errors.js";
import { BodyDeadlineError, BodyTooLargeError } from "../../runtime/http/stream-body.js";
import { cancelled } from "../../sync/failures.js";
import { redact } from "../../util/redact.js";

/** One entry of a Falcon body's `errors`. */
export interface FalconErrorEntry {
  readonly code: number | null;
  readonly message: string | null;
}

/** What a Falcon answer says about failure: its `errors` and its trace id. */
export interface FalconAnswer {
  readonly errors: readonly FalconErrorEntry[];
  readonly traceId: string | null;
}

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** A header's first value. */
export const headerOf = (headers: Headers, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** The `errors` entries of a parsed body (`errors: null` or absent: none). */
export const errorsOf = (body: unknown): FalconErrorEntry[] => {
  if (typeof body !== "object" || body === null) return [];
  const list = (body as { errors?: unknown }).errors;
  if (!Array.isArray(list)) return [];
  return list.map((entry: unknown) => {
    const e = typeof entry === "object" && entry !== null ? (entry as { code?: unknown; message?: unknown }) : {};
    return { code: typeof e.code === "number" ? e.code : null, message: typeof e.message === "string" ? e.message : null };
  });
};

/** The trace id: the header, else `meta.trace_id`. */
export const traceIdOf = (headers: Headers, body: unknown): string | null => {
  const header = headerOf(headers, "x-cs-traceid");
  if (header !== undefined && header !== "") return header;
  const meta = typeof body === "object" && body !== null ? (body as { meta?: { trace_id?: unknown } }).meta : undefined;
  return typeof meta?.trace_id === "string" ? meta.trace_id : null;
};

/** Reads an error answer's body text (JSON or not). */
export const readAnswer = (headers: Headers, text: unknown): FalconAnswer => {
  let body: unknown;
  if (typeof text === "string" && text.length > 0 && text.length <= 64_000) {
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  }
  return { errors: errorsOf(body), traceId: traceIdOf(headers, body) };
};

/** A 200 whose body carried errors (or any answer this probe refuses after reading it): thrown by the client, classified here. */
export class FalconAnswerError extends Error {
  constructor(
    /** The HTTP status. */
    readonly status: number,
    /** What the body said. */
    readonly answer: FalconAnswer,
  ) {
    super(`Falcon answered HTTP ${status} with ${answer.errors.length} errors`);
    this.name = "FalconAnswerError";
  }
}

/** What a classification needs besides the error. */
export interface FalconErrorContext {
  /** The run's signal: an error after it aborted is the cancellation. */
  readonly signal?: AbortSignal | undefined;
  /** The API origin the call went to, to name it. */
  readonly origin: string;
  /** The cloud the sign-in reached (`X-Cs-Region`), when known, for the wrong-cloud hint. */
  readonly region?: string | null | undefined;
  /** Strings that must never appear in a message (the secret, every token). */
  readonly secrets: readonly string[];
}

const SCOPE_HINT =
  "In Falcon › Support and resources › API clients and keys, edit the API client and tick Hosts: Read (the devices:read scope), then run again (a new token carries the new scope).";
const ALLOW_LIST_HINT = "The API client (or the CID) has an IP allow-list: add this machine's public IP address in Falcon, or run from an allowed network.";

/** ` Trace id: …` when known. */
const traced = (traceId: string | null): string => (traceId === null ? "" : ` Trace id: ${traceId}.`);

/** ` Falcon said: "…"` from the first message, redacted and capped. */
const said = (answer: FalconAnswer, secrets: readonly string[]): string => {
  const message = answer.errors.find((e) => e.message !== null)?.message;
  return message === undefined || message === null ? "" : ` Falcon said: "${redact(message, secrets).slice(0, 200)}".`;
};

/** The documented message of a missing scope. */
const isScopeRefusal = (answer: FalconAnswer): boolean => answer.errors.some((e) => /scope not permitted/i.test(e.message ?? ""));

/** The documented message of an IP allow-list refusal. */
const isAllowListRefusal = (answer: FalconAnswer): boolean => answer.errors.some((e) => /authorization failed/i.test(e.message ?? ""));

/**
 * True for a refusal of the combined endpoint that may mean it is not there (GovCloud): a 404,
 * or a 403 that is not a missing scope (an IP allow-list refuses the scroll that follows as well).
 */
export const isRouteRefusal = (status: number, answer: FalconAnswer): boolean => status === 404 || (status === 403 && !isScopeRefusal(answer));

/** An ApiError with the trace id. */
const api = (code: string, message: string, hint: string, status: number | undefined, traceId: string | null): ApiError => ({
  _tag: "ApiError",
  code,
  message: `${message}${traced(traceId)}`,
  hint,
  status,
  requestId: traceId ?? undefined,
});

/** The error of a data call's answer: `status`, the body's errors, the number of retries made. */
export const dataCallError = (status: number, answer: FalconAnswer, ctx: FalconErrorContext, retries = 0): ApiError => {
  const { origin, secrets } = ctx;
  const text = said(answer, secrets);
  const { traceId } = answer;
  if (status === 401)
    return api(
      "ERR_FALCON_WRONG_CLOUD",
      `The Falcon API at ${origin} refused the token (HTTP 401), also after a fresh one: the token is from another cloud, or the API client was deleted.${text}`,
      `Set the cloud option to the API client's cloud${ctx.region ? ` (the token endpoint said ${ctx.region})` : ""}, or leave it at auto; check that the API client still exists.`,
      status,
      traceId,
    );
  if (status === 403 && isScopeRefusal(answer))
    return api("ERR_FALCON_SCOPE_MISSING", `The API client may not read hosts (HTTP 403): it lacks the Hosts: Read scope.${text}`, SCOPE_HINT, status, traceId);
  if (status === 403 && isAllowListRefusal(answer))
    return api("ERR_FALCON_IP_NOT_ALLOWED", `Falcon refused this machine's IP address (HTTP 403).${text}`, ALLOW_LIST_HINT, status, traceId);
  if (status === 403)
    return api(
      "ERR_API_FORBIDDEN",
      `The Falcon API at ${origin} refused the host list (HTTP 403).${text}`,
      `${SCOPE_HINT} ${ALLOW_LIST_HINT}`,
      status,
      traceId,
    );
  if (status === 404)
    return api(
      "ERR_API_NOT_FOUND",
      `The API at ${origin} answered 404 for the host list.${text}`,
      "Check the cloud and apiBaseUrl options (GovCloud must be named).",
      status,
      traceId,
    );
  if (status === 429)
    return api(
      "ERR_API_THROTTLED",
      `Falcon kept throttling (HTTP 429) after ${retries} retries, or asked to wait longer than the cap.${text}`,
      "Every API client of the CID shares 6,000 requests a minute: run again later, or when other integrations are quiet.",
      status,
      traceId,
    );
  if (status >= 500)
    return api(
      "ERR_API_SERVER",
      `Falcon had a server error (HTTP ${status}) after ${retries} retries.${text}`,
      "This is on CrowdStrike's side: try again later; quote the trace id to support if it persists.",
      status,
      traceId,
    );
  if (status >= 300 && status < 400) return redirectRefused(status, origin, undefined, traceId);
  if (status === 400)
    return api(
      "ERR_FALCON_BAD_REQUEST",
      `Falcon refused the request (HTTP 400).${text}`,
      "Check the filter option's FQL (fields, quoting, operators) and pageSize.",
      status,
      traceId,
    );
  return api(
    "ERR_API_BAD_RESPONSE",
    `The Falcon API at ${origin} answered HTTP ${status}${answer.errors.length > 0 ? " with errors" : ""}.${text}`,
    "Run again; the run is marked incomplete.",
    status,
    traceId,
  );
};

/** A data call answered a redirect (to `to`, an origin, when it named one): never followed, so the token went nowhere else. */
export const redirectRefused = (status: number, origin: string, to: string | undefined, traceId: string | null): ApiError =>
  api(
    "ERR_FALCON_REDIRECT",
    `The Falcon API at ${origin} answered a redirect (HTTP ${status}${to === undefined ? "" : ` to ${to}`}); it was not followed, so the token went nowhere else.`,
    "Check the cloud and apiBaseUrl options (the API's own https host) and any proxy in the way. The run is marked incomplete.",
    status,
    traceId,
  );

/** The status a 200 with errors stands for: its first error's code when that is an HTTP error status, else 200. */
export const statusOfAnswer = (status: number, answer: FalconAnswer): number => {
  const code = answer.errors.find((e) => e.code !== null && e.code >= 400 && e.code < 600)?.code;
  return status === 200 && code !== undefined && code !== null ? code : status;
};

/** The error of a refused token request: `status` and the body's errors. */
export const signInError = (status: number, answer: FalconAnswer, ctx: FalconErrorContext): AuthError => {
  const text = said(answer, ctx.secrets);
  const base = { _tag: "AuthError" as const };
  const at = ` at ${ctx.origin}`;
  if (status === 400)
    return {
      ...base,
      code: "ERR_FALCON_UNKNOWN_CLIENT",
      message: `The Falcon token endpoint${at} does not know the Client ID (HTTP 400).${text}${traced(answer.traceId)}`,
      hint: "Copy the Client ID from Falcon › API clients and keys; check the cloud option (a client exists in one cloud only).",
    };
  if (status === 403 && isAllowListRefusal(answer))
    return {
      ...base,
      code: "ERR_FALCON_IP_NOT_ALLOWED",
      message: `Falcon refused the sign-in from this machine's IP address (HTTP 403).${text}${traced(answer.traceId)}`,
      hint: ALLOW_LIST_HINT,
    };
  if (status === 401 || status === 403)
    return {
      ...base,
      code: "ERR_FALCON_BAD_SECRET",
      message: `The Falcon token endpoint${at} refused the API client's secret (HTTP ${status}).${text}${traced(answer.traceId)}`,
      hint: "Check clientSecret (shown once when the client was created; reset it in Falcon › API clients and keys if lost).",
    };
  return {
    ...base,
    code: "ERR_AUTH_UNAVAILABLE",
    message: `The Falcon token endpoint${at} answered HTTP ${status}.${text}${traced(answer.traceId)}`,
    hint: "Try again later; if it persists, check the status page and quote the trace id to support.",
  };
};

/** A page that could not be read as the documented envelope. */
export const badPage = (what: string, traceId: string | null): ApiError =>
  api(
    "ERR_API_BAD_RESPONSE",
    `A page of the Falcon host list was not valid: ${what}.`,
    "A proxy may have cut or rewritten the response, or the service failed mid-answer. Run again; the run is marked incomplete.",
    undefined,
    traceId,
  );

/**
 * The run's error for what reading one Falcon answer threw, when the probe words it itself: a
 * body past `maxPageBytes` or `pageDeadlineMs`, or a redirect (never followed: only the
 * target's origin is named). Anything else: undefined, for the caller to classify.
 */
export const answerFailure = (error: unknown, apiBaseUrl: string): ApiError | undefined => {
  if (error instanceof BodyTooLargeError) return answerTooLarge(error.maxBytes, error.declared);
  if (error instanceof BodyDeadlineError) return answerTooSlow(error.deadlineMs, error.received);
  if (!(error instanceof HTTPError) || error.response.statusCode < 300 || error.response.statusCode >= 400) return undefined;
  const redirect = error.response;
  const location = headerOf(redirect.headers, "location");
  let to: string | undefined;
  try {
    to = location === undefined ? undefined : new URL(location, redirect.url).origin;
  } catch {
    to = "an address that is not a URL";
  }
  return redirectRefused(redirect.statusCode, new URL(apiBaseUrl).origin, to, traceIdOf(redirect.headers, undefined));
};

/** An answer's body was over `maxBytes` (`declared`: its Content-Length, when that said so). `ERR_API_RESPONSE_TOO_LARGE`. */
export const answerTooLarge = (maxBytes: number, declared: number | null): ApiError =>
  api(
    "ERR_API_RESPONSE_TOO_LARGE",
    `An answer of the Falcon API ${declared === null ? "grew past" : `declared ${declared} bytes, over`} the maxPageBytes option (${maxBytes} bytes) and was not read further.`,
    "A 10,000-host page is tens of MB; an answer far larger is a fault of the service or a proxy. If pages really are this large, lower pageSize or raise maxPageBytes. The run is marked incomplete.",
    undefined,
    null,
  );

/** An answer's body was still arriving `deadlineMs` after its headers. `ERR_API_PAGE_TIMEOUT`. */
export const answerTooSlow = (deadlineMs: number, received: number): ApiError =>
  api(
    "ERR_API_PAGE_TIMEOUT",
    `An answer of the Falcon API was still arriving after the pageDeadlineMs option (${deadlineMs} ms; ${received} bytes in); it was abandoned, without a retry.`,
    "The service, a proxy or the link sends far too slowly. On a link that really is this slow, raise pageDeadlineMs or lower pageSize. The run is marked incomplete.",
    undefined,
    null,
  );

/**
 * The list ended with fewer hosts read than Falcon announced on its last page: hosts the run
 * did not read exist, and an asset one of them protects would be called missing.
 * `ERR_API_LIST_CUT_SHORT`.
 */
export const listShort = (announced: number, read: number): ApiError =>
  api(
    "ERR_API_LIST_CUT_SHORT",
    `Falcon announced ${announced} hosts and the list ended after ${read}: ${announced - read} were not read (hosts added while the list was read, or pages the service left out).`,
    "Run again; the run is marked incomplete and no asset is called missing.",
    undefined,
    null,
  );

/** More than `maxDevices` hosts (or scroll ids) were listed. `ERR_API_LIST_TOO_LONG`. */
export const listTooLong = (maxDevices: number): ApiError =>
  api(
    "ERR_API_LIST_TOO_LONG",
    `The Falcon host list went on past the maxDevices option (${maxDevices} hosts); reading stopped there.`,
    "A list that never ends is a fault of the service or a proxy. If the CID really holds more hosts, raise the maxDevices option. The run is marked incomplete.",
    undefined,
    null,
  );

/** Paging went wrong. */
export const pagingError = (message: string, hint: string): ApiError => api("ERR_API_PAGING", message, hint, undefined, null);

/**
 * The run's error for whatever a Falcon data call threw: a `ProbeRunError` raised on purpose
 * gives its own; an HTTP error or a 200 with errors its status and body; a network failure
 * `ERR_API_NETWORK`; anything after the signal aborted `ERR_CANCELLED`.
 */
export const classifyFalconError = (error: unknown, ctx: FalconErrorContext): ProbeError => {
  if (ctx.signal?.aborted === true) return cancelled();
  const cause: unknown = error instanceof RequestError ? error.cause : undefined;
  if (cause instanceof ProbeRunError) return cause.detail;
  if (error instanceof ProbeRunError) return error.detail;
  if (error instanceof FalconAnswerError) {
    const judged = dataCallError(statusOfAnswer(error.status, error.answer), error.answer, ctx);
    return error.status === 200
      ? { ...judged, message: `Falcon answered HTTP 200 with an error in its body, so the page is not trusted. ${judged.message}` }
      : judged;
  }
  if (error instanceof HTTPError) {
    const answer = readAnswer(error.response.headers, error.response.body);
    return dataCallError(error.response.statusCode, answer, ctx, error.response.retryCount);
  }
  if (error instanceof TimeoutError)
    return api(
      "ERR_API_NETWORK",
      `The Falcon API at ${ctx.origin} did not answer in time (${error.event} timeout).`,
      "Check the network path (proxy, firewall).",
      undefined,
      null,
    );
  const code = (error as { code?: unknown } | null)?.code;
  const codeText = typeof code === "string" ? code : error instanceof Error ? error.name : "unknown";
  const tls = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/.test(codeText);
  return api(
    "ERR_API_NETWORK",
    `Could not reach the Falcon API at ${ctx.origin} (${codeText}).`,
    tls
      ? "The server's certificate is not trusted. Behind a TLS-inspecting proxy, add its CA with NODE_EXTRA_CA_CERTS=/path/ca.pem."
      : "Check DNS, firewall and proxy settings for this host.",
    undefined,
    null,
  );
};
