/**
 * A GET whose body goes chunk by chunk into a buffer the caller fills again, request after
 * request.
 *
 * got's promise interface keeps every chunk of a body, then a joined copy, until the body is
 * complete. At 13 MB a page those buffers outlive V8's young generation, and V8 counts memory
 * outside its heap that lives that long towards the limit that starts a full collection: at a
 * million devices (2.6 GB of them) a full collection of the whole heap every few seconds. Here
 * each chunk is copied into the caller's buffer as it arrives and dies young.
 *
 * Retries are got's own, made as its promise interface makes them: its stream computes each
 * delay (Retry-After, the client's `calculateDelay`) and hands over a fresh stream, whose body
 * starts again from its first byte. A status that is not retried rejects with got's
 * `HTTPError`, whose `response.body` got has read. got runs no `afterResponse` hook for a
 * stream: a client that needs one must do its work in `beforeRetry`, `beforeError` or
 * `calculateDelay`.
 *
 * Only a 2xx is a body: got, told not to follow redirects, hands a 3xx over as a success, and
 * its body (often `{}` or a short page) must not be read as the answer. A body is bounded in
 * size (counted as it is decompressed: a small gzip body can inflate to gigabytes) and in time
 * (got's socket and response timeouts restart with every byte, so a server that sends one
 * byte now and then would hold the request forever); either limit ends the request at once,
 * without a retry.
 */
import { HTTPError, type Got, type OptionsInit, type PlainResponse, type Request } from "got";
import { grownBuffer } from "../../util/growable.js";

/** A body larger than the caller allowed: `declared` is its Content-Length when that alone exceeded the cap, else null. */
export class BodyTooLargeError extends Error {
  constructor(
    /** The cap, in bytes. */
    readonly maxBytes: number,
    /** The Content-Length the response declared, when it alone was over the cap. */
    readonly declared: number | null,
  ) {
    super(declared === null ? `the body grew past ${maxBytes} bytes` : `the body declared ${declared} bytes, over ${maxBytes}`);
    this.name = "BodyTooLargeError";
  }
}

/** A body whose last byte had not arrived `deadlineMs` after its headers. */
export class BodyDeadlineError extends Error {
  constructor(
    /** The deadline, in ms. */
    readonly deadlineMs: number,
    /** Bytes of the body received by then. */
    readonly received: number,
  ) {
    super(`the body was not complete ${deadlineMs} ms after its headers (${received} bytes in)`);
    this.name = "BodyDeadlineError";
  }
}

/** Limits of one body (see {@link streamBody}); unset, a limit does not apply. */
export interface BodyLimits {
  /** Cancels the request. */
  readonly signal?: AbortSignal | undefined;
  /** Most bytes of a body, decompressed; a larger one, or a Content-Length above it, rejects with {@link BodyTooLargeError}. */
  readonly maxBytes?: number | undefined;
  /** Most ms from a response's headers to its last byte; past it, {@link BodyDeadlineError}. Each retry has its own. */
  readonly deadlineMs?: number | undefined;
}

/** A byte buffer kept from one body to the next: it grows (doubling) to the largest body and keeps that size. */
export class BodyBuffer {
  private bytes: Buffer;
  /** Bytes of the current body. */
  length = 0;

  constructor(initialBytes = 1 << 20) {
    this.bytes = Buffer.allocUnsafeSlow(Math.max(1, initialBytes));
  }

  /** Forgets the current body (the memory stays). */
  clear(): void {
    this.length = 0;
  }

  /** Appends `chunk`. */
  append(chunk: Uint8Array): void {
    const needed = this.length + chunk.length;
    if (needed > this.bytes.length) this.bytes = grownBuffer(this.bytes, this.length, needed);
    this.bytes.set(chunk, this.length);
    this.length = needed;
  }

  /**
   * The current body as UTF-8 text (as got decodes a body for `responseType: "text"`). Even an
   * ASCII-only body: copied as ASCII, a large body becomes an external string, which the page
   * scan and each item's parse then read more slowly than the decoder's own string (see
   * docs/benchmark.md).
   */
  text(): string {
    return this.bytes.toString("utf8", 0, this.length);
  }
}

/** What a request other than a plain GET sends: its method, query, headers, JSON or form body and retry rule (e.g. a POST that may be retried). */
export type BodyRequest = Pick<OptionsInit, "method" | "searchParams" | "headers" | "json" | "form" | "retry">;

/**
 * GETs `url` (or sends `init`) through `client`'s stream interface into `body` (cleared
 * first, and again before each retry), within `limits`. `onResponse` is called when a response's headers are in (a
 * response got will not retry), before its status is checked. Resolves with the response once
 * its last byte is in `body`. Rejects with got's `HTTPError` (body unread) for a status outside
 * 2xx that got passed on, and with {@link BodyTooLargeError} or {@link BodyDeadlineError}.
 */
export const streamBody = (
  client: Got,
  url: string,
  limits: BodyLimits,
  body: BodyBuffer,
  onResponse: (response: PlainResponse) => void = () => undefined,
  init: BodyRequest = {},
): Promise<PlainResponse> =>
  new Promise<PlainResponse>((resolve, reject) => {
    const maxBytes = limits.maxBytes ?? Number.POSITIVE_INFINITY;
    const attempt = (request: Request): void => {
      body.clear();
      let deadline: NodeJS.Timeout | undefined;
      /** Ends this attempt with `error`: no retry (got retries only what it failed on itself). */
      const fail = (error: Error) => {
        detach();
        request.destroy();
        reject(error);
      };
      const onData = (chunk: Buffer) => {
        if (body.length + chunk.length > maxBytes) fail(new BodyTooLargeError(maxBytes, null));
        else body.append(chunk);
      };
      const onHeaders = (response: PlainResponse) => {
        onResponse(response);
        const status = response.statusCode;
        if (status < 200 || status > 299) return fail(new HTTPError(response));
        const declared = Number(response.headers["content-length"]);
        if (declared > maxBytes) return fail(new BodyTooLargeError(maxBytes, declared));
        if (limits.deadlineMs !== undefined) {
          const ms = limits.deadlineMs;
          deadline = setTimeout(() => fail(new BodyDeadlineError(ms, body.length)), ms);
        }
      };
      /** Leaves the spent attempt: its late events (an abort after the body was in, say) are not this request's. */
      const detach = () => {
        clearTimeout(deadline);
        request.off("data", onData).off("response", onHeaders).off("end", onEnd).off("retry", onRetry).off("error", onError);
        request.on("error", () => undefined);
      };
      const onEnd = () => {
        detach();
        request.destroy(); // as got's promise interface does: releases the request's hold on the abort signal
        if (request.response === undefined) reject(new Error("the response ended before its headers"));
        else resolve(request.response);
      };
      const onError = (error: Error) => {
        detach();
        reject(error);
      };
      const onRetry = (_retryCount: number, _error: unknown, createRetryStream: () => Request) => {
        detach();
        attempt(createRetryStream());
      };
      request.on("data", onData).once("response", onHeaders).once("end", onEnd).once("retry", onRetry).once("error", onError);
    };
    attempt(client.stream(url, { ...init, ...(limits.signal === undefined ? {} : { signal: limits.signal }) }));
  });
