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
 */
import type { Got, PlainResponse, Request } from "got";
import { grownBuffer } from "../growable.js";

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

  /** The current body as UTF-8 text (as got decodes a body for `responseType: "text"`). */
  text(): string {
    return this.bytes.toString("utf8", 0, this.length);
  }
}

/**
 * GETs `url` through `client`'s stream interface into `body` (cleared first, and again before
 * each retry). `onResponse` is called when a response's headers are in (a response got will
 * not retry). Resolves with the response once its last byte is in `body`.
 */
export const streamBody = (
  client: Got,
  url: string,
  options: { readonly signal?: AbortSignal | undefined },
  body: BodyBuffer,
  onResponse: (response: PlainResponse) => void = () => undefined,
): Promise<PlainResponse> =>
  new Promise<PlainResponse>((resolve, reject) => {
    const attempt = (request: Request): void => {
      body.clear();
      const onData = (chunk: Buffer) => body.append(chunk);
      /** Leaves the spent attempt: its late events (an abort after the body was in, say) are not this request's. */
      const detach = () => {
        request.off("data", onData).off("response", onResponse).off("end", onEnd).off("retry", onRetry).off("error", onError);
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
      request.on("data", onData).once("response", onResponse).once("end", onEnd).once("retry", onRetry).once("error", onError);
    };
    attempt(client.stream(url, options.signal === undefined ? {} : { signal: options.signal }));
  });
