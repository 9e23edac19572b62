/**
 * Every way a run can fail, as a tagged union with a stable `code`. Each code is documented
 * once, in {@link ERROR_CODES}, with whose it is to fix. Messages never carry a secret or a
 * token; `hint` says what to do.
 */
import type { ErrorCode, ErrorCodeDoc, ErrorCodeTable, Fault, InputError, ProbeError, ProbeResult } from "../contract.js";

export type { ApiError, AuthError, CancelledError, ErrorCode, ErrorCodeDoc, ErrorCodeTable, Fault, InputError, OutputError, ProbeError } from "../contract.js";

/**
 * The framework's error codes: whose fault each is and what it means, in terms of no source
 * in particular. A probe documents the codes of its own source (a sign-in service's, a
 * permission's name) in its `errorCodes`. Codes marked "inside" never end a run by
 * themselves: they travel on an internal error and surface as the code they name.
 */
export const ERROR_CODES = {
  ERR_INPUT: { fault: "user", means: "A credential, option, asset list or scan setting is invalid." },
  ERR_CREDENTIAL_SOURCE: {
    fault: "user",
    means:
      "What the credential names could not be used: a secret, certificate or token file missing or unreadable, a wrong key password, no identity endpoint on the host.",
  },
  ERR_AUTH_REJECTED: { fault: "user", means: "The sign-in service refused the sign-in; its own code is given." },
  ERR_AUTH_UNAVAILABLE: { fault: "provider", means: "The sign-in service was unreachable, throttled or failing (network, 429, 5xx)." },
  ERR_API_UNAUTHORIZED: { fault: "user", means: "The source's API refused the token (401) even after a fresh one." },
  ERR_API_FORBIDDEN: { fault: "user", means: "The token lacks a permission the source's API requires (403); the probe names it." },
  ERR_API_NOT_FOUND: { fault: "user", means: "The API URL answered 404 where the source documents no such answer." },
  ERR_API_THROTTLED: { fault: "provider", means: "The API kept answering 429, or asked to wait longer than the cap." },
  ERR_API_SERVER: { fault: "provider", means: "The API answered 5xx after every retry." },
  ERR_API_NETWORK: { fault: "provider", means: "The API could not be reached (DNS, TLS, connection, timeout)." },
  ERR_API_BAD_RESPONSE: { fault: "provider", means: "A page was not the JSON the API documents (truncated, HTML, wrong shape)." },
  ERR_API_PAGING: { fault: "provider", means: "Paging went wrong: a loop, a next link to another origin, or pages that ignore their offset." },
  ERR_API_LIST_CUT_SHORT: {
    fault: "provider",
    means:
      "The list ended where the service's own pages say devices remain (an empty page where the overlap between pages says one is, fewer read than the total announced): the list cannot be known whole.",
  },
  ERR_API_RESPONSE_TOO_LARGE: { fault: "provider", means: "A page's body (decompressed) was larger than the maxPageBytes option allows." },
  ERR_API_PAGE_TIMEOUT: { fault: "provider", means: "A page's body did not finish arriving within the pageDeadlineMs option." },
  ERR_API_LIST_TOO_LONG: {
    fault: "provider",
    means: "The list went on past the maxDevices option: a list that never ends, or a source larger than the option allows.",
  },
  ERR_CANCELLED: { fault: "user", means: "The run was cancelled." },
  ERR_RECORD_SINK: { fault: "user", means: "The engine's record sink refused a batch (its write rejected); later records were not delivered." },
  ERR_SPOOL: { fault: "user", means: "The temporary file that holds records until correlation ends could not be written or read (disk full, no temp dir)." },
  ERR_SPOOL_SHORT: {
    fault: "user",
    means: "Inside ERR_SPOOL: the temporary record file was shorter than what was written to it (something truncated or replaced it during the run).",
  },
  ERR_RECORD_BOUND: {
    fault: "user",
    means: "Inside ERR_SPOOL: a record outgrew the room made for it, a bug in scan-probes; the run stops rather than keep a cut record. Report it.",
  },
} as const satisfies ErrorCodeTable;

/** A code of the framework's table {@link ERROR_CODES}. */
export type FrameworkErrorCode = keyof typeof ERROR_CODES;

/** Whose fault an error of each kind is when its code is in no table: a refused sign-in is the credential's, a failed API the source's. */
const FAULT_BY_TAG: Readonly<Record<ProbeError["_tag"], Fault>> = {
  InputError: "user",
  AuthError: "user",
  ApiError: "provider",
  CancelledError: "user",
  OutputError: "user",
};

/**
 * The documentation of `code`: the probe's wording (`probeCodes`, its `errorCodes`) when it
 * has one, else the framework's ({@link ERROR_CODES}); undefined when neither has it. A
 * probe's wording of a framework code keeps the framework's fault.
 */
export const errorCodeDoc = (code: string, probeCodes: ErrorCodeTable = {}): ErrorCodeDoc | undefined => {
  const framework: ErrorCodeTable = ERROR_CODES;
  const own = Object.hasOwn(probeCodes, code) ? probeCodes[code] : undefined;
  const shared = Object.hasOwn(framework, code) ? framework[code] : undefined;
  return shared !== undefined && own !== undefined ? { fault: shared.fault, means: own.means } : (own ?? shared);
};

/**
 * Whose fault an error is: its code looked up in {@link ERROR_CODES}, then in `probeCodes`
 * (pass the failed probe's `errorCodes`); a code in neither falls back on the error's kind
 * (a refused sign-in is the user's, a failed API the provider's).
 */
export const faultOf = (error: ProbeError, probeCodes: ErrorCodeTable = {}): Fault => errorCodeDoc(error.code, probeCodes)?.fault ?? FAULT_BY_TAG[error._tag];

/** Builds an {@link InputError} whose message lists each field and its fix. */
export const inputError = (issues: readonly { field: string; problem: string }[], what = "input"): InputError => ({
  _tag: "InputError",
  code: "ERR_INPUT",
  message: `Invalid ${what}: ${issues.map((i) => `${i.field}: ${i.problem}`).join("; ")}`,
  hint: "Correct the named fields and run again. Nothing was sent.",
  issues,
});

/** Attaches what a run fetched to the error that ended it. */
export const withPartial = (error: ProbeError, partial: ProbeResult): ProbeError => ({ ...error, partial });

/**
 * The error class the Promise adapter throws, carrying the same `code`. Its enumerable
 * fields hold no secret; `partial` is non-enumerable so that logging the error stays short.
 */
export class ProbeRunError extends Error {
  /** Stable code, as in {@link ERROR_CODES} or the probe's `errorCodes`. */
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
