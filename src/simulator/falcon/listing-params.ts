/**
 * `filter` and `sort` of a listing request, parsed, with the key that names them in the
 * store's cache; a bad value is a 400 answer.
 */
import { errorAnswer } from "./envelope.js";
import { FqlError, parseFilter } from "./fql.js";
import type { HostFilter } from "./fql.js";
import type { Checked } from "./params.js";
import { parseSort } from "./sort.js";
import type { HostSort } from "./sort.js";

/** A listing's filter and sort. */
export interface ListingParams {
  readonly filter: HostFilter | null;
  readonly sort: HostSort;
  /** Names filter and sort (the store's cache key). */
  readonly key: string;
  /** True for no filter and `device_id.asc`. */
  readonly plain: boolean;
}

/** Reads `filter` and `sort`; 400 on what the simulator does not read. */
export const listingParams = (q: URLSearchParams): Checked<ListingParams> => {
  const rawFilter = q.get("filter");
  const rawSort = q.get("sort");
  try {
    const filter = rawFilter === null || rawFilter.trim() === "" ? null : parseFilter(rawFilter);
    const sort = parseSort(rawSort);
    const key = `${rawFilter ?? ""}|${sort.field}.${sort.descending ? "desc" : "asc"}`;
    return { ok: true, value: { filter, sort, key, plain: filter === null && sort.field === "device_id" && !sort.descending } };
  } catch (e) {
    if (!(e instanceof FqlError)) throw e;
    return { ok: false, answer: errorAnswer(400, `Invalid filter or sort: ${e.message}`, "device-api", { resources: [] }) };
  }
};
