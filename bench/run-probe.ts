/**
 * One measured probe run, in its own process: the whole Defender365 probe against the
 * simulated tenant (msal sign-in, HTTPS pages, JSON.parse, decode, normalise, correlate,
 * enrich), then the records streamed to a JSON-lines file. Started by `main.ts`:
 *
 *   node bench-results/.build-XXXX/bench/run-probe.js --session FILE [--profile FILE.cpuprofile]
 *
 * (its tsc output: the measured process runs compiled JavaScript, no TypeScript loader).
 * The scanned assets are loaded before the clock starts (the engine hands them over in
 * memory). Timed: `defender365.run` through the last record written. The client's pacing
 * is set out of the way (`rateLimits: [{ calls: 1e9, ms: 60_000 }]`): the bench measures
 * the pipeline, not Defender's 100 calls a minute. Prints one {@link SideReport} line.
 */
import { once } from "node:events";
import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { Session as InspectorSession } from "node:inspector/promises";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import type { ScannedAsset } from "../src/engine/assets.js";
import { recordFile } from "../src/cli/output.js";
import type { TaskLogEvent } from "../src/contract.js";
import { CredentialCodec } from "../src/azure/credentials.js";
import { createEnvironment } from "../src/runtime/environment.js";
import { defender365 } from "../src/probes/defender365/index.js";
import { errorText, flagValue, meter, readSession, report, runtimeOf, type ProbePhases } from "./common.js";

/** The client-side pacing used by the bench, stated in the bench's output. */
export const BENCH_RATE_LIMITS = [{ calls: 1e9, ms: 60_000 }] as const;

const argv = process.argv.slice(2);
const session = readSession(argv);
const profilePath = flagValue(argv, "--profile");

const loadAssets = async (file: string): Promise<ScannedAsset[]> => {
  const assets: ScannedAsset[] = [];
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  lines.on("line", (line) => {
    if (line.length > 0) assets.push(JSON.parse(line) as ScannedAsset);
  });
  await once(lines, "close");
  return assets;
};

const loadStarted = performance.now();
const assets = await loadAssets(session.assetsFile);
const assetLoadMs = performance.now() - loadStarted;

const credential = CredentialCodec.decode(session.credential);
const options = defender365.options.decode({
  apiBaseUrl: session.origin,
  authorityHost: session.origin,
  pageSize: session.pageSize,
  siteId: "bench-site",
  expectedDevices: session.expectedDevices,
});
if (credential._tag === "Left" || options._tag === "Left") throw new Error("the simulated tenant's credential or the bench's options do not decode");

/** When each task-log event of interest was first/last seen (ms, performance clock). */
const marks: { signedIn?: number; lastPage?: number; pages: number } = { pages: 0 };
const env = createEnvironment({
  extraCaPem: session.caPem,
  rateLimits: BENCH_RATE_LIMITS,
  taskLog: (event: TaskLogEvent) => {
    if (event.code === "DEFENDER_SIGNED_IN") marks.signedIn = performance.now();
    if (event.code === "DEFENDER_PAGE") {
      marks.lastPage = performance.now();
      marks.pages += 1;
    }
  },
});
const outDir = mkdtempSync(join(session.workDir, "records-"));
const outFile = join(outDir, "records.jsonl");

let inspector: InspectorSession | undefined;
if (profilePath !== undefined) {
  inspector = new InspectorSession();
  inspector.connect();
  await inspector.post("Profiler.enable");
  await inspector.post("Profiler.setSamplingInterval", { interval: 500 });
}
const rssBeforeKb = process.resourceUsage().maxRSS;
const m = meter();
m.start();
if (inspector !== undefined) await inspector.post("Profiler.start");
const started = performance.now();
const records = recordFile(outFile);
const outcome = await defender365.run({ mode: "connector", credential: credential.right, options: options.right, assets, recordSink: records.sink }, env)();
const ran = performance.now();
await records.close();
const result = outcome._tag === "Right" ? outcome.right : outcome.left.partial;
const finished = performance.now();
if (inspector !== undefined) {
  const { profile } = await inspector.post("Profiler.stop");
  writeFileSync(profilePath ?? "probe.cpuprofile", JSON.stringify(profile));
  inspector.disconnect();
}
const metered = await m.stop();

const phases: ProbePhases = {
  signInMs: marks.signedIn === undefined ? null : marks.signedIn - started,
  pagesMs: marks.signedIn === undefined || marks.lastPage === undefined ? null : marks.lastPage - marks.signedIn,
  afterPagesMs: marks.lastPage === undefined ? null : ran - marks.lastPage,
  writeMs: finished - ran,
};
const recordBytes = result === undefined ? 0 : (statSync(outFile, { throwIfNoEntry: false })?.size ?? 0);
rmSync(outDir, { recursive: true, force: true });

report({
  side: "probe",
  ok: outcome._tag === "Right",
  error: outcome._tag === "Left" ? errorText(outcome.left) : undefined,
  wallMs: finished - started,
  devices: result?.summary.counts.fetched ?? 0,
  pages: marks.pages,
  clientRequests: result?.summary.http.requests ?? 0,
  runtime: runtimeOf(import.meta.url),
  peakRssKb: process.resourceUsage().maxRSS,
  rssBeforeKb,
  ...metered,
  phases,
  records: result === undefined ? 0 : result.summary.counts.matched + result.summary.counts.created,
  recordBytes,
  assets: assets.length,
  assetLoadMs,
  profile: profilePath,
});
// Sockets kept alive by the shared agent would hold the process open.
process.exit(0);
