/**
 * `GET /devices/queries/devices-scroll/v1` (reference §3.2): device ids, `limit` 1–10000,
 * an opaque `offset` (the same one on every page unless `knobs.scrollOffsetChanges`),
 * `expires_at` in epoch nanoseconds, sliding `knobs.scrollTtlMs` on the simulator's clock.
 * A numeric offset is 400 `Bad request`; an expired or unknown one 400 naming its start.
 * After the last page, the next call answers `total: 0, offset: ""`. The listing is a
 * snapshot taken when the scroll starts.
 */
import type { Answer } from "./envelope.js";
import { errorAnswer } from "./envelope.js";
import { listingParams } from "./listing-params.js";
import { limitParam } from "./params.js";
import type { DataRequest } from "./request.js";
import { hasFault } from "./request.js";
import type { FalconState } from "./state.js";

const idsAnswer = (ids: string[], pagination: Record<string, unknown>): Answer => ({
  status: 200,
  poweredBy: "device-api",
  resources: ids,
  errors: [],
  pagination,
});

/** The answer of a scroll request. */
export const scrollAnswer = (state: FalconState, request: DataRequest): Answer => {
  const { query } = request;
  const limit = limitParam(query, 1, state.knobs.limits.scroll, 100);
  if (!limit.ok) return limit.answer;
  const params = listingParams(query);
  if (!params.ok) return params.answer;
  const now = state.clock.now();
  const ttl = state.knobs.scrollTtlMs;
  let offset = query.get("offset") ?? "";
  if (/^\d+$/.test(offset)) return errorAnswer(400, "Bad request", "device-api", { resources: [] });
  let scroll;
  if (offset === "") {
    const started = state.scrolls.start(state.store.listing(params.value.key, params.value.filter, params.value.sort), now, ttl);
    offset = started.offset;
    scroll = started.scroll;
  } else {
    if (hasFault(request, "expire-scroll")) state.scrolls.expire(offset);
    const found = state.scrolls.lookup(offset, now);
    if (found.kind !== "open")
      return errorAnswer(
        400,
        `scroll offset ${offset.slice(0, 24)}… ${found.kind === "expired" ? "has expired" : "is not known"}; start a new scroll without offset`,
        "device-api",
        {
          resources: [],
        },
      );
    scroll = found.scroll;
  }
  const { listing } = scroll;
  if (scroll.position >= listing.length) {
    state.scrolls.finish(offset);
    return idsAnswer([], { total: 0, offset: "" });
  }
  const to = Math.min(listing.length, scroll.position + limit.value);
  const ids: string[] = [];
  for (let p = scroll.position; p < to; p++) ids.push(state.store.specOf(listing.at(p)).id);
  scroll.position = to;
  scroll.expiresAtMs = now + ttl;
  if (state.knobs.scrollOffsetChanges) offset = state.scrolls.rename(offset);
  return idsAnswer(ids, { total: listing.length, offset, expires_at: scroll.expiresAtMs * 1e6, limit: limit.value });
};
