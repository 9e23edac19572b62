/**
 * One verdict per scanned asset for a control, from the runs of every probe that measures it
 * (Defender on Windows clients, another EDR on servers): an asset is `protected` if any run
 * says so, else `unhealthy` if any run says so, else `missing` only when every run was
 * complete and calls it missing, else `unknown`. "Missing EDR" is true only when no EDR of
 * any vendor protects the asset.
 */
import type { CoverageStatus, RunSummary } from "../contract.js";
import { runCoverage } from "./coverage.js";

/** The combined coverage of one control across runs. */
export interface CombinedCoverage {
  /** Assets some run calls protected. */
  readonly protected: number;
  /** Assets no run calls protected, some run unhealthy. */
  readonly unhealthy: number;
  /** Assets every run (each complete) calls missing. */
  readonly missing: number;
  /** The others: some run could not tell. */
  readonly unknown: number;
  /** Asset id → its combined verdict, for every asset any run gave a verdict. */
  readonly byAsset: Readonly<Record<string, CoverageStatus>>;
  /** Asset id → the probes whose verdict decided it (those calling it protected, or unhealthy), each once, in the order of the runs; empty for `missing` and `unknown`. */
  readonly vendorsByAsset: Readonly<Record<string, readonly string[]>>;
}

/** What {@link combineRuns} gives. */
export interface CombinedRuns {
  /** True only when every run was complete (there was at least one). */
  readonly complete: boolean;
  /** Each run's summary, as given. */
  readonly runs: readonly RunSummary[];
  /** The combined coverage, under the control's id. */
  readonly coverage: Readonly<Record<string, CombinedCoverage>>;
}

/** True when a run read its whole list (complete, and not incremental or filtered): only then does its `missing` count. */
export const wholeList = (run: { readonly complete: boolean; readonly incremental?: boolean | undefined }): boolean => run.complete && run.incremental !== true;

/** The combined verdict of one asset from each run's verdict (undefined: the run gave it none). */
const combinedVerdict = (verdicts: readonly (CoverageStatus | undefined)[], whole: readonly boolean[]): CoverageStatus => {
  if (verdicts.includes("protected")) return "protected";
  if (verdicts.includes("unhealthy")) return "unhealthy";
  return verdicts.length > 0 && verdicts.every((v, i) => v === "missing" && whole[i] === true) ? "missing" : "unknown";
};

/** The probes of the runs whose verdict is `verdict`, each once (two tenants of one vendor are one vendor), in the order of the runs. */
const deciders = (runs: readonly RunSummary[], verdicts: readonly (CoverageStatus | undefined)[], verdict: CoverageStatus): string[] => [
  ...new Set(runs.filter((_, i) => verdicts[i] === verdict).map((run) => run.probe)),
];

/**
 * Combines the summaries of the runs of one scan task for `control` (default: the control of
 * the first run). Runs of probes that measure another control are kept in `runs` and left out
 * of the verdicts.
 */
export const combineRuns = (runs: readonly RunSummary[], control: string = runs[0]?.control ?? "edr"): CombinedRuns => {
  const measuring = runs.filter((run) => run.control === control);
  const whole = measuring.map(wholeList);
  const tables = measuring.map((run) => runCoverage(run).byAsset);
  const byAsset = Object.create(null) as Record<string, CoverageStatus>;
  const vendorsByAsset = Object.create(null) as Record<string, readonly string[]>;
  const tally: Record<CoverageStatus, number> = { protected: 0, unhealthy: 0, missing: 0, unknown: 0 };
  const assetIds = new Set<string>();
  for (const table of tables) for (const id of Object.keys(table)) assetIds.add(id);
  for (const id of assetIds) {
    const verdicts = tables.map((table) => (Object.hasOwn(table, id) ? table[id] : undefined));
    const verdict = combinedVerdict(verdicts, whole);
    byAsset[id] = verdict;
    tally[verdict] += 1;
    vendorsByAsset[id] = verdict === "protected" || verdict === "unhealthy" ? deciders(measuring, verdicts, verdict) : [];
  }
  return {
    complete: runs.length > 0 && runs.every((run) => run.complete),
    runs,
    coverage: { [control]: { ...tally, byAsset, vendorsByAsset } },
  };
};
