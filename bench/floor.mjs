/**
 * The floor, in its own process: the least any client must do to read the same pages, in
 * plain JavaScript (no TypeScript loader, no got). node:https with one keep-alive Agent
 * trusting the tenant's CA (verification on), one client-credentials token POST, then the
 * API calls the probe made in its last run, replayed in order and one after another (same
 * `$top`, `$skip`, `$filter`, so the same pages), and `JSON.parse` of each body. Started by
 * `main.ts`:
 *
 *   node bench/floor.mjs --session FILE --replay FILE
 *
 * Without service time this is the fetch+parse floor; with service time it is the
 * sequential client the slow-service target compares against. Prints one SideReport line
 * (bench/common.ts) with `side: "floor"`.
 */
import { readFileSync } from "node:fs";
import { Agent, request } from "node:https";
import { performance } from "node:perf_hooks";
import { rootCertificates } from "node:tls";
import { meter, runtimeOf } from "./meter.mjs";

const argv = process.argv.slice(2);
/** @param {string} flag */
const flagValue = (flag) => {
  const at = argv.indexOf(flag);
  return at >= 0 ? argv[at + 1] : undefined;
};
const sessionFile = flagValue("--session");
const replayFile = flagValue("--replay");
if (sessionFile === undefined || replayFile === undefined) throw new Error("--session FILE and --replay FILE are required");
/** @type {{ probe: string, origin: string, tenantId: string, caPem: string, credential: Record<string, string>, pageSize: number }} */
const session = JSON.parse(readFileSync(sessionFile, "utf8"));
/** @type {string[]} */
const replay = JSON.parse(readFileSync(replayFile, "utf8"));
const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: [...rootCertificates, session.caPem] });

/**
 * One request; resolves with the body as text, rejects on a status other than 200 (201 for a Falcon token).
 * @param {string} method
 * @param {string} path
 * @param {Record<string, string>} headers
 * @param {string} [body]
 * @returns {Promise<string>}
 */
const call = (method, path, headers, body) =>
  new Promise((resolve, reject) => {
    const req = request(`${session.origin}${path}`, { method, headers, agent, timeout: 120_000 }, (res) => {
      /** @type {Buffer[]} */
      const chunks = [];
      res.on("data", (chunk) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        if (res.statusCode === 200 || res.statusCode === 201) resolve(text);
        else reject(new Error(`HTTP ${res.statusCode ?? "?"} for ${method} ${path}: ${text.slice(0, 200)}`));
      });
    });
    req.on("timeout", () => req.destroy(new Error(`timeout: ${method} ${path}`)));
    req.on("error", reject);
    req.end(body);
  });

const rssBeforeKb = process.resourceUsage().maxRSS;
const m = meter();
m.start();
const started = performance.now();
let devices = 0;
let pages = 0;
let requests = 0;
/** @type {string | undefined} */
let error;
try {
  const c = session.credential;
  if (session.probe === "crowdstrike") {
    const form = new URLSearchParams({ client_id: c["clientId"] ?? "", client_secret: c["clientSecret"] ?? "" }).toString();
    const tokenBody = await call(
      "POST",
      "/oauth2/token",
      { "content-type": "application/x-www-form-urlencoded", "content-length": String(Buffer.byteLength(form)), accept: "application/json" },
      form,
    );
    const headers = { authorization: `Bearer ${JSON.parse(tokenBody).access_token}`, accept: "application/json" };
    const first = `/devices/combined/devices/v1?limit=${session.pageSize}&sort=device_id.asc`;
    for (let path = first; path !== "";) {
      requests += 1;
      const page = JSON.parse(await call("GET", path, headers));
      pages += 1;
      devices += page.resources.length;
      const next = page.meta?.pagination?.next;
      path = typeof next === "string" && next !== "" ? `${first}&offset=${encodeURIComponent(next)}` : "";
    }
  } else {
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: c["clientId"] ?? "",
      client_secret: c["clientSecret"] ?? "",
      scope: "https://api.securitycenter.microsoft.com/.default",
    }).toString();
    const tokenBody = await call(
      "POST",
      `/${session.tenantId}/oauth2/v2.0/token`,
      {
        "content-type": "application/x-www-form-urlencoded",
        "content-length": String(Buffer.byteLength(form)),
      },
      form,
    );
    const token = JSON.parse(tokenBody).access_token;
    const headers = { authorization: `Bearer ${token}`, accept: "application/json" };
    for (const path of replay) {
      requests += 1;
      const page = JSON.parse(await call("GET", path, headers));
      pages += 1;
      devices += page.value.length;
    }
  }
} catch (e) {
  error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
const finished = performance.now();
const metered = await m.stop();

process.stdout.write(
  `${JSON.stringify({
    side: "floor",
    ok: error === undefined,
    error,
    wallMs: finished - started,
    devices,
    pages,
    clientRequests: requests,
    replayed: true,
    runtime: runtimeOf(import.meta.url),
    peakRssKb: process.resourceUsage().maxRSS,
    rssBeforeKb,
    ...metered,
  })}\n`,
);
process.exit(0);
