/**
 * One simulated Falcon cloud: an HTTPS server answering the token endpoints and the hosts
 * API for one region, in this order per request: faults' delays, rate limits (per IP on
 * the token endpoints and for bad tokens, per CID otherwise), stand-in faults, the bearer
 * token (valid only on the cloud that issued it), the route, the scope, then the handler.
 * Every answer carries `X-Cs-Traceid` (= `meta.trace_id`) and the rate-limit headers.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:https";
import type { Server } from "node:https";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import type { TlsMaterial } from "../ca.js";
import { readBody } from "../http.js";
import type { Answer } from "./envelope.js";
import { errorAnswer, renderAnswer } from "./envelope.js";
import type { FalconFault } from "./faults.js";
import { newTraceId } from "./ids.js";
import { revokeAnswer, tokenAnswer } from "./oauth.js";
import type { WindowAnswer } from "./rate-limit.js";
import { HOSTS_SCOPE, ROUTES } from "./routes.js";
import type { FalconState } from "./state.js";
import { bump } from "./stats.js";

/** A listening cloud. */
export interface RunningCloud {
  readonly origin: string;
  close(): Promise<void>;
}

const OPEN_WINDOW: WindowAnswer = { ok: true, limit: 6000, remaining: 6000, retryAtMs: 0 };

/** Takes a slot in a window, or an open one when rate limits are off. */
const take = (state: FalconState, key: string, pick: "perCidPerMinute" | "badTokenPerIpPerMinute" | "tokenPerIpPerMinute"): WindowAnswer => {
  const limits = state.knobs.rateLimit;
  if (limits === false) return OPEN_WINDOW;
  return state.windows.take(key, limits[pick], state.clock.now());
};

const throttled = (state: FalconState, window: WindowAnswer, poweredBy: string): Answer => {
  const unit = state.knobs.retryAfterUnit;
  const retryAfter = unit === "seconds" ? String(Math.ceil(window.retryAtMs / 1000)) : String(Math.ceil(window.retryAtMs));
  return errorAnswer(429, "API rate limit exceeded.", poweredBy, { headers: { "X-RateLimit-RetryAfter": retryAfter } });
};

/** The answer a stand-in fault gives, or null. */
const standIn = (state: FalconState, faults: readonly FalconFault[], traceId: string, request: { path: string; rawQuery: string }): Answer | null => {
  for (const f of faults) {
    if (f.kind === "status") {
      if (f.status === 429) {
        const at = state.clock.now() + (f.retryAfterSeconds ?? 1) * 1000;
        return throttled(state, { ok: false, limit: 0, remaining: 0, retryAtMs: at }, "crowdstrike-api-gateway");
      }
      const message = f.status >= 500 ? `Internal Server Error: Please provide trace-id='${traceId}' to support` : "Bad request";
      return errorAnswer(f.status, message, "crowdstrike-api-gateway");
    }
    if (f.kind === "redirect") {
      const location = f.location ?? `https://falcon.attacker.example${request.path}${request.rawQuery === "" ? "" : `?${request.rawQuery}`}`;
      return { status: f.status ?? 307, poweredBy: "crowdstrike-api-gateway", errors: [], empty: true, headers: { Location: location } };
    }
  }
  return null;
};

/** Applies the host-set changes a fault asks for. */
const mutate = (state: FalconState, faults: readonly FalconFault[]): void => {
  for (const f of faults) {
    if (f.kind === "add-host") for (let k = 0; k < (f.count ?? 1); k++) state.store.addAt(0);
    if (f.kind === "hide-host") for (let k = 0; k < (f.count ?? 1); k++) state.store.hideAt(0);
  }
};

interface Parsed {
  readonly method: string;
  readonly path: string;
  readonly rawQuery: string;
  readonly remoteIp: string;
}

const parse = (req: IncomingMessage): Parsed => {
  const raw = req.url ?? "/";
  const q = raw.indexOf("?");
  return {
    method: req.method ?? "GET",
    path: q < 0 ? raw : raw.slice(0, q),
    rawQuery: q < 0 ? "" : raw.slice(q + 1),
    remoteIp: req.socket.remoteAddress ?? "",
  };
};

/** One request being answered: the cloud's state, its region, the request and what was read of it, the faults that apply, its trace id. */
interface Exchange {
  readonly state: FalconState;
  readonly region: string;
  readonly req: IncomingMessage;
  readonly p: Parsed;
  readonly faults: readonly FalconFault[];
  readonly traceId: string;
}

/** An answer, and the rate-limit window it counted against (for its `X-RateLimit-*` headers). */
interface Outcome {
  readonly answer: Answer;
  readonly window: WindowAnswer;
}

const oauthAnswer = async ({ state, region, req, p, faults, traceId }: Exchange): Promise<Outcome> => {
  const window = take(state, `token:${p.remoteIp}`, "tokenPerIpPerMinute");
  if (!window.ok) return { answer: throttled(state, window, "csam"), window };
  const fault = standIn(state, faults, traceId, p);
  if (fault !== null) return { answer: fault, window };
  if (p.method !== "POST") return { answer: errorAnswer(405, "Method Not Allowed", "csam"), window };
  const form = new URLSearchParams(await readBody(req, 64 * 1024));
  const request = { region, form, authorization: req.headers.authorization, remoteIp: p.remoteIp };
  return { answer: p.path === "/oauth2/token" ? tokenAnswer(state, request) : revokeAnswer(state, request), window };
};

const dataAnswer = async ({ state, region, req, p, faults, traceId }: Exchange): Promise<Outcome> => {
  if (faults.some((f) => f.kind === "revoke-tokens")) state.tokens.revokeAll();
  const bearer = /^bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1] ?? "";
  const grant = bearer === "" ? null : state.tokens.check(bearer, region, state.clock.now());
  if (grant === null) {
    const window = take(state, `bad:${p.remoteIp}`, "badTokenPerIpPerMinute");
    if (!window.ok) return { answer: throttled(state, window, "crowdstrike-api-gateway"), window };
    return { answer: errorAnswer(401, "access denied, invalid bearer token", "crowdstrike-api-gateway"), window };
  }
  const window = take(state, `cid:${grant.cid}`, "perCidPerMinute");
  if (!window.ok) return { answer: throttled(state, window, "crowdstrike-api-gateway"), window };
  const fault = standIn(state, faults, traceId, p);
  if (fault !== null) return { answer: fault, window };
  const route = ROUTES.get(p.path);
  if (route === undefined) return { answer: errorAnswer(404, "Not Found", "crowdstrike-api-gateway"), window };
  const handler = route[p.method];
  if (handler === undefined) return { answer: errorAnswer(405, "Method Not Allowed", "crowdstrike-api-gateway"), window };
  if (!grant.client.scopes.includes(HOSTS_SCOPE)) return { answer: errorAnswer(403, "access denied, scope not permitted", "crowdstrike-api-gateway"), window };
  mutate(state, faults);
  const body = p.method === "POST" ? await readBody(req, 8 << 20) : "";
  let answer = handler(state, { method: p.method, path: p.path, query: new URLSearchParams(p.rawQuery), body, faults });
  for (const f of faults)
    if (f.kind === "errors-on-200" && answer.status === 200)
      answer = {
        ...answer,
        errors: [...answer.errors, { code: f.code ?? 500, message: f.message ?? "Internal error while reading some hosts; the page may be incomplete" }],
      };
  return { answer, window };
};

const send = (res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer | null): Promise<void> =>
  new Promise<void>((resolve) => {
    res.once("close", () => resolve());
    res.writeHead(status, { ...headers, "Content-Length": String(body?.length ?? 0) });
    res.end(body ?? undefined, () => resolve());
  });

/** Starts the cloud `region` on 127.0.0.1 (port `port`, 0 for any). */
export const startCloud = async (state: FalconState, region: string, tls: TlsMaterial, host: string, port: number): Promise<RunningCloud> => {
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const p = parse(req);
    const traceId = newTraceId();
    const oauth = p.path === "/oauth2/token" || p.path === "/oauth2/revoke";
    bump(state.stats.byEndpoint, `${p.method} ${p.path}`);
    bump(state.stats.byRegion, region);
    const faults = state.faults.next(oauth ? "token" : "api", p.path);
    for (const f of faults) state.stats.faultsApplied.push({ kind: f.kind, path: p.path, region });
    for (const f of faults) if (f.kind === "delay") await sleep(f.ms, undefined, { signal: state.closing });
    let outcome: Outcome;
    try {
      const exchange: Exchange = { state, region, req, p, faults, traceId };
      outcome = oauth ? await oauthAnswer(exchange) : await dataAnswer(exchange);
    } catch (e) {
      outcome = { answer: errorAnswer(500, `simulator error: ${(e as Error).message}`, "crowdstrike-api-gateway"), window: OPEN_WINDOW };
    }
    const { answer, window } = outcome;
    if (answer.status === 429) state.stats.throttled += 1;
    state.stats.hostsServed += answer.hosts ?? 0;
    bump(state.stats.byStatus, String(answer.status));
    let body = renderAnswer(answer, traceId, Number(((performance.now() - started) / 1000).toFixed(9)));
    if (body !== null && faults.some((f) => f.kind === "truncated")) body = body.subarray(0, Math.floor(body.length / 2));
    state.stats.bytesSent += body?.length ?? 0;
    const headers: Record<string, string> = {
      ...(body !== null ? { "Content-Type": "application/json" } : {}),
      "X-Cs-Traceid": traceId,
      "X-RateLimit-Limit": String(window.limit),
      "X-RateLimit-Remaining": String(window.remaining),
      ...(state.knobs.regionOnDataResponses && !oauth ? { "X-Cs-Region": region } : {}),
      ...answer.headers,
    };
    await send(res, answer.status, headers, body);
  };
  const server: Server = createServer({ key: tls.serverKeyPem, cert: tls.serverCertPem }, (req, res) => {
    // Rejections here are only delays aborted at close or a socket gone away.
    handle(req, res).catch(() => res.destroy());
  });
  server.on("tlsClientError", () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    origin: `https://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
