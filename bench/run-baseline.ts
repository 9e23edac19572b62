/**
 * The baseline, in its own process: the least any client must do to read the same pages.
 * One client-credentials token POST, then the API calls one after another with got (same
 * CA, verification on) and `JSON.parse` of each body, nothing else. The calls are those the
 * probe made in its last run, replayed in order (`--replay FILE`, a JSON array of path and
 * query: same `$top`, `$skip`, `$filter`, so the same pages); without one,
 * `GET /api/machines?$top=P&$skip=k` until a short page. Started by `main.ts`:
 *
 *   node --import tsx bench/run-baseline.ts --session FILE [--replay FILE]
 *
 * Without service time this is the "fetch+parse" floor; with service time it is the
 * "sequential client" the slow-service target compares against. Prints one
 * {@link SideReport} line.
 */
import { readFileSync } from "node:fs";
import { rootCertificates } from "node:tls";
import { performance } from "node:perf_hooks";
import got from "got";
import { errorText, flagValue, meter, readSession, report } from "./common.js";

const argv = process.argv.slice(2);
const session = readSession(argv);
const replayFile = flagValue(argv, "--replay");
const replay = replayFile === undefined ? undefined : (JSON.parse(readFileSync(replayFile, "utf8")) as string[]);
const client = got.extend({
  https: { rejectUnauthorized: true, certificateAuthority: [...rootCertificates, session.caPem] },
  responseType: "text",
  followRedirect: false,
  retry: { limit: 0 },
  timeout: { response: 120_000 },
});

const rssBeforeKb = process.resourceUsage().maxRSS;
const m = meter();
m.start();
const started = performance.now();
let devices = 0;
let pages = 0;
let requests = 0;
let error: string | undefined;
try {
  const credential = session.credential;
  const tokenBody = await client
    .post(`${session.origin}/${session.tenantId}/oauth2/v2.0/token`, {
      form: {
        grant_type: "client_credentials",
        client_id: credential["clientId"] ?? "",
        client_secret: credential["clientSecret"] ?? "",
        scope: "https://api.securitycenter.microsoft.com/.default",
      },
    })
    .text();
  const token = (JSON.parse(tokenBody) as { access_token: string }).access_token;
  const read = async (path: string): Promise<number> => {
    requests += 1;
    const body = await client.get(`${session.origin}${path}`, { headers: { authorization: `Bearer ${token}`, accept: "application/json" } }).text();
    const page = JSON.parse(body) as { value: unknown[] };
    pages += 1;
    devices += page.value.length;
    return page.value.length;
  };
  if (replay !== undefined) {
    for (const path of replay) await read(path);
  } else {
    for (let skip = 0; ; skip += session.pageSize) {
      if ((await read(`/api/machines?$top=${session.pageSize}&$skip=${skip}`)) < session.pageSize) break;
    }
  }
} catch (e) {
  error = errorText(e);
}
const finished = performance.now();
const metered = await m.stop();

report({
  side: "baseline",
  ok: error === undefined,
  error,
  wallMs: finished - started,
  devices,
  pages,
  clientRequests: requests,
  replayed: replay !== undefined,
  peakRssKb: process.resourceUsage().maxRSS,
  rssBeforeKb,
  ...metered,
});
process.exit(0);
