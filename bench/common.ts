/**
 * What the bench's processes share: the session file the parent writes for the measured
 * children, the one JSON line each child prints on stdout, and small helpers.
 *
 * Processes: `main.ts` (the parent, alternates rounds and reports), `tenant-process.ts`
 * (the simulated tenant, alone in its process), `run-probe.ts` (run from its tsc output) and
 * `floor.mjs` (plain JavaScript): one measured side each, so that each peak RSS is that
 * side's alone. The meter is `meter.mjs`, plain JavaScript, shared by both sides.
 */
import { readFileSync } from "node:fs";
import type { Runtime } from "./meter.mjs";

export { meter, runtimeOf } from "./meter.mjs";
export type { Metered, Runtime } from "./meter.mjs";

/** Written by the parent for every measured child: where the tenant is and what to read. */
export interface Session {
  /** The probe measured: `defender365` (the simulated Microsoft tenant) or `crowdstrike` (the simulated Falcon cloud). */
  readonly probe: BenchProbe;
  /** Tenant origin; also the authority host and the API base URL (Falcon: the API base URL). */
  readonly origin: string;
  readonly tenantId: string;
  /** PEM of the tenant's CA (trusted as an extra CA, verification stays on). */
  readonly caPem: string;
  /** `{ kind: "azure-client-secret", tenantId, clientId, clientSecret }` from the tenant, or the Falcon cloud's `{ kind: "crowdstrike-api-client", … }`. */
  readonly credential: Record<string, string>;
  /** Devices per API call (`$top`). */
  readonly pageSize: number;
  /** The probe's `expectedDevices` option (`--scheduled`: the count of the previous, unmeasured sync), if given. */
  readonly expectedDevices?: number | undefined;
  /** Devices in the tenant. */
  readonly devices: number;
  /** JSON lines of scanned assets (probe side only reads it). */
  readonly assetsFile: string;
  /** Directory the probe writes its records to (emptied after each run). */
  readonly workDir: string;
}

/** The probes the bench measures. */
export const BENCH_PROBES = ["defender365", "crowdstrike"] as const;

/** One of {@link BENCH_PROBES}. */
export type BenchProbe = (typeof BENCH_PROBES)[number];

/** A phase of the probe run, from the task-log events it emits (null when an event is missing). */
export interface ProbePhases {
  /** Run start → `DEFENDER_SIGNED_IN` (or the probe's own `…_SIGNED_IN`). */
  readonly signInMs: number | null;
  /** Signed in → last `…_PAGE`: fetch, JSON.parse and decode of every page (overlapped). */
  readonly pagesMs: number | null;
  /** Last page → the run resolves: correlate, enrich, summary. */
  readonly afterPagesMs: number | null;
  /** Records streamed to a JSON-lines file. */
  readonly writeMs: number;
}

/** The one JSON line a measured child prints on stdout. */
export interface SideReport {
  readonly side: "probe" | "floor";
  /** False when the run failed (then `error` says why; timings are still reported). */
  readonly ok: boolean;
  readonly error?: string | undefined;
  /** Timed region, ms: sign-in through the last byte written (probe), token through the last page parsed (floor). */
  readonly wallMs: number;
  /** Devices read from the API. */
  readonly devices: number;
  readonly pages: number;
  /** API calls the client itself counted (the tenant's own count is added by the parent). */
  readonly clientRequests: number;
  /** `process.resourceUsage().maxRSS` at the end, KiB: the peak of the whole child. */
  readonly peakRssKb: number;
  /** The same just before the timed region (after loading assets), KiB. */
  readonly rssBeforeKb: number;
  /** CPU time of the child during the timed region, ms. */
  readonly cpuUserMs: number;
  readonly cpuSystemMs: number;
  /** Garbage-collection pauses during the timed region, ms. */
  readonly gcMs: number;
  /** Longest event-loop stall during the timed region, ms. */
  readonly maxEventLoopDelayMs: number;
  /** Probe only. */
  readonly phases?: ProbePhases | undefined;
  readonly records?: number | undefined;
  readonly recordBytes?: number | undefined;
  readonly assets?: number | undefined;
  readonly assetLoadMs?: number | undefined;
  /** Floor only: true (it replays the probe's calls). */
  readonly replayed?: boolean | undefined;
  /** How the child ran: node version, TypeScript loader or none, entry script (absent from older checkouts' probes). */
  readonly runtime?: Runtime | undefined;
  /** Path of the CPU profile of the timed region, when one was asked for. */
  readonly profile?: string | undefined;
}

/** Reads the session file named by `--session FILE`. */
export const readSession = (argv: readonly string[]): Session => {
  const at = argv.indexOf("--session");
  const file = at >= 0 ? argv[at + 1] : undefined;
  if (file === undefined) throw new Error("--session FILE is required");
  return JSON.parse(readFileSync(file, "utf8")) as Session;
};

/** The value after `flag` in `argv`, or undefined. */
export const flagValue = (argv: readonly string[], flag: string): string | undefined => {
  const at = argv.indexOf(flag);
  return at >= 0 ? argv[at + 1] : undefined;
};

/** Prints the report as the child's one stdout line. */
export const report = (r: SideReport): void => {
  process.stdout.write(`${JSON.stringify(r)}\n`);
};

/** Median of a non-empty list. */
export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
};

/** An error as one line, for a report. */
export const errorText = (error: unknown): string =>
  error instanceof Error
    ? `${error.name}: ${error.message}`
    : typeof error === "object" && error !== null && "code" in error
      ? `${String((error as { code: unknown }).code)}: ${String((error as { message?: unknown }).message ?? "")}`
      : String(error);
