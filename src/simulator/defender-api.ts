/**
 * The simulated Defender for Endpoint machines API (reference §3–5): `GET /api/machines`
 * with `$top`/`$skip`/`$filter`/`$select` and nextLink paging, `GET /api/machines/{id}`
 * (id or computer name), authorization, the per-app rate limiter, and the API faults that
 * change a page (drift, broken or unknown fields, foreign, plain-http or looping nextLinks,
 * an empty page, offsets ignored, redirects, error bodies that echo the request, revocation).
 *
 * Vendor doc: https://learn.microsoft.com/defender-endpoint/api/get-machines
 */
import { setTimeout as sleep } from "node:timers/promises";
import { authorize } from "./api-auth.js";
import { apiError, notFound, odataError, quotaExceeded, unauthorized } from "./api-errors.js";
import type { ApiFault } from "./faults.js";
import type { Reply } from "./http.js";
import { matches } from "./odata-filter.js";
import { nextLink, parseMachineQuery, QueryError } from "./odata-query.js";
import type { MachineQuery } from "./odata-query.js";
import { cachedListPage } from "./page-cache.js";
import type { TenantState } from "./state.js";

/** What the handler needs from the HTTP request. */
export interface ApiRequest {
  readonly method: string;
  readonly pathname: string;
  readonly rawQuery: string;
  /** `https://host:port` as the client addressed the server (echoed in `@odata.context` and nextLinks). */
  readonly origin: string;
  readonly authorization: string | undefined;
}

/** Machine entity properties in wire order (for `$select`). */
export const MACHINE_FIELDS: readonly string[] = [
  "id",
  "mergedIntoMachineId",
  "isPotentialDuplication",
  "isExcluded",
  "exclusionReason",
  "computerDnsName",
  "firstSeen",
  "lastSeen",
  "osPlatform",
  "osVersion",
  "osProcessor",
  "version",
  "lastIpAddress",
  "lastExternalIpAddress",
  "agentVersion",
  "osBuild",
  "healthStatus",
  "deviceValue",
  "rbacGroupId",
  "rbacGroupName",
  "riskScore",
  "exposureLevel",
  "isAadJoined",
  "aadDeviceId",
  "machineTags",
  "defenderAvStatus",
  "onboardingStatus",
  "osArchitecture",
  "managedBy",
  "managedByStatus",
  "ipAddresses",
  "vmMetadata",
];

const PAGE_HEADERS = {
  "content-type": "application/json; odata.metadata=minimal; odata.streaming=true; charset=utf-8",
  "odata-version": "4.0",
  "strict-transport-security": "max-age=31536000; includeSubDomains",
};

type Kind<K extends ApiFault["kind"]> = Extract<ApiFault, { kind: K }>;
const faultsOf = <K extends ApiFault["kind"]>(faults: readonly ApiFault[], kind: K): Kind<K>[] => faults.filter((f): f is Kind<K> => f.kind === kind);

/** Applies the record-level faults to a page in place. */
const breakRecords = (records: Record<string, unknown>[], faults: readonly ApiFault[]): void => {
  for (const f of faultsOf(faults, "broken-record")) {
    const r = records[f.index];
    if (r !== undefined) r[f.field] = f.value;
  }
  for (const f of faultsOf(faults, "unknown-field")) {
    const field = f.field ?? "newField2027";
    const value = f.value ?? { kind: "preview", enabled: true, score: 0.42 };
    for (const r of records) r[field] = structuredClone(value);
    const target = records[f.index ?? 0];
    if (target !== undefined) target["healthStatus"] = f.healthStatus ?? "Hibernated";
  }
};

const project = (record: Record<string, unknown>, select: readonly string[] | null): Record<string, unknown> =>
  select === null ? record : Object.fromEntries(MACHINE_FIELDS.filter((f) => select.includes(f)).map((f) => [f, record[f]]));

const listPage = async (state: TenantState, r: ApiRequest, query: MachineQuery, faults: readonly ApiFault[]): Promise<Reply> => {
  const { view, options } = state;
  for (const f of faultsOf(faults, "drift")) view.drift(query.skip, f.insert ?? 0, f.remove ?? 0);
  const filter = query.filter;
  const positions = filter === null ? null : view.positionsWhere(query.filterText ?? "", (m) => matches(filter, m));
  const total = positions === null ? view.size : positions.length;
  if (total === 0 && query.skip === 0 && options.emptyListIs404) return notFound("No machines found");
  const pageSize = query.top ?? options.pageCap;
  const from = faults.some((f) => f.kind === "ignore-skip") ? 0 : query.skip;
  const end = Math.min(from + pageSize, total);
  const records =
    from >= end || faults.some((f) => f.kind === "empty-page")
      ? []
      : positions === null
        ? view.slice(from, end)
        : Array.from(positions.subarray(from, end), (p) => view.at(p) ?? {});
  breakRecords(records, faults);
  let next: string | null =
    query.top === null && records.length === options.pageCap ? nextLink(r.origin, r.pathname, query, query.skip + records.length) : null;
  for (const f of faults) {
    if (f.kind === "nextlink-foreign-origin") next = nextLink(f.origin ?? "https://attacker.example", r.pathname, query, query.skip + records.length);
    if (f.kind === "nextlink-plain-http") next = nextLink(r.origin.replace(/^https:/, "http:"), r.pathname, query, query.skip + records.length);
    if (f.kind === "nextlink-loop") next = `${r.origin}${r.pathname}${r.rawQuery === "" ? "" : `?${r.rawQuery}`}`;
  }
  if (options.serviceMsPerDevice > 0 && records.length > 0) await sleep(records.length * options.serviceMsPerDevice, undefined, { signal: state.closing });
  state.stats.machinesServed += records.length;
  const parts: string[] = new Array<string>(records.length);
  for (let k = 0; k < records.length; k++) parts[k] = JSON.stringify(project(records[k] ?? {}, query.select));
  const context = JSON.stringify(`${r.origin}/api/$metadata#Machines`);
  const body = `{"@odata.context":${context},"value":[${parts.join(",")}]${next === null ? "" : `,"@odata.nextLink":${JSON.stringify(next)}`}}`;
  return { status: 200, headers: PAGE_HEADERS, body, devices: records.length };
};

const singleMachine = (state: TenantState, r: ApiRequest, key: string): Reply => {
  const byId = /^[0-9a-f]{40}$/i.test(key) ? state.view.findById(key) : undefined;
  const lower = key.toLowerCase();
  const found =
    byId ??
    (state.view.size <= 200_000
      ? state.view.all().find((m) => (typeof m["computerDnsName"] === "string" ? m["computerDnsName"] : "").toLowerCase() === lower)
      : undefined);
  if (found === undefined) return notFound(`Machine ${key} was not found`);
  state.stats.machinesServed += 1;
  return { status: 200, headers: PAGE_HEADERS, body: JSON.stringify({ "@odata.context": `${r.origin}/api/$metadata#Machines/$entity`, ...found }) };
};

/**
 * Answers one `/api/...` request after the server has applied delays and status faults.
 * Order: revoke-token, redirect and echo-request faults → route → method → authorization →
 * rate limit → query.
 */
export const apiReply = async (state: TenantState, r: ApiRequest, faults: readonly ApiFault[]): Promise<Reply> => {
  if (faults.some((f) => f.kind === "revoke-token")) {
    state.issuer.revokeAll();
    return unauthorized();
  }
  for (const f of faults) {
    if (f.kind === "redirect")
      return {
        status: f.status ?? 302,
        headers: { location: f.location ?? "https://login.example/sso", "content-type": "application/json" },
        body: '{"value":[]}',
      };
    if (f.kind === "echo-request")
      return apiError(
        f.status ?? 400,
        "BadRequest",
        `Request not accepted. Authorization: ${r.authorization ?? "(none)"}; token: ${(r.authorization ?? "").replace(/^Bearer\s+/i, "")}; query: ${r.rawQuery}`,
      );
  }
  const single = /^\/api\/machines\/([^/]+)$/i.exec(r.pathname);
  const list = /^\/api\/machines\/?$/i.test(r.pathname);
  if (!list && single === null) return apiError(404, "NotFound", `No HTTP resource was found that matches the request URI '${r.origin}${r.pathname}'.`);
  if (r.method !== "GET") return apiError(405, "MethodNotAllowed", `The requested resource does not support http method '${r.method}'.`, { allow: "GET" });
  const auth = authorize(state.issuer, r.authorization);
  if (!auth.ok) return auth.reply;
  if (state.limiter !== null) {
    const admission = state.limiter.take(`${auth.claims.tid}/${auth.claims.appid}`);
    if (!admission.ok) return quotaExceeded(admission.limit, admission.window, admission.retryAfterSeconds);
  }
  if (single?.[1] !== undefined) return singleMachine(state, r, decodeURIComponent(single[1]));
  let query: MachineQuery;
  try {
    query = parseMachineQuery(r.rawQuery, state.options.pageCap, MACHINE_FIELDS);
  } catch (e) {
    if (e instanceof QueryError) return odataError(e.message);
    throw e;
  }
  return cachedListPage(state, `${r.origin}${r.pathname}?${r.rawQuery}`, faults, () => listPage(state, r, query, faults));
};
