/**
 * What a handler answers (`Answer`) and how it is printed: the envelope
 * `{meta:{query_time,pagination?,powered_by,trace_id},resources?,errors}` (reference §6), with
 * the trace id the server also sends as `X-Cs-Traceid`.
 */

/** One `errors` entry (`MsaAPIError`). */
export interface ApiError {
  readonly code: number;
  readonly message: string;
  readonly id?: string;
}

/** A handler's answer, before the server adds trace id, rate-limit headers and faults. */
export interface Answer {
  readonly status: number;
  /** `meta.powered_by`: `csam` (token), `device-api` (hosts), `crowdstrike-api-gateway`, `cs.agentonline`. */
  readonly poweredBy: string;
  /** `resources`; left out of the body when undefined. */
  readonly resources?: readonly unknown[] | null;
  /** `resources` already printed as a JSON array (a pre-rendered page). */
  readonly resourcesJson?: Buffer;
  readonly pagination?: Readonly<Record<string, unknown>>;
  readonly errors: readonly ApiError[];
  /** Extra response headers (Location, X-Cs-Region, …). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Send no body at all (the 308 of a token request at another cloud). */
  readonly empty?: boolean;
  /** A plain JSON body instead of the envelope (the token response). */
  readonly plain?: Readonly<Record<string, unknown>>;
  /** Host records in `resources` (counters). */
  readonly hosts?: number;
}

/** An error answer with one `errors` entry. */
export const errorAnswer = (status: number, message: string, poweredBy = "device-api", extra: Partial<Answer> = {}): Answer => ({
  status,
  poweredBy,
  errors: [{ code: status, message }],
  ...extra,
});

/** The body of `answer` with `traceId`; `queryTime` seconds. Null for an empty body. */
export const renderAnswer = (answer: Answer, traceId: string, queryTime: number): Buffer | null => {
  if (answer.empty === true) return null;
  if (answer.plain !== undefined) return Buffer.from(JSON.stringify(answer.plain), "utf8");
  const meta = {
    query_time: queryTime,
    ...(answer.pagination !== undefined ? { pagination: answer.pagination } : {}),
    powered_by: answer.poweredBy,
    trace_id: traceId,
  };
  const head = Buffer.from(`{"meta":${JSON.stringify(meta)}`, "utf8");
  const tail = Buffer.from(`,"errors":${JSON.stringify(answer.errors)}}`, "utf8");
  if (answer.resourcesJson !== undefined) return Buffer.concat([head, Buffer.from(',"resources":'), answer.resourcesJson, tail]);
  if (answer.resources === undefined) return Buffer.concat([head, tail]);
  return Buffer.concat([head, Buffer.from(`,"resources":${JSON.stringify(answer.resources)}`, "utf8"), tail]);
};
