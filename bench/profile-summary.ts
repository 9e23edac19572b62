/**
 * Summarises a V8 CPU profile (`.cpuprofile`) of a probe run: where the time went, by
 * pipeline stage and by function.
 *
 *   node --import tsx bench/profile-summary.ts FILE.cpuprofile
 *
 * Stage of a sample: the innermost frame of this package's own source decides
 * (`correlate/*` → correlate, `decode-machine.ts` → decode, …), so library code called from
 * a stage (io-ts, ipaddr.js, `JSON.stringify`) counts for that stage. A sample with no
 * frame of ours is got or Node's HTTP/TLS/stream machinery (→ network), garbage collection,
 * or idle (waiting on the server).
 */
import { existsSync, readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { fileURLToPath } from "node:url";

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
  readonly columnNumber: number;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}
/** The parts of a V8 CPU profile used here. */
export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

/** A row of the summary. */
export interface ProfileRow {
  readonly name: string;
  readonly ms: number;
  readonly share: number;
}

/** What {@link summarizeProfile} returns. */
export interface ProfileSummary {
  readonly totalMs: number;
  /** Inclusive of library calls made from the stage (see the module comment). */
  readonly byStage: readonly ProfileRow[];
  /** Self time by function (`name file:line`), top 25. */
  readonly topSelf: readonly ProfileRow[];
}

/** Pipeline stage of a source file of this package, by path; null for anything else. */
const stageOfSource = (url: string): string | null => {
  const at = url.indexOf("/src/");
  if (at < 0 || url.includes("/node_modules/")) return null;
  const path = url.slice(at + 5);
  if (path.startsWith("correlate/")) return "correlate (src/correlate)";
  if (/^probes\/[^/]+\/(pages|calls|listing)\b/.test(path)) return "page fetch, envelope parse (the probe's pages.ts, calls.ts, listing.ts)";
  if (path.startsWith("runtime/http/stream-body")) return "page body read and decoded (stream-body.ts)";
  if (path.startsWith("sync/page-scan")) return "page scan: items split (page-scan.ts)";
  if (path.startsWith("sync/page-items")) return "item JSON.parse (page-items.ts)";
  if (/^probes\/[^/]+\/(decode|machine|host)/.test(path) || path.startsWith("decode")) return "decode (io-ts, the probe's codecs)";
  if (/^probes\/[^/]+\/device\b/.test(path)) return "normalise (the probe's device.ts)";
  if (path.startsWith("sync/record-json") || path.startsWith("sync/attributes")) return "serialise records per page (record-json.ts, attributes.ts)";
  if (path.startsWith("sync/ingest")) return "page intake (ingest.ts: dedupe, filter)";
  if (path.startsWith("sync/enrich")) return "enrich: record heads, coverage (enrich.ts)";
  if (path.startsWith("sync/run")) return "run loop (run.ts: summary)";
  if (path.startsWith("records/")) return "record spool and batches (src/records)";
  if (path.startsWith("cli/output")) return "write records to the file (output.ts)";
  if (path.startsWith("runtime/http/") || path.startsWith("runtime/auth/")) return "HTTP hooks, sign-in (runtime/http, runtime/auth)";
  return `other src (${path})`;
};

/** Stage of a sample with no frame of ours, by its innermost frame. */
const stageOfRest = (frame: CallFrame): string => {
  if (frame.functionName === "(garbage collector)") return "garbage collector";
  if (frame.functionName === "(idle)") return "idle (waiting for the server)";
  if (frame.functionName === "(program)") return "V8/native, unattributed (program)";
  if (
    frame.url.includes("/node_modules/got/") ||
    frame.url.includes("/node_modules/@szmarczak/") ||
    frame.url.includes("/node_modules/cacheable-") ||
    frame.url.includes("/node_modules/http2-wrapper/")
  )
    return "network: got";
  if (frame.url.includes("/node_modules/@azure/")) return "HTTP hooks, sign-in (runtime/http, runtime/auth)";
  if (frame.url.startsWith("node:") || frame.url === "") return "network: Node http/tls/streams, timers";
  if (frame.url.includes("/bench/")) return "bench harness";
  return "other libraries";
};

const shortUrl = (url: string): string => {
  const at = Math.max(url.lastIndexOf("/src/"), url.lastIndexOf("/node_modules/"), url.lastIndexOf("/bench/"));
  return at >= 0 ? url.slice(at + 1) : url.replace(/^file:\/\//, "");
};

const maps = new Map<string, SourceMap | null>();
/** `file:line` of a frame, through the compiled file's `.map` when there is one (tsc output → the .ts line). */
const whereOf = (f: CallFrame): string => {
  if (f.url === "") return "";
  let map = maps.get(f.url);
  if (map === undefined) {
    map = null;
    if (f.url.startsWith("file://") && f.url.endsWith(".js")) {
      const file = `${fileURLToPath(f.url)}.map`;
      if (existsSync(file)) map = new SourceMap(JSON.parse(readFileSync(file, "utf8")) as ConstructorParameters<typeof SourceMap>[0]);
    }
    maps.set(f.url, map);
  }
  const entry = map?.findEntry(f.lineNumber, f.columnNumber);
  if (entry !== undefined && "originalSource" in entry) return `${shortUrl(entry.originalSource)}:${entry.originalLine + 1}`;
  return `${shortUrl(f.url)}:${f.lineNumber + 1}`;
};

/** Time by stage and by function. */
export const summarizeProfile = (profile: CpuProfile): ProfileSummary => {
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, deltas[i + 1] ?? 0));
  }
  const stageCache = new Map<number, string>();
  const stageOf = (id: number): string => {
    const cached = stageCache.get(id);
    if (cached !== undefined) return cached;
    let stage: string | null = null;
    for (let at: number | undefined = id; at !== undefined && stage === null; at = parent.get(at)) {
      const node = byId.get(at);
      if (node !== undefined) stage = stageOfSource(node.callFrame.url);
    }
    const own = byId.get(id);
    const result = stage ?? (own === undefined ? "unknown" : stageOfRest(own.callFrame));
    stageCache.set(id, result);
    return result;
  };
  const stages = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    total += us;
    const stage = stageOf(id);
    stages.set(stage, (stages.get(stage) ?? 0) + us);
    const f = byId.get(id)?.callFrame;
    const name = f === undefined ? "unknown" : `${f.functionName || "(anonymous)"} ${whereOf(f)}`.trim();
    functions.set(name, (functions.get(name) ?? 0) + us);
  }
  const rows = (m: Map<string, number>, limit: number): ProfileRow[] =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, us]) => ({ name, ms: us / 1000, share: total === 0 ? 0 : us / total }));
  return { totalMs: total / 1000, byStage: rows(stages, 50), topSelf: rows(functions, 25) };
};

/** The summary as text. */
export const formatProfile = (s: ProfileSummary): string => {
  const line = (r: ProfileRow) => `  ${r.ms.toFixed(0).padStart(7)} ms ${(100 * r.share).toFixed(1).padStart(5)}%  ${r.name}`;
  return [
    `CPU profile of the timed region: ${(s.totalMs / 1000).toFixed(2)} s sampled`,
    "By stage (library calls count for the stage that made them):",
    ...s.byStage.map(line),
    "Top functions by self time:",
    ...s.topSelf.map(line),
  ].join("\n");
};

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = process.argv[2];
  if (file === undefined) {
    process.stderr.write("usage: node --import tsx bench/profile-summary.ts FILE.cpuprofile\n");
    process.exit(2);
  }
  process.stdout.write(`${formatProfile(summarizeProfile(JSON.parse(readFileSync(file, "utf8")) as CpuProfile))}\n`);
}
