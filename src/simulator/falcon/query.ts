/**
 * `GET /devices/queries/devices/v1` and `GET /devices/queries/devices-hidden/v1` (reference
 * §3.3): device ids by integer `offset`, `limit` 1–5000 (default 100); the first refuses
 * `offset + limit > 10000` with the recorded message. `meta.pagination.offset` is the next
 * offset or the one requested (`knobs.queryOffset`).
 */
import type { Answer } from "./envelope.js";
import { errorAnswer } from "./envelope.js";
import { listingParams } from "./listing-params.js";
import { intOffsetParam, limitParam } from "./params.js";
import type { DataRequest } from "./request.js";
import type { FalconState } from "./state.js";

/** The answer of a query request (`hidden` for the hidden-hosts endpoint). */
export const queryAnswer = (state: FalconState, request: DataRequest, hidden: boolean): Answer => {
  const { query } = request;
  const limit = limitParam(query, 1, state.knobs.limits.query, 100);
  if (!limit.ok) return limit.answer;
  const offset = intOffsetParam(query);
  if (!offset.ok) return offset.answer;
  const window = state.knobs.limits.queryWindow;
  if (!hidden && offset.value + limit.value > window) return errorAnswer(400, `limit + offset must be less than ${window}`, "device-api", { resources: [] });
  const params = listingParams(query);
  if (!params.ok) return params.answer;
  const listing = state.store.listing(params.value.key, params.value.filter, params.value.sort, hidden);
  const to = Math.min(listing.length, offset.value + limit.value);
  const ids: string[] = [];
  for (let p = offset.value; p < to; p++) ids.push(state.store.specOf(listing.at(p)).id);
  return {
    status: 200,
    poweredBy: "device-api",
    resources: ids,
    errors: [],
    pagination: { offset: state.knobs.queryOffset === "next" ? Math.max(to, offset.value) : offset.value, limit: limit.value, total: listing.length },
  };
};
