/**
 * One measured probe run, in its own process: the whole probe against the simulated service
 * (Defender365: msal sign-in; CrowdStrike: its OAuth2 sign-in; then HTTPS pages, JSON.parse,
 * decode, normalise, correlate, enrich), then the records streamed to a JSON-lines file. Started by `main.ts`:
 *
 *   node bench-results/.build-XXXX/bench/run-probe.js --session FILE [--profile FILE.cpuprofile]
 *
 * (its tsc output: the measured process runs compiled JavaScript, no TypeScript loader).
 * The scanned assets are loaded before the clock starts (the engine hands them over in
 * memory). Timed: `probe.run` through the last record written. The client's pacing is set
 * out of the way (`rateLimits: [{ calls: 1e9, ms: 60_000 }]`): the bench measures the
 * pipeline, not the source's quota (Defender's 100 calls a minute, Falcon's 6,000). Prints one {@link SideReport} line.
 */
import { once } from "node:events";
import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { Session as InspectorSession } from "node:inspector/promises";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import type { ScannedAsset } from "../src/engine/assets.js";
import { recordFile } from "../src/cli/output.js";
import type { AnyProbe, TaskLogEvent } from "../src/contract.js";
import { createEnvironment } from "../src/runtime/environment.js";
import { createRegistry } from "../src/engine/registry.js";
import { planProbeRuns } from "../src/engine/plan.js";
import { defender365 } from "../src/probes/defender365/index.js";
import { crowdstrike } from "../src/probes/crowdstrike/index.js";
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

/** The probe measured, and its options against the simulated service. */
const probe: AnyProbe = session.probe === "crowdstrike" ? crowdstrike : defender365;
const rawOptions =
  session.probe === "crowdstrike"
    ? { pageSize: session.pageSize, siteId: "bench-site" }
    : { apiBaseUrl: session.origin, authorityHost: session.origin, pageSize: session.pageSize, siteId: "bench-site", expectedDevices: session.expectedDevices };
// The plan decodes the credential with the probe's own kinds, and the options with its codec, as an engine would.
const planned = planProbeRuns(
  {
    probes: { [probe.toggles.probe]: { enabled: true, options: rawOptions } },
    credentials: [{ ...session.credential, id: "bench", [probe.toggles.credential]: true }],
  },
  createRegistry([probe]),
  "connector",
);
const run = planned._tag === "Right" ? planned.right.runs[0] : undefined;
if (run === undefined) throw new Error("the simulated service's credential or the bench's options do not decode");

/** When each task-log event of interest was first/last seen (ms, performance clock). */
const marks: { signedIn?: number; lastPage?: number; pages: number } = { pages: 0 };
const env = createEnvironment({
  extraCaPem: session.caPem,
  rateLimits: BENCH_RATE_LIMITS,
  taskLog: (event: TaskLogEvent) => {
    if (event.code.endsWith("_SIGNED_IN")) marks.signedIn = performance.now();
    if (event.code.endsWith("_PAGE")) {
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
const outcome = await run.task({ assets, recordSink: records.sink }, env)();
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
