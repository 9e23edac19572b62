/**
 * Every way a run can fail, as a tagged union with a stable `code`. Each code is documented
 * once, in {@link ERROR_CODES}, with whose it is to fix. Messages never carry a secret or a
 * token; `hint` says what to do.
 */
import type { ProbeResult } from "./contract.js";

/** Who can fix an error: the person configuring the probe, or the provider (retry later). */
export type Fault = "user" | "provider";

/** Documentation of every error code: whose fault and what it means. */
export const ERROR_CODES = {
  ERR_INPUT: { fault: "user", means: "A credential, option, asset list or scan setting is invalid." },
  ERR_AUTH_INVALID_SECRET: { fault: "user", means: "Entra ID refused the client secret (AADSTS7000215)." },
  ERR_AUTH_SECRET_EXPIRED: { fault: "user", means: "The client secret has expired (AADSTS7000222)." },
  ERR_AUTH_APP_NOT_FOUND: { fault: "user", means: "The client id is not an app in this tenant (AADSTS700016)." },
  ERR_AUTH_TENANT_NOT_FOUND: { fault: "user", means: "The tenant does not exist in this cloud (AADSTS90002)." },
  ERR_AUTH_TENANT_INVALID: { fault: "user", means: "The tenant id is neither a GUID nor a domain (AADSTS900023)." },
  ERR_AUTH_RESOURCE_NOT_IN_TENANT: { fault: "user", means: "Defender for Endpoint is not provisioned in the tenant (AADSTS500011)." },
  ERR_AUTH_CERTIFICATE: { fault: "user", means: "Entra ID refused the certificate assertion (AADSTS700027 and kin)." },
  ERR_AUTH_CERTIFICATE_INVALID: { fault: "user", means: "The certificate or private key could not be read." },
  ERR_CREDENTIAL_SOURCE: {
    fault: "user",
    means:
      "What the credential names could not be used: a secret, certificate or federated token file missing or unreadable, a wrong key password, no managed identity endpoint.",
  },
  ERR_AUTH_FEDERATION: {
    fault: "user",
    means: "Entra ID refused the federated token: no federated credential on the app matches its issuer or subject (AADSTS700211, 70021).",
  },
  ERR_AUTH_CLOUD_MISMATCH: { fault: "user", means: "The tenant belongs to another national cloud (AADSTS90038)." },
  ERR_AUTH_REJECTED: { fault: "user", means: "Entra ID refused the sign-in for another reason; the AADSTS code is given." },
  ERR_AUTH_UNAVAILABLE: { fault: "provider", means: "Entra ID was unreachable, throttled or failing (network, 429, 5xx)." },
  ERR_API_UNAUTHORIZED: { fault: "user", means: "The Defender API refused the token (401) even after a fresh one." },
  ERR_API_FORBIDDEN: { fault: "user", means: "The token lacks Machine.Read.All (403)." },
  ERR_API_NOT_FOUND: { fault: "user", means: "The API URL answered 404 for something other than the machine list." },
  ERR_API_THROTTLED: { fault: "provider", means: "The API kept answering 429, or asked to wait longer than the cap." },
  ERR_API_SERVER: { fault: "provider", means: "The API answered 5xx after every retry." },
  ERR_API_NETWORK: { fault: "provider", means: "The API could not be reached (DNS, TLS, connection, timeout)." },
  ERR_API_BAD_RESPONSE: { fault: "provider", means: "A page was not the JSON the API documents (truncated, HTML, wrong shape)." },
  ERR_API_PAGING: { fault: "provider", means: "Paging went wrong: a loop, a nextLink to another origin, or pages that ignore $skip." },
  ERR_API_LIST_CUT_SHORT: {
    fault: "provider",
    means:
      "A page after a full one said there was nothing more (404 'no machines', or an empty page where the overlap between pages says a device is): the list cannot be known whole.",
  },
  ERR_API_RESPONSE_TOO_LARGE: { fault: "provider", means: "A page's body (decompressed) was larger than the maxPageBytes option allows." },
  ERR_API_PAGE_TIMEOUT: { fault: "provider", means: "A page's body did not finish arriving within the pageDeadlineMs option." },
  ERR_API_LIST_TOO_LONG: {
    fault: "provider",
    means: "The list went on past the maxDevices option: a list that never ends, or a tenant larger than the option allows.",
  },
  ERR_CANCELLED: { fault: "user", means: "The run was cancelled." },
  ERR_RECORD_SINK: { fault: "user", means: "The engine's record sink refused a batch (its write rejected); later records were not delivered." },
  ERR_SPOOL: { fault: "user", means: "The temporary file that holds records until correlation ends could not be written or read (disk full, no temp dir)." },
} as const satisfies Record<string, { fault: Fault; means: string }>;

/** A stable error code. */
export type ErrorCode = keyof typeof ERROR_CODES;

interface ErrorBase {
  /** Stable code, documented in {@link ERROR_CODES}. */
  readonly code: ErrorCode;
  /** One sentence a user reads: what went wrong. */
  readonly message: string;
  /** What to do about it. */
  readonly hint: string;
  /** What the run fetched before it failed; its summary says `complete: false`. */
  readonly partial?: ProbeResult | undefined;
}

/** Bad input, found before any network call. `field` names the offending field. */
export interface InputError extends ErrorBase {
  /** Discriminant of {@link ProbeError}. */
  readonly _tag: "InputError";
  /** Always `ERR_INPUT`. */
  readonly code: "ERR_INPUT";
  /** Each problem: the field path and the fix. */
  readonly issues: readonly {
    /** Path of the field, e.g. `credentials[1].clientId` or `probes.Defender365.options.pageSize`. */
    readonly field: string;
    /** What is wrong with it and what is expected. */
    readonly problem: string;
  }[];
}

/** Sign-in failed at the token endpoint. */
export interface AuthError extends ErrorBase {
  /** Discriminant of {@link ProbeError}. */
  readonly _tag: "AuthError";
  /** The AADSTS number when Entra gave one. */
  readonly aadsts?: number | undefined;
}

/** The Defender API failed. */
export interface ApiError extends ErrorBase {
  /** Discriminant of {@link ProbeError}. */
  readonly _tag: "ApiError";
  /** HTTP status, when there was an answer. */
  readonly status?: number | undefined;
  /** The request id to quote to Microsoft support (`target` in the error body). */
  readonly requestId?: string | undefined;
}

/** The run was cancelled through its AbortSignal. */
export interface CancelledError extends ErrorBase {
  /** Discriminant of {@link ProbeError}. */
  readonly _tag: "CancelledError";
  /** Always `ERR_CANCELLED`. */
  readonly code: "ERR_CANCELLED";
}

/** Records could not be delivered: the engine's sink failed, or the temporary spool did. */
export interface OutputError extends ErrorBase {
  /** Discriminant of {@link ProbeError}. */
  readonly _tag: "OutputError";
  /** `ERR_RECORD_SINK` or `ERR_SPOOL`. */
  readonly code: "ERR_RECORD_SINK" | "ERR_SPOOL";
}

/** Any way a run can fail. */
export type ProbeError = InputError | AuthError | ApiError | CancelledError | OutputError;

/** Whose fault an error is. */
export const faultOf = (error: ProbeError): Fault => ERROR_CODES[error.code].fault;

/** Builds an {@link InputError} whose message lists each field and its fix. */
export const inputError = (issues: readonly { field: string; problem: string }[], what = "input"): InputError => ({
  _tag: "InputError",
  code: "ERR_INPUT",
  message: `Invalid ${what}: ${issues.map((i) => `${i.field}: ${i.problem}`).join("; ")}`,
  hint: "Correct the named fields and run again. Nothing was sent to Microsoft.",
  issues,
});

/** Attaches what a run fetched to the error that ended it. */
export const withPartial = (error: ProbeError, partial: ProbeResult): ProbeError => ({ ...error, partial });

/**
 * The error class the Promise adapter throws, carrying the same `code`. Its enumerable
 * fields hold no secret; `partial` is non-enumerable so that logging the error stays short.
 */
export class ProbeRunError extends Error {
  /** Stable code, as in {@link ERROR_CODES}. */
  readonly code: ErrorCode;
  /** What to do. */
  readonly hint: string;
  /** The tagged error this wraps. */
  declare readonly detail: ProbeError;

  constructor(detail: ProbeError) {
    super(detail.message);
    this.name = "ProbeRunError";
    this.code = detail.code;
    this.hint = detail.hint;
    Object.defineProperty(this, "detail", { value: detail, enumerable: false });
  }

  /** What the run fetched before failing, if anything. */
  get partial(): ProbeResult | undefined {
    return this.detail.partial;
  }
}
