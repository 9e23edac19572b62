/**
 * Fault injection: a typed plan of faults for API and token requests, addressed by request
 * number ("the 2nd /api request since the plan was set") or, for API calls, by `$skip`
 * ("the request for skip=K"), each once, `times` times, or from then on (`repeat`).
 */

/** When a fault applies. Without `at` and `skip`, it applies from the first request. */
export interface FaultTiming {
  /** 1-based number of the request (counted per target since the plan was assigned). Default 1. */
  at?: number;
  /** API only: applies to requests whose `$skip` (0 when absent) equals this, instead of `at`. */
  skip?: number;
  /** How many matching requests it applies to. Default 1. */
  times?: number;
  /** Applies to every matching request from `at` on (or every request for `skip`); overrides `times`. */
  repeat?: boolean;
}

/** Faults that stand in for a response, or delay or break one. Allowed for API and token requests. */
export type CommonFault =
  /** Answer `status` with the service's error body; `retryAfter` (seconds) sets Retry-After. */
  | { kind: "status"; status: number; retryAfter?: number }
  /** Answer an HTML error page (a proxy or gateway in the way), with `status` (default 200). */
  | { kind: "html"; status?: number }
  /** Wait `ms` before handling the request. */
  | { kind: "delay"; ms: number }
  /** Send half of the body and drop the connection. */
  | { kind: "reset-mid-body" }
  /** Send a well-formed HTTP response whose JSON body is cut in half. */
  | { kind: "truncated-json" };

/** Faults only the Defender API takes. */
export type ApiOnlyFault =
  /** Answer 401 once, then revoke every token issued so far (a client must get a new one). */
  | { kind: "revoke-token" }
  /** Put an `@odata.nextLink` on another origin (default `https://attacker.example`) on this page, even when the page has none. */
  | { kind: "nextlink-foreign-origin"; origin?: string }
  /** Put an `@odata.nextLink` that repeats this very request on this page. */
  | { kind: "nextlink-loop" }
  /** Put an `@odata.nextLink` to plain `http://` on the API's own host and port on this page (a bearer token sent there goes in clear). */
  | { kind: "nextlink-plain-http" }
  /** Answer 200 with the page's envelope and an empty `value`, whatever the list holds (no nextLink). */
  | { kind: "empty-page" }
  /** Serve the page as if `$skip` were 0: the list's first page for every offset (the request's nextLink still advances). */
  | { kind: "ignore-skip" }
  /** Answer a redirect (`status`, default 302) to `location` (default `https://login.example/sso`), its body an empty page `{"value":[]}`. */
  | { kind: "redirect"; status?: number; location?: string }
  /** Answer `status` (default 400) with Defender's error body, its message echoing what the request carried: its Authorization header and query. */
  | { kind: "echo-request"; status?: number }
  /**
   * A page padded with blanks to `bytes` bytes (after its last device): sent gzip-compressed
   * without a Content-Length (a few KB on the wire that inflate to `bytes`), or with
   * `gzip: false` as it is, with its Content-Length.
   */
  | { kind: "huge-body"; bytes: number; gzip?: boolean }
  /** Send the page one byte every `everyMs` ms (each byte restarts a client's socket and read timeouts). */
  | { kind: "drip"; everyMs: number }
  /** Before serving the page: `insert` new devices and `remove` existing ones just before the requested offset (offset drift). Persistent. */
  | { kind: "drift"; insert?: number; remove?: number }
  /** Set `value[index][field]` on this page to `value` (a record that breaks the schema). */
  | { kind: "broken-record"; index: number; field: string; value: unknown }
  /** Add a field Microsoft might add later to every record of the page, and an unknown `healthStatus` to `value[index]` (default 0). */
  | { kind: "unknown-field"; field?: string; value?: unknown; healthStatus?: string; index?: number };

/** Faults only the token endpoint takes. */
export type TokenOnlyFault =
  /** Answer the catalogue AADSTS error with this number (e.g. 7000215), whatever the request. */
  { kind: "aadsts"; code: number };

/** A fault for `/api/...` requests. */
export type ApiFault = FaultTiming & (CommonFault | ApiOnlyFault);
/** A fault for token requests (`skip` is ignored). */
export type TokenFault = Omit<FaultTiming, "skip"> & (CommonFault | TokenOnlyFault);

/** The fault plan; assign a new one to `tenant.faults` between runs (counters restart). */
export interface FaultPlan {
  api?: ApiFault[];
  token?: TokenFault[];
}

const API_KINDS = new Set([
  "status",
  "html",
  "delay",
  "reset-mid-body",
  "truncated-json",
  "revoke-token",
  "nextlink-foreign-origin",
  "nextlink-loop",
  "nextlink-plain-http",
  "empty-page",
  "ignore-skip",
  "redirect",
  "echo-request",
  "huge-body",
  "drip",
  "drift",
  "broken-record",
  "unknown-field",
]);
const TOKEN_KINDS = new Set(["status", "html", "delay", "reset-mid-body", "truncated-json", "aadsts"]);

const positiveInt = (v: unknown): boolean => typeof v === "number" && Number.isInteger(v) && v >= 1;
const nonNegativeInt = (v: unknown): boolean => typeof v === "number" && Number.isInteger(v) && v >= 0;

/** Checks a plan; throws TypeError naming the bad entry. */
export const checkFaultPlan = (plan: FaultPlan): void => {
  const check = (list: unknown, target: "api" | "token", kinds: Set<string>): void => {
    if (list === undefined) return;
    if (!Array.isArray(list)) throw new TypeError(`faults.${target}: expected an array`);
    list.forEach((f: Record<string, unknown>, k) => {
      const where = `faults.${target}[${k}]`;
      if (typeof f !== "object" || f === null || !kinds.has(String(f["kind"]))) throw new TypeError(`${where}.kind: expected one of ${[...kinds].join(", ")}`);
      if (f["at"] !== undefined && !positiveInt(f["at"])) throw new TypeError(`${where}.at: expected an integer ≥ 1`);
      if (f["times"] !== undefined && !positiveInt(f["times"])) throw new TypeError(`${where}.times: expected an integer ≥ 1`);
      if (f["skip"] !== undefined && (target === "token" || !nonNegativeInt(f["skip"])))
        throw new TypeError(`${where}.skip: expected an integer ≥ 0 (API faults only)`);
      if (f["kind"] === "status" && !(typeof f["status"] === "number" && f["status"] >= 100 && f["status"] <= 599))
        throw new TypeError(`${where}.status: expected an HTTP status`);
      if (f["kind"] === "delay" && !nonNegativeInt(f["ms"])) throw new TypeError(`${where}.ms: expected an integer ≥ 0`);
      if (f["kind"] === "aadsts" && !positiveInt(f["code"])) throw new TypeError(`${where}.code: expected an AADSTS number`);
      if (f["kind"] === "redirect" && f["status"] !== undefined && !(typeof f["status"] === "number" && f["status"] >= 300 && f["status"] <= 399))
        throw new TypeError(`${where}.status: expected a 3xx status`);
      if (f["kind"] === "redirect" && f["location"] !== undefined && typeof f["location"] !== "string")
        throw new TypeError(`${where}.location: expected a string`);
      if (f["kind"] === "echo-request" && f["status"] !== undefined && !(typeof f["status"] === "number" && f["status"] >= 400 && f["status"] <= 599))
        throw new TypeError(`${where}.status: expected a 4xx or 5xx status`);
      if (f["kind"] === "huge-body" && !positiveInt(f["bytes"])) throw new TypeError(`${where}.bytes: expected an integer ≥ 1`);
      if (f["kind"] === "huge-body" && f["gzip"] !== undefined && typeof f["gzip"] !== "boolean") throw new TypeError(`${where}.gzip: expected true or false`);
      if (f["kind"] === "drip" && !positiveInt(f["everyMs"])) throw new TypeError(`${where}.everyMs: expected an integer ≥ 1`);
      if (f["kind"] === "broken-record" && (!nonNegativeInt(f["index"]) || typeof f["field"] !== "string"))
        throw new TypeError(`${where}: expected index (integer ≥ 0) and field (string)`);
    });
  };
  check(plan.api, "api", API_KINDS);
  check(plan.token, "token", TOKEN_KINDS);
};

/** Tracks which faults of a plan apply to the next request. */
export class FaultCursor {
  private apiCount = 0;
  private tokenCount = 0;
  private readonly used = new WeakMap<object, number>();

  /** Starts counting for `plan` (checked here). */
  constructor(readonly plan: FaultPlan) {
    checkFaultPlan(plan);
  }

  private applies(f: FaultTiming, n: number, skip: number | null): boolean {
    const used = this.used.get(f) ?? 0;
    const limit = f.repeat === true ? Infinity : (f.times ?? 1);
    let match: boolean;
    if (f.skip !== undefined) match = skip === f.skip && used < limit;
    else {
      const at = f.at ?? 1;
      match = n >= at && n < at + limit;
    }
    if (match) this.used.set(f, used + 1);
    return match;
  }

  /** Counts one API request and returns its faults, in plan order; `skip` is its `$skip` (0 when absent). */
  nextApi(skip: number): { readonly n: number; readonly faults: ApiFault[] } {
    const n = ++this.apiCount;
    return { n, faults: (this.plan.api ?? []).filter((f) => this.applies(f, n, skip)) };
  }

  /** Counts one token request and returns its faults, in plan order. */
  nextToken(): { readonly n: number; readonly faults: TokenFault[] } {
    const n = ++this.tokenCount;
    return { n, faults: (this.plan.token ?? []).filter((f) => this.applies(f, n, null)) };
  }
}
