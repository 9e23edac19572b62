/**
 * The HTTPS server of a simulated tenant: routes Entra ID and Defender API requests on one
 * origin, applies the fault plan (delays, stand-in statuses, broken bodies), keeps the
 * counters, and closes with every socket.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:https";
import type { Server } from "node:https";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { AAD, aadByCode, aadErrorResponse } from "./aad-errors.js";
import { htmlReply, statusFaultReply } from "./api-errors.js";
import type { TlsMaterial } from "./ca.js";
import { apiReply } from "./defender-api.js";
import { jwksReply, managedIdentityReply, MANAGED_IDENTITY_PATH, matchEntraRoute, metadataReply, tokenGetReply, tokenReply } from "./entra.js";
import type { EntraRoute } from "./entra.js";
import type { ApiFault, FaultCursor, TokenFault } from "./faults.js";
import { BodyTooLarge, jsonReply, readBody, sendReply } from "./http.js";
import type { BodyFault, Reply } from "./http.js";
import { rawSkip } from "./odata-query.js";
import type { TenantState } from "./state.js";
import { recordResponse } from "./stats.js";

/** A listening server. */
export interface RunningServer {
  /** `https://127.0.0.1:PORT`. */
  readonly origin: string;
  /** Stops listening and destroys every open connection. */
  close(): Promise<void>;
}

type AnyFault = ApiFault | TokenFault;

/** The reply of a stand-in fault (`status`, `html`, `aadsts`), or null. */
const standIn = (faults: readonly AnyFault[], target: "api" | "token", state: TenantState): Reply | null => {
  for (const f of faults) {
    if (f.kind === "html") return htmlReply(f.status ?? 200);
    if (f.kind === "aadsts") return aadErrorResponse(aadByCode(f.code, "00000000-0000-0000-0000-000000000000", state.options.tenantId));
    if (f.kind === "status") {
      if (target === "api") return statusFaultReply(f.status, f.retryAfter);
      const err = f.status === 429 ? AAD.throttled() : f.status >= 500 ? AAD.unavailable(f.status) : AAD.malformed(f.status);
      const reply = aadErrorResponse(err);
      return f.retryAfter === undefined ? reply : { ...reply, headers: { ...reply.headers, "retry-after": String(f.retryAfter) } };
    }
  }
  return null;
};

const bodyFaultOf = (faults: readonly AnyFault[]): BodyFault | null => {
  for (const f of faults) {
    if (f.kind === "truncated-json" || f.kind === "reset-mid-body") return f.kind;
    if (f.kind === "huge-body") return { kind: "huge-body", bytes: f.bytes, gzip: f.gzip ?? true };
    if (f.kind === "drip") return { kind: "drip", everyMs: f.everyMs };
  }
  return null;
};

/** Runs delays, then a stand-in reply or the handler. */
const withFaults = async (faults: readonly AnyFault[], target: "api" | "token", state: TenantState, handler: () => Promise<Reply>): Promise<Reply> => {
  for (const f of faults) if (f.kind === "delay") await sleep(f.ms, undefined, { signal: state.closing });
  return standIn(faults, target, state) ?? (await handler());
};

const entraReply = async (state: TenantState, route: EntraRoute, req: IncomingMessage, origin: string): Promise<Reply> => {
  if (route.kind === "metadata") return metadataReply(state, route, origin);
  if (route.kind === "jwks") return jwksReply(state, route);
  if (req.method !== "POST") return tokenGetReply();
  const body = await readBody(req);
  return tokenReply(state, route, origin, new URLSearchParams(body), req.headers.authorization);
};

/**
 * Starts the HTTPS server on `state.options.host:port`; `faults()` gives the current fault
 * cursor; `shutdown` is aborted by `close()` (it is `state.closing`'s controller).
 */
export const startServer = async (state: TenantState, tls: TlsMaterial, faults: () => FaultCursor, shutdown: AbortController): Promise<RunningServer> => {
  const { stats, options } = state;
  let fallbackHost = "";

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const rawUrl = req.url ?? "/";
    const q = rawUrl.indexOf("?");
    const pathname = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const rawQuery = q < 0 ? "" : rawUrl.slice(q + 1);
    const origin = `https://${req.headers.host ?? fallbackHost}`;
    const isApi = pathname === "/api" || pathname.startsWith("/api/");
    let applied: AnyFault[] = [];
    let target: "api" | "token" | null = null;
    let reply: Reply;
    if (isApi) {
      stats.apiRequests += 1;
      stats.concurrentApiRequests += 1;
      stats.maxConcurrentApiRequests = Math.max(stats.maxConcurrentApiRequests, stats.concurrentApiRequests);
    }
    try {
      if (isApi) {
        target = "api";
        const next = faults().nextApi(rawSkip(rawQuery));
        applied = next.faults;
        applied.forEach((f) => stats.faultsApplied.push({ target: "api", request: next.n, kind: f.kind, path: rawUrl }));
        reply = await withFaults(applied, "api", state, () =>
          apiReply(state, { method: req.method ?? "GET", pathname, rawQuery, origin, authorization: req.headers.authorization }, next.faults),
        );
        if (reply.status === 429) stats.throttled += 1;
      } else if (pathname === MANAGED_IDENTITY_PATH) {
        target = "token";
        stats.tokenRequests += 1;
        const next = faults().nextToken();
        applied = next.faults;
        const header = req.headers["x-identity-header"];
        reply = await withFaults(applied, "token", state, () =>
          Promise.resolve(managedIdentityReply(state, new URLSearchParams(rawQuery), Array.isArray(header) ? header[0] : header)),
        );
      } else {
        const route = matchEntraRoute(pathname);
        if (route === null) {
          reply = jsonReply(404, { error: "not_found", error_description: `No simulated endpoint at ${pathname}` });
        } else if (route.kind === "token") {
          target = "token";
          stats.tokenRequests += 1;
          const next = faults().nextToken();
          applied = next.faults;
          applied.forEach((f) => stats.faultsApplied.push({ target: "token", request: next.n, kind: f.kind, path: pathname }));
          reply = await withFaults(applied, "token", state, () => entraReply(state, route, req, origin));
        } else {
          stats.metadataRequests += 1;
          reply = await entraReply(state, route, req, origin);
        }
      }
    } catch (e) {
      reply =
        e instanceof BodyTooLarge
          ? aadErrorResponse({ status: 413, error: "invalid_request", code: 90000, description: e.message })
          : jsonReply(500, { error: { code: "InternalServerError", message: `simulator error: ${(e as Error).message}` } });
    }
    try {
      await sendReply(req, res, reply, {
        compress: options.compress && isApi,
        bodyFault: target === null ? null : bodyFaultOf(applied),
        closing: state.closing,
      });
    } finally {
      if (isApi) stats.concurrentApiRequests -= 1;
      const scheme = /^(\S+)\s/.exec(req.headers.authorization ?? "")?.[1] ?? null;
      recordResponse(
        stats,
        {
          method: req.method ?? "",
          path: rawUrl,
          status: reply.status,
          auth: scheme,
          receivedAtMs: started,
          ms: performance.now() - started,
          faults: applied.map((f) => f.kind),
        },
        options.requestLogLimit,
      );
    }
  };

  const server: Server = createServer({ key: tls.serverKeyPem, cert: tls.serverCertPem }, (req, res) => {
    // Rejections here are only aborted delays at shutdown or a socket gone away.
    handle(req, res).catch(() => res.destroy());
  });
  server.on("tlsClientError", () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  fallbackHost = `${host}:${address.port}`;
  return {
    origin: `https://${fallbackHost}`,
    close: () =>
      new Promise<void>((resolve) => {
        shutdown.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
