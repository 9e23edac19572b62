/**
 * HTTP plumbing shared by the handlers: a `Reply` value (handlers build one, the server
 * sends it), request-body reading with a size cap, and sending with optional compression
 * and the body faults (truncated JSON, connection reset mid-body).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { promisify } from "node:util";
import { deflate, gzip } from "node:zlib";

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

/** A fault applied to the bytes of a reply. */
export type BodyFault = "truncated-json" | "reset-mid-body";

/** How to send a reply. */
export interface SendOptions {
  /** Compress with deflate or gzip when the request accepts it. */
  readonly compress: boolean;
  /** Break the body on purpose. */
  readonly bodyFault: BodyFault | null;
}

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
