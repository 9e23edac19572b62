/**
 * The hosts API's routes: path → the handler of each method it takes.
 */
import { combinedAnswer } from "./combined.js";
import type { Answer } from "./envelope.js";
import { entitiesAnswer, onlineStateAnswer } from "./entities.js";
import { queryAnswer } from "./query.js";
import type { DataRequest } from "./request.js";
import { scrollAnswer } from "./scroll.js";
import type { FalconState } from "./state.js";

/** A route's handler. */
export type Handler = (state: FalconState, request: DataRequest) => Answer;

/** Path → method → handler. */
export const ROUTES: ReadonlyMap<string, Readonly<Record<string, Handler>>> = new Map<string, Record<string, Handler>>([
  ["/devices/combined/devices/v1", { GET: (s, r) => combinedAnswer(s, r, false) }],
  ["/devices/combined/devices-hidden/v1", { GET: (s, r) => combinedAnswer(s, r, true) }],
  ["/devices/queries/devices-scroll/v1", { GET: scrollAnswer }],
  ["/devices/queries/devices/v1", { GET: (s, r) => queryAnswer(s, r, false) }],
  ["/devices/queries/devices-hidden/v1", { GET: (s, r) => queryAnswer(s, r, true) }],
  ["/devices/entities/devices/v2", { GET: entitiesAnswer, POST: entitiesAnswer }],
  ["/devices/entities/online-state/v1", { GET: onlineStateAnswer }],
]);

/** The scope every hosts route needs ("Hosts: Read"). */
export const HOSTS_SCOPE = "devices:read";
