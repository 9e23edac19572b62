/**
 * One Falcon data call, judged once: sent through the run's bearer client (the token goes to
 * the API origin only; a redirect is never followed), paced when the window is nearly spent
 * (`X-RateLimit-Remaining`), its body read within a size cap and a deadline (`streamBody`: a
 * body of gigabytes or one that drips byte by byte ends the run, never the machine) and parsed once, and refused when it is not a 200 with an
 * empty `errors` array (absent or null is empty; anything else that is not an array is a bad page). A body that does not parse (cut short on the way) is asked for once
 * more before it fails the run.
 */
import type { Got, PlainResponse } from "got";
import type { Clock } from "../../contract.js";
import { ProbeRunError } from "../../engine/errors.js";
import { BodyBuffer, streamBody } from "../../runtime/http/stream-body.js";
import type { SplitItems } from "../../sync/page-items.js";
import { scanPage, withoutItems, type PageLayout, type PageScan } from "../../sync/page-scan.js";
import { answerFailure, badPage, errorsOf, FalconAnswerError, headerOf, traceIdOf, type FalconErrorEntry } from "./api-errors.js";
import { pauseForRemaining } from "./rate-limits.js";

/** A Falcon answer that passed: its parsed body, its `resources` and `meta.pagination` (null when it has none), and its trace id. */
export interface FalconEnvelope {
  /** The `resources`, parsed; empty when they were split (see {@link split}). */
  readonly resources: readonly unknown[];
  /** The `resources` split into their texts, for a request that asked (`CallRequest.split`) and a body the scan could follow. */
  readonly split?: SplitItems | undefined;
  readonly pagination: Readonly<Record<string, unknown>> | null;
  /** `errors` entries the caller chose to tolerate (e.g. 404 for ids gone between two calls). */
  readonly tolerated: readonly FalconErrorEntry[];
  readonly traceId: string | null;
}

/** How a call is sent. */
export interface CallSettings {
  /** The run's bearer client. */
  readonly client: Got;
  /** Counts and logs a response the client handed back as a success. */
  readonly noteResponse: (method: string, response: PlainResponse) => void;
  /** The API base URL (the cloud reached at sign-in). */
  readonly apiBaseUrl: string;
  readonly clock: Clock;
  readonly signal?: AbortSignal | undefined;
  /** Most bytes of an answer's body, decompressed (`ERR_API_RESPONSE_TOO_LARGE` past it). */
  readonly maxBytes: number;
  /** Most ms from an answer's headers to its last byte (`ERR_API_PAGE_TIMEOUT` past it). */
  readonly deadlineMs: number;
}

/** What a call asks. */
export interface CallRequest {
  readonly method: "GET" | "POST";
  /** Path after the base URL, e.g. `/devices/combined/devices/v1`. */
  readonly path: string;
  readonly searchParams?: Readonly<Record<string, string | number>> | undefined;
  readonly json?: unknown;
  /** True when `errors` entries with code 404 are not a failure (ids that vanished). */
  readonly tolerateNotFound?: boolean | undefined;
  /** Cancels this call alone (the run's own signal cancels every call). */
  readonly signal?: AbortSignal | undefined;
  /**
   * Splits the answer's `resources` by this layout, each to be parsed when it is used (see
   * `scanPage`): a page of 10,000 hosts is then never one tree of objects. A body the scan
   * cannot follow is parsed whole, as without it.
   */
  readonly split?: PageLayout | undefined;
}

/** A signal that aborts when either does (undefined when neither is given). */
const eitherSignal = (a: AbortSignal | undefined, b: AbortSignal | undefined): AbortSignal | undefined =>
  a === undefined ? b : b === undefined ? a : AbortSignal.any([a, b]);

/** One answer as read: its body's text, parsed (undefined when it is not JSON), and split when the request asked and the scan could. */
interface Answer {
  readonly response: PlainResponse;
  readonly text: string;
  readonly parsed: unknown;
  readonly scan: PageScan | undefined;
}

/** Sends Falcon calls one at a time (see the module comment). */
export class FalconCalls {
  /** Pause before the next call, from the last `X-RateLimit-Remaining`. */
  private pauseMs = 0;
  /** The bytes of the answer being read (calls go one at a time), kept from one to the next. */
  private readonly body = new BodyBuffer();

  constructor(private readonly settings: CallSettings) {}

  /** Sends `request`; resolves with the envelope, or rejects (a got error, a `FalconAnswerError`, a `ProbeRunError`). */
  async call(request: CallRequest): Promise<FalconEnvelope> {
    const first = await this.send(request);
    if (first.parsed !== undefined) return this.judge(first, request);
    const again = await this.send(request);
    if (again.parsed !== undefined) return this.judge(again, request);
    const length = again.text.length;
    throw new ProbeRunError(
      badPage(
        length === 0 ? "the body was empty" : `the body is not JSON (${length} characters; cut short?), twice`,
        traceIdOf(again.response.headers, undefined),
      ),
    );
  }

  private async send(request: CallRequest): Promise<Answer> {
    const { client, noteResponse, apiBaseUrl, clock, maxBytes, deadlineMs } = this.settings;
    const signal = eitherSignal(this.settings.signal, request.signal);
    if (this.pauseMs > 0) await clock.sleep(this.pauseMs, signal);
    let response: PlainResponse;
    try {
      response = await streamBody(
        client,
        `${apiBaseUrl}${request.path}`,
        { signal, maxBytes, deadlineMs },
        this.body,
        (answer) => {
          noteResponse(request.method, answer);
          this.pauseMs = pauseForRemaining(headerOf(answer.headers, "x-ratelimit-remaining"));
        },
        {
          method: request.method,
          searchParams: request.searchParams,
          ...(request.json === undefined ? {} : { json: request.json }),
          ...(request.method === "POST" ? { retry: { methods: ["POST" as const] } } : {}),
        },
      );
    } catch (error) {
      const failure = answerFailure(error, apiBaseUrl);
      if (failure !== undefined) throw new ProbeRunError(failure);
      throw error;
    }
    if (response.statusCode !== 200)
      throw new ProbeRunError(badPage(`the API answered HTTP ${response.statusCode}, not 200`, traceIdOf(response.headers, undefined)));
    const text = this.body.text();
    const scan = request.split === undefined ? undefined : scanPage(text, request.split);
    try {
      return { response, text, parsed: JSON.parse(scan === undefined ? text : withoutItems(text, scan)) as unknown, scan };
    } catch {
      return { response, text, parsed: undefined, scan: undefined };
    }
  }

  private judge({ parsed: body, response, scan }: Answer, request: CallRequest): FalconEnvelope {
    const traceId = traceIdOf(response.headers, body);
    if (typeof body !== "object" || body === null || Array.isArray(body)) throw new ProbeRunError(badPage("it is not a JSON object", traceId));
    const listed = (body as { errors?: unknown }).errors;
    if (listed !== undefined && listed !== null && !Array.isArray(listed)) throw new ProbeRunError(badPage("its errors is not an array", traceId));
    const errors = errorsOf(body);
    const tolerated = request.tolerateNotFound === true ? errors.filter((e) => e.code === 404) : [];
    if (errors.length > tolerated.length) throw new FalconAnswerError(response.statusCode, { errors, traceId });
    const resources = (body as { resources?: unknown }).resources;
    if (resources !== undefined && resources !== null && !Array.isArray(resources)) throw new ProbeRunError(badPage("its resources is not an array", traceId));
    const meta = (body as { meta?: unknown }).meta;
    const pagination = typeof meta === "object" && meta !== null ? (meta as { pagination?: unknown }).pagination : undefined;
    return {
      resources: Array.isArray(resources) ? (resources as unknown[]) : [],
      split: scan,
      pagination: typeof pagination === "object" && pagination !== null && !Array.isArray(pagination) ? (pagination as Record<string, unknown>) : null,
      tolerated,
      traceId,
    };
  }
}
