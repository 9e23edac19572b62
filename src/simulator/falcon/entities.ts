/**
 * `GET /devices/entities/devices/v2?ids=…` (at most 100 repeated `ids`), `POST` of the same
 * path with `{"ids":[…]}` (at most 5000), and `GET /devices/entities/online-state/v1`
 * (at most 100) (reference §3.1, §3.4). Unknown ids are left out, with a 404 entry in
 * `errors` each when `knobs.unknownIdErrors`.
 */
import type { ApiError, Answer } from "./envelope.js";
import { errorAnswer } from "./envelope.js";
import type { DataRequest } from "./request.js";
import type { FalconState } from "./state.js";
import type { HostRef } from "./store.js";

const tooMany = (max: number, poweredBy: string): Answer => errorAnswer(400, `request must contain between 0 and ${max} ids`, poweredBy, { resources: [] });

/** The ids of a GET (repeated `ids`, each possibly comma-separated) or POST body; a 400 answer when unreadable. */
const idsOf = (request: DataRequest): string[] | Answer => {
  if (request.method !== "POST")
    return request.query
      .getAll("ids")
      .flatMap((v) => v.split(","))
      .map((v) => v.trim())
      .filter((v) => v !== "");
  let body: unknown;
  try {
    body = JSON.parse(request.body);
  } catch {
    return errorAnswer(400, "Invalid JSON in request body", "device-api", { resources: [] });
  }
  const ids = typeof body === "object" && body !== null ? (body as Record<string, unknown>)["ids"] : undefined;
  if (!Array.isArray(ids) || !ids.every((v) => typeof v === "string"))
    return errorAnswer(400, "ids: expected an array of device ids", "device-api", { resources: [] });
  return ids;
};

const lookUp = (state: FalconState, ids: readonly string[]): { found: HostRef[]; errors: ApiError[] } => {
  const found: HostRef[] = [];
  const errors: ApiError[] = [];
  for (const id of ids) {
    const ref = /^[0-9a-f]{32}$/i.test(id) ? state.store.find(id.toLowerCase()) : null;
    if (ref !== null) found.push(ref);
    else if (state.knobs.unknownIdErrors) errors.push({ code: 404, message: "Resource Not Found", id });
  }
  return { found, errors };
};

/** The answer of a device-details request. */
export const entitiesAnswer = (state: FalconState, request: DataRequest): Answer => {
  const ids = idsOf(request);
  if (!Array.isArray(ids)) return ids;
  const max = request.method === "POST" ? state.knobs.limits.entitiesPost : state.knobs.limits.entitiesGet;
  if (ids.length > max) return tooMany(max, "device-api");
  const { found, errors } = lookUp(state, ids);
  return { status: 200, poweredBy: "device-api", resources: found.map((r) => state.store.recordOf(r)), hosts: found.length, errors };
};

const ONLINE_MS = 30 * 60_000;

/** The answer of an online-state request: online when last seen within 30 minutes of the data clock. */
export const onlineStateAnswer = (state: FalconState, request: DataRequest): Answer => {
  const ids = idsOf(request);
  if (!Array.isArray(ids)) return ids;
  if (ids.length > state.knobs.limits.entitiesGet) return tooMany(state.knobs.limits.entitiesGet, "cs.agentonline");
  const now = Date.parse(state.store.generated.now);
  const { found, errors } = lookUp(state, ids);
  const resources = found.map((r) => {
    const s = state.store.specOf(r);
    return {
      id: s.id,
      cid: state.store.ids.cid,
      last_seen: new Date(s.lastSeenMs).toISOString().replace(".000Z", "Z"),
      state: state.store.isHidden(r) ? "unknown" : now - s.lastSeenMs < ONLINE_MS ? "online" : "offline",
    };
  });
  return { status: 200, poweredBy: "cs.agentonline", resources, errors };
};
