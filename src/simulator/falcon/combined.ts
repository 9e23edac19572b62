/**
 * `GET /devices/combined/devices/v1` and `GET /devices/combined/devices-hidden/v1`
 * (reference §3.5): full records, `limit` 1–10000 (default 100), `offset` = the previous
 * page's `meta.pagination.next`, `filter`, `sort` (default `device_id.asc`), `fields`
 * projection. A `next` token holds a position in the listing, so hosts added or hidden while
 * listing shift what later pages hold (as offsets do); it expires `knobs.nextTtlMs` after it
 * was handed out.
 */
import type { Answer } from "./envelope.js";
import { errorAnswer } from "./envelope.js";
import { listingParams } from "./listing-params.js";
import { limitParam } from "./params.js";
import type { DataRequest } from "./request.js";
import { hasFault } from "./request.js";
import type { FalconState } from "./state.js";
import type { Listing } from "./store.js";

interface NextToken {
  /** Position of the page it asks for. */
  readonly p: number;
  /** Handed out at, epoch ms. */
  readonly t: number;
}

const encodeNext = (token: NextToken): string => Buffer.from(JSON.stringify({ v: 1, ...token, pad: "0".repeat(48) })).toString("base64url");

const decodeNext = (raw: string): NextToken | null => {
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
    if (typeof value !== "object" || value === null) return null;
    const { p, t } = value as Record<string, unknown>;
    return typeof p === "number" && Number.isInteger(p) && p >= 0 && typeof t === "number" ? { p, t } : null;
  } catch {
    return null;
  }
};

/** Keeps only `fields` of a record. */
const project = (record: Record<string, unknown>, fields: readonly string[] | null): Record<string, unknown> => {
  if (fields === null) return record;
  const out: Record<string, unknown> = {};
  for (const f of fields) if (Object.hasOwn(record, f)) out[f] = record[f];
  return out;
};

/** Prints the `resources` of positions [from, to) of `listing`. */
export const renderHosts = (state: FalconState, listing: Listing, from: number, to: number, fields: readonly string[] | null): Buffer => {
  const parts: string[] = [];
  for (let p = from; p < to; p++) parts.push(JSON.stringify(project(state.store.recordOf(listing.at(p)), fields)));
  return Buffer.from(`[${parts.join(",")}]`, "utf8");
};

/** The answer of a combined request (`hidden` for the hidden-hosts endpoint). */
export const combinedAnswer = (state: FalconState, request: DataRequest, hidden: boolean): Answer => {
  const { query } = request;
  const unavailable = state.knobs.combinedUnavailable;
  if (unavailable === 404) return errorAnswer(404, "Not Found", "crowdstrike-api-gateway");
  if (unavailable === 403) return errorAnswer(403, "access denied, authorization failed", "crowdstrike-api-gateway");
  const limit = limitParam(query, 1, state.knobs.limits.combined, 100);
  if (!limit.ok) return limit.answer;
  const params = listingParams(query);
  if (!params.ok) return params.answer;
  const rawFields = query.get("fields");
  const fields =
    rawFields === null || rawFields === ""
      ? null
      : rawFields
          .split(",")
          .map((f) => f.trim())
          .filter((f) => f !== "");
  const offset = query.get("offset") ?? "";
  const now = state.clock.now();
  let position = 0;
  if (offset !== "") {
    const token = decodeNext(offset);
    if (token === null) return errorAnswer(400, "Invalid offset: expected the previous page's meta.pagination.next", "device-api", { resources: [] });
    const ttl = state.knobs.nextTtlMs;
    if (hasFault(request, "expire-scroll") || (ttl !== null && token.t + ttl <= now))
      return errorAnswer(400, "Invalid offset: the pagination token has expired; start the listing again", "device-api", { resources: [] });
    position = token.p;
  }
  const listing = state.store.listing(params.value.key, params.value.filter, params.value.sort, hidden);
  const to = Math.min(listing.length, position + limit.value);
  const from = Math.min(position, to);
  const usesCache = !hidden && params.value.plain && fields === null && request.faults.length === 0;
  const cached = usesCache ? state.pages.get(state.store.changes, limit.value, from) : null;
  let json: Buffer;
  if (cached !== null) {
    json = cached.json;
    state.stats.pagesFromCache += 1;
  } else {
    json = renderHosts(state, listing, from, to, fields);
    state.stats.pagesRendered += 1;
  }
  const more = to < listing.length;
  const ttl = state.knobs.nextTtlMs;
  return {
    status: 200,
    poweredBy: "device-api",
    resourcesJson: json,
    hosts: to - from,
    errors: [],
    pagination: {
      offset,
      limit: limit.value,
      total: listing.length,
      ...(more ? { next: encodeNext({ p: to, t: now }) } : {}),
      ...(more && ttl !== null ? { expires_at: (now + ttl) * 1e6 } : {}),
    },
  };
};

/** Prints every page of the plain listing for `limit` into the page cache; returns pages and bytes kept. */
export const prerenderCombined = (state: FalconState, limit: number): { pages: number; bytes: number } => {
  if (!Number.isInteger(limit) || limit < 1 || limit > state.knobs.limits.combined)
    throw new RangeError(`limit must be an integer in 1..${state.knobs.limits.combined}, got ${limit}`);
  const listing = state.store.listing("|device_id.asc", null, { field: "device_id", descending: false });
  const version = state.store.changes;
  for (let from = 0; from < listing.length || from === 0; from += limit) {
    const to = Math.min(listing.length, from + limit);
    state.pages.put(version, limit, from, renderHosts(state, listing, from, to, null), to - from);
    if (to >= listing.length) break;
  }
  return { pages: state.pages.size, bytes: state.pages.bytes };
};
