/**
 * The decisions of reading Falcon's host list, pure (tested without HTTP): what a failed call
 * means (switch to scroll, start the listing again, or fail), where a page says the list goes
 * on, and whether the count read agrees with the count announced.
 */
import { HTTPError } from "got";
import { FalconAnswerError, isRouteRefusal, readAnswer, statusOfAnswer, type FalconAnswer } from "./api-errors.js";

/** Starts of the listing allowed after a `next` or scroll token expired, before the run fails. */
export const MAX_RESTARTS = 3;

/** A failed call's status and body, when it had an answer. */
export interface CallFailure {
  readonly status: number;
  readonly answer: FalconAnswer;
}

/** The status and body of a failed call, or undefined for a failure without an answer (network, one raised on purpose). */
export const failureOf = (error: unknown): CallFailure | undefined => {
  if (error instanceof FalconAnswerError) return { status: statusOfAnswer(error.status, error.answer), answer: error.answer };
  if (error instanceof HTTPError) return { status: error.response.statusCode, answer: readAnswer(error.response.headers, error.response.body) };
  return undefined;
};

/** What to do after a failed listing call. */
export type Recovery = "scroll" | "restart" | "exhausted" | "fail";

/**
 * What a failed listing call means. `token`: the `next` / scroll token sent (undefined on a
 * first call); `readAny`: a page of this listing was read. On the combined endpoint's first
 * call, a 404, or a 403 that is not a missing scope or an IP allow-list, means the endpoint
 * is not there (GovCloud): read by scroll. A 400 on a call that sent a token means the token
 * expired: start again, up to {@link MAX_RESTARTS} times (then `exhausted`). Anything else fails.
 */
export const recovery = (
  failure: CallFailure | undefined,
  endpoint: "combined" | "scroll",
  token: string | undefined,
  readAny: boolean,
  restarts: number,
): Recovery => {
  if (failure === undefined) return "fail";
  if (endpoint === "combined" && token === undefined && !readAny && isRouteRefusal(failure.status, failure.answer)) return "scroll";
  if (failure.status === 400 && token !== undefined) return restarts < MAX_RESTARTS ? "restart" : "exhausted";
  return "fail";
};

/** The token a page gives for the next call, or null at the documented end (absent or empty); see {@link paginationProblem} first. */
export const nextToken = (pagination: Readonly<Record<string, unknown>> | null, field: "next" | "offset"): string | null => {
  const value = pagination?.[field];
  if (typeof value === "string") return value === "" ? null : value;
  if (typeof value === "number" && field === "next") return String(value);
  return null;
};

/** What a value is, for a message (never the value: a token must not be shown). */
const kindOf = (value: unknown): string =>
  value === null ? "null" : Array.isArray(value) ? "an array" : typeof value === "object" ? "an object" : `a ${typeof value}`;

/**
 * Why a listing page does not say whether the list goes on, or null when it does: the end is
 * taken only as documented, so a page without `meta.pagination` (a bare `{}`, a rewritten
 * body), a `next` that is neither a token nor absent, or a scroll page without its string
 * `offset` (`""` at the end) is a bad page, never the end of the list.
 */
export const paginationProblem = (pagination: Readonly<Record<string, unknown>> | null, field: "next" | "offset"): string | null => {
  if (pagination === null) return "it has no meta.pagination, so it does not say whether the list goes on";
  const value = pagination[field];
  if (field === "offset")
    return typeof value === "string" ? null : `its meta.pagination.offset is ${value === undefined ? "absent" : kindOf(value)}, not the scroll's string`;
  const token = value === undefined || value === null || typeof value === "string" || (typeof value === "number" && Number.isFinite(value));
  return token ? null : `its meta.pagination.next is ${kindOf(value)}, not a token`;
};

/** `meta.pagination.total`, when it is a whole number. */
export const totalOf = (pagination: Readonly<Record<string, unknown>> | null): number | null => {
  const total = pagination?.["total"];
  return typeof total === "number" && Number.isInteger(total) && total >= 0 ? total : null;
};

/** The warning when the hosts read disagree with the total Falcon announced, else null. */
export const totalMismatch = (announced: number | null, read: number): string | null =>
  announced === null || announced === read
    ? null
    : `Falcon announced ${announced} hosts and ${read} distinct hosts were read to the end of the list (hosts added or removed while it was read?).`;

/** Pages in a row without any host, each saying the list goes on, before the list is taken to loop. */
export const MAX_EMPTY_PAGES = 3;

/**
 * Watches a listing for pages that bring nothing new, whatever their tokens say (a token that
 * cycles, the same page under a fresh token, a scroll that never moves): pages in a row
 * without a new id may repeat, all together, at most as many hosts as were read so far (a read
 * from the start after a token expired repeats each host once at most), and at most
 * {@link MAX_EMPTY_PAGES} of them in a row may be empty. Needs no `total` from the server, so
 * a total that lies cannot keep a loop going. Start afresh on each read from the start.
 */
export class LoopWatch {
  private repeated = 0;
  private empties = 0;

  /** Takes a page of `length` ids, `fresh` of them never read before, `known` read in all; true when the list loops. */
  page(length: number, fresh: number, known: number): boolean {
    if (fresh > 0) {
      this.repeated = 0;
      this.empties = 0;
      return false;
    }
    this.empties = length === 0 ? this.empties + 1 : 0;
    this.repeated += length;
    return this.empties > MAX_EMPTY_PAGES || this.repeated > known;
  }
}
