/**
 * The OData query options of `GET /api/machines` (reference §4): `$top` (at most the page
 * cap), `$skip`, `$filter` (see `odata-filter.ts`) and `$select`; other standard options
 * are "not allowed", unknown `$` options are "not supported", both 400 with the OData error
 * body. Also builds `@odata.nextLink`.
 */
import { FilterError, parseFilter } from "./odata-filter.js";
import type { FilterNode } from "./odata-filter.js";

/** The options of one listing request. */
export interface MachineQuery {
  readonly top: number | null;
  readonly skip: number;
  readonly filter: FilterNode | null;
  /** The `$filter` text as sent (cache key). */
  readonly filterText: string | null;
  readonly select: readonly string[] | null;
  /** Query parameters other than `$skip`, raw, in order (for nextLink). */
  readonly keep: readonly string[];
}

/** A query the API refuses; `message` is OData's text after "The query specified in the URI is not valid. ". */
export class QueryError extends Error {}

const NOT_ALLOWED = new Set([
  "$orderby",
  "$count",
  "$expand",
  "$search",
  "$format",
  "$skiptoken",
  "$apply",
  "$compute",
  "$levels",
  "$index",
  "$deltatoken",
  "$id",
  "$schemaversion",
]);

const decode = (s: string): string => {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    throw new QueryError(`The query string contains a malformed escape sequence: '${s}'.`);
  }
};

const nonNegative = (name: string, value: string): number => {
  if (!/^\d{1,15}$/.test(value))
    throw new QueryError(`Invalid value '${value}' for ${name} query option found. The ${name} query option requires a non-negative integer value.`);
  return Number(value);
};

/** Parses the raw query string (without `?`); `pageCap` bounds `$top`; `fields` are the entity's properties (for `$select`). Throws QueryError. */
export const parseMachineQuery = (rawQuery: string, pageCap: number, fields: readonly string[]): MachineQuery => {
  let top: number | null = null;
  let skip = 0;
  let filterText: string | null = null;
  let select: string[] | null = null;
  const keep: string[] = [];
  const seen = new Set<string>();
  for (const part of rawQuery.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const name = decode(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? "" : decode(part.slice(eq + 1));
    const lower = name.toLowerCase();
    if (lower.startsWith("$")) {
      if (seen.has(lower)) throw new QueryError(`Query option '${name}' was specified more than once, but it must be specified at most once.`);
      seen.add(lower);
    }
    if (lower !== "$skip") keep.push(part);
    if (!lower.startsWith("$")) continue;
    switch (lower) {
      case "$top":
        top = nonNegative("$top", value);
        if (top > pageCap) throw new QueryError(`The limit of '${pageCap}' for Top query has been exceeded. The value from the incoming request is '${top}'.`);
        break;
      case "$skip":
        skip = nonNegative("$skip", value);
        break;
      case "$filter":
        filterText = value;
        break;
      case "$select": {
        select = value
          .split(",")
          .map((s) => s.trim())
          .filter((s) => s !== "");
        for (const f of select)
          if (!fields.includes(f)) throw new QueryError(`Could not find a property named '${f}' on type 'microsoft.windowsDefenderATP.api.PublicAssetDto'.`);
        break;
      }
      default:
        if (NOT_ALLOWED.has(lower))
          throw new QueryError(
            `Query option '${name.slice(1)}' is not allowed. To allow it, set the 'AllowedQueryOptions' property on EnableQueryAttribute or QueryValidationSettings.`,
          );
        throw new QueryError(`Custom query option '${name}' that starts with '$' is not supported.`);
    }
  }
  let filter: FilterNode | null = null;
  if (filterText !== null) {
    try {
      filter = parseFilter(filterText);
    } catch (e) {
      if (e instanceof FilterError) throw new QueryError(e.message);
      throw e;
    }
  }
  return { top, skip, filter, filterText, select, keep };
};

/** The `$skip` of a raw query for fault matching, leniently (0 when absent or malformed). */
export const rawSkip = (rawQuery: string): number => {
  const m = /(?:^|&)(?:\$|%24)skip=(\d{1,15})(?:&|$)/i.exec(rawQuery);
  return m?.[1] === undefined ? 0 : Number(m[1]);
};

/** `@odata.nextLink`: the same URL with `$skip` replaced by `nextSkip`. */
export const nextLink = (origin: string, path: string, query: MachineQuery, nextSkip: number): string =>
  `${origin}${path}?${[...query.keep, `$skip=${nextSkip}`].join("&")}`;
