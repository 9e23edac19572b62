/**
 * HTTP plumbing shared by the handlers: a `Reply` value (handlers build one, the server
 * sends it), request-body reading with a size cap, and sending with optional compression
 * and the body faults (truncated JSON, connection reset mid-body).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { createGzip, deflate, gzip } from "node:zlib";

const deflateAsync = promisify(deflate);
const gzipAsync = promisify(gzip);

/** A response to send. */
export interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** A string is sent as UTF-8; a Buffer (a cached page) as is. */
  readonly body: string | Buffer;
  /** Machine records in a list page's body (the page cache applies service time and counters with it). */
  readonly devices?: number;
}

/** A JSON reply (`application/json; charset=utf-8` unless `headers` says otherwise). */
export const jsonReply = (status: number, value: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  headers: { "content-type": "application/json; charset=utf-8", ...headers },
  body: JSON.stringify(value),
});

/** Thrown by `readBody` when the body is larger than allowed. */
export class BodyTooLarge extends Error {}

/** Reads a request body as UTF-8, refusing more than `limit` bytes. */
export const readBody = async (req: IncomingMessage, limit = 1 << 20): Promise<string> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) throw new BodyTooLarge(`request body over ${limit} bytes`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString("utf8");
};

/** A fault applied to the bytes of a reply: see the fault kinds of the same names in `faults.ts`. */
export type BodyFault =
  | "truncated-json"
  | "reset-mid-body"
  | { readonly kind: "huge-body"; readonly bytes: number; readonly gzip: boolean }
  | { readonly kind: "drip"; readonly everyMs: number };

/** How to send a reply. */
export interface SendOptions {
  /** Compress with deflate or gzip when the request accepts it. */
  readonly compress: boolean;
  /** Break the body on purpose. */
  readonly bodyFault: BodyFault | null;
  /** Aborted when the server closes: a body sent slowly stops. */
  readonly closing?: AbortSignal | undefined;
}

/** Blanks written at a time when padding a body. */
const PAD_CHUNK = Buffer.alloc(64 * 1024, 0x20);

/** Writes `chunk` to `to`, waiting while it is full; false once the response is gone. */
const writeWaiting = async (res: ServerResponse, to: NodeJS.WritableStream, chunk: Buffer): Promise<boolean> => {
  if (res.destroyed) return false;
  if (to.write(chunk)) return true;
  await new Promise<void>((resolve) => {
    const done = () => {
      to.off("drain", done);
      res.off("close", done);
      resolve();
    };
    to.once("drain", done);
    res.once("close", done);
  });
  return !res.destroyed;
};

/** Sends `body` followed by blanks up to `bytes` bytes (see `huge-body`). */
const sendHuge = async (
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: Buffer,
  bytes: number,
  compress: boolean,
): Promise<void> => {
  if (!compress) {
    res.writeHead(status, { ...headers, "content-length": String(Math.max(bytes, body.length)) });
  } else {
    res.writeHead(status, { ...headers, "content-encoding": "gzip" });
  }
  const gz = compress ? createGzip() : null;
  gz?.pipe(res);
  const to: NodeJS.WritableStream = gz ?? res;
  let left = bytes - body.length;
  let open = await writeWaiting(res, to, body);
  while (open && left > 0) {
    const chunk = left >= PAD_CHUNK.length ? PAD_CHUNK : PAD_CHUNK.subarray(0, left);
    left -= chunk.length;
    open = await writeWaiting(res, to, chunk);
  }
  if (open) await new Promise<void>((resolve) => (res.once("close", resolve), to.end(() => resolve())));
  else gz?.destroy();
};

/** Sends `body` one byte every `everyMs` ms (see `drip`), until done, the client gone or the server closing. */
const sendDrip = async (
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: Buffer,
  everyMs: number,
  closing?: AbortSignal,
): Promise<void> => {
  res.writeHead(status, { ...headers, "content-length": String(body.length) });
  for (let at = 0; at < body.length && !res.destroyed; at++) {
    res.write(body.subarray(at, at + 1));
    try {
      await sleep(everyMs, undefined, closing === undefined ? {} : { signal: closing });
    } catch {
      res.destroy();
      return;
    }
  }
  res.end();
};

const encodingFor = (req: IncomingMessage): "deflate" | "gzip" | null => {
  const accept = String(req.headers["accept-encoding"] ?? "").toLowerCase();
  if (/\bdeflate\b/.test(accept)) return "deflate";
  if (/\bgzip\b/.test(accept)) return "gzip";
  return null;
};

/** Sends `reply`, applying compression and a body fault. Resolves when the response is written or the socket dropped. */
export const sendReply = async (req: IncomingMessage, res: ServerResponse, reply: Reply, options: SendOptions): Promise<void> => {
  if (res.destroyed || req.socket.destroyed) return;
  let body = typeof reply.body === "string" ? Buffer.from(reply.body, "utf8") : reply.body;
  const headers: Record<string, string> = { ...reply.headers };
  const encoding = options.compress && options.bodyFault === null && body.length > 1024 ? encodingFor(req) : null;
  if (encoding !== null) {
    body = encoding === "deflate" ? await deflateAsync(body) : await gzipAsync(body);
    headers["content-encoding"] = encoding;
    headers["vary"] = "Accept-Encoding";
  }
  const fault = options.bodyFault;
  if (typeof fault === "object" && fault !== null) {
    const plain = typeof reply.body === "string" ? Buffer.from(reply.body, "utf8") : reply.body;
    if (fault.kind === "huge-body") return sendHuge(res, reply.status, { ...reply.headers }, plain, fault.bytes, fault.gzip);
    return sendDrip(res, reply.status, { ...reply.headers }, plain, fault.everyMs, options.closing);
  }
  if (options.bodyFault === "reset-mid-body") {
    res.writeHead(reply.status, headers);
    await new Promise<void>((resolve) => {
      res.once("close", () => resolve());
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => resolve());
    });
    res.destroy();
    req.socket.destroy();
    return;
  }
  if (options.bodyFault === "truncated-json") body = body.subarray(0, Math.max(0, Math.floor(body.length / 2)));
  headers["content-length"] = String(body.length);
  res.writeHead(reply.status, headers);
  await new Promise<void>((resolve) => {
    res.once("close", () => resolve());
    res.end(body, () => resolve());
  });
};
