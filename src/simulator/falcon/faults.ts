/**
 * Fault injection for the simulated Falcon cloud: a plan of faults, each applying to the
 * `at`-th matching request (counted per fault since the plan was set), `times` requests in
 * a row (a burst) or every one from then on (`repeat`). A fault matches `target` (`api`
 * for data calls, `token` for `/oauth2/*`) and, when given, requests whose path is `path`.
 */

/** When a fault applies. */
export interface FalconFaultTiming {
  /** Data calls (`api`, default) or `/oauth2/token` and `/oauth2/revoke` (`token`). */
  target?: "api" | "token";
  /** Only requests to this path (e.g. `/devices/combined/devices/v1`). */
  path?: string;
  /** 1-based number of the matching request. Default 1. */
  at?: number;
  /** How many matching requests in a row. Default 1. */
  times?: number;
  /** Every matching request from `at` on; overrides `times`. */
  repeat?: boolean;
}

/** What a fault does. */
export type FalconFaultKind =
  /** Answer `status` with its error body: 429 with `X-RateLimit-RetryAfter` (`retryAfterSeconds` from now, default 1), 5xx with the gateway's body. */
  | { kind: "status"; status: number; retryAfterSeconds?: number }
  /** Wait `ms` before answering. */
  | { kind: "delay"; ms: number }
  /** Send a well-formed response whose JSON body is cut in the middle. */
  | { kind: "truncated" }
  /** Answer normally (200) but with an entry in `errors`. */
  | { kind: "errors-on-200"; code?: number; message?: string }
  /** Answer a redirect (`status`, default 307) to `location` (default `https://falcon.attacker.example/` plus the request's path and query). */
  | { kind: "redirect"; status?: number; location?: string }
  /** The scroll offset (or combined `next`) this request carries has expired. */
  | { kind: "expire-scroll" }
  /** Before answering: add `count` (default 1) new hosts at the start of the listing (hosts already read shift: offset paging repeats some). */
  | { kind: "add-host"; count?: number }
  /** Before answering: hide `count` (default 1) hosts at the start of the listing. */
  | { kind: "hide-host"; count?: number }
  /** Answer 401 and forget every token issued so far. */
  | { kind: "revoke-tokens" };

/** One fault. */
export type FalconFault = FalconFaultTiming & FalconFaultKind;

/** The plan: `falcon.setFaults(plan)`. */
export type FalconFaultPlan = readonly FalconFault[];

const KINDS = new Set(["status", "delay", "truncated", "errors-on-200", "redirect", "expire-scroll", "add-host", "hide-host", "revoke-tokens"]);

const positiveInt = (v: unknown): boolean => typeof v === "number" && Number.isInteger(v) && v >= 1;

/** Checks a plan; TypeError naming the bad entry and field. */
export const checkFalconFaults = (plan: FalconFaultPlan): void => {
  if (!Array.isArray(plan)) throw new TypeError("faults: expected an array of faults");
  plan.forEach((f: FalconFault, k) => {
    const where = `faults[${k}]`;
    if (typeof f !== "object" || f === null || !KINDS.has(f.kind)) throw new TypeError(`${where}.kind: expected one of ${[...KINDS].join(", ")}`);
    if (f.target !== undefined && f.target !== "api" && f.target !== "token") throw new TypeError(`${where}.target: expected "api" or "token"`);
    if (f.at !== undefined && !positiveInt(f.at)) throw new TypeError(`${where}.at: expected an integer ≥ 1`);
    if (f.times !== undefined && !positiveInt(f.times)) throw new TypeError(`${where}.times: expected an integer ≥ 1`);
    if (f.kind === "status" && !(Number.isInteger(f.status) && f.status >= 400 && f.status <= 599))
      throw new TypeError(`${where}.status: expected a 4xx or 5xx status`);
    if (f.kind === "delay" && !(Number.isInteger(f.ms) && f.ms >= 0)) throw new TypeError(`${where}.ms: expected an integer ≥ 0`);
    if (f.kind === "redirect" && f.status !== undefined && !(f.status >= 300 && f.status <= 399)) throw new TypeError(`${where}.status: expected a 3xx status`);
  });
};

/** Picks the faults of a plan for each request. */
export class FalconFaultCursor {
  private readonly seen = new Map<number, number>();

  /** Starts counting for `plan` (checked here). */
  constructor(readonly plan: FalconFaultPlan) {
    checkFalconFaults(plan);
  }

  /** Counts one request to `path` of `target` and returns the faults that apply to it, in plan order. */
  next(target: "api" | "token", path: string): FalconFault[] {
    const out: FalconFault[] = [];
    this.plan.forEach((f, k) => {
      if ((f.target ?? "api") !== target || (f.path !== undefined && f.path !== path)) return;
      const n = (this.seen.get(k) ?? 0) + 1;
      this.seen.set(k, n);
      const at = f.at ?? 1;
      if (n >= at && (f.repeat === true || n < at + (f.times ?? 1))) out.push(f);
    });
    return out;
  }
}
