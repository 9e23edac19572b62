/**
 * The view model of a scan task's report (`run --task`): the combined verdict of each asset
 * with the vendors that decided it, the combined counts, whether every run was complete,
 * and each run's own model (`buildReportModel` over that run's records). Pure, like
 * `model.ts`; `render-combined.ts` formats it.
 *
 * Records of several runs share one file: a record names its run (`runId`, in a task's
 * records) or at least its probe (`source`), and goes to that run's section.
 */
import type { CoverageStatus } from "../contract.js";
import type { ScannedAsset } from "../engine/assets.js";
import { wholeList } from "../engine/combine.js";
import type { CombinedCoverage, CombinedSummary, ReportRecord, ReportSummary } from "./codecs.js";
import { buildReportModel, type ReportLabels, type ReportModel, type ReportSources, type Tally } from "./model.js";

/** One asset of the combined view. */
export interface CombinedRow {
  /** The asset's id. */
  readonly id: string;
  /** Its combined verdict. */
  readonly status: CoverageStatus;
  /** What the page calls the probes that decided the verdict (protected or unhealthy); empty otherwise. */
  readonly vendors: readonly string[];
  /** The scan's names of the asset, else those of a record matched to it. */
  readonly names: readonly string[];
  /** The scan's addresses of the asset, else those of a record matched to it. */
  readonly addresses: readonly string[];
}

/** How many assets a vendor protects, or decides unhealthy, in the combined view. */
export interface VendorTally {
  /** What the page calls the vendor (its probe's short title). */
  readonly vendor: string;
  /** Assets it calls protected. */
  readonly protected: number;
  /** Assets it decided unhealthy (no vendor protects them). */
  readonly unhealthy: number;
  /** Of `protected`, the assets no other vendor protects. */
  readonly protectedOnlyHere: number;
}

/** One run's section: its label (probe and credential) and its own report model. */
export interface RunSection {
  /** `<probe title> · credential <id>`. */
  readonly label: string;
  /** The run's own report, from its summary and its records. */
  readonly model: ReportModel;
}

/** Everything the combined page shows. */
export interface CombinedReportModel {
  /** The control's title, e.g. `EDR`. */
  readonly control: string;
  readonly generatedAt: string;
  readonly sources: ReportSources;
  /** True only when every run was complete. */
  readonly complete: boolean;
  /** Combined verdicts over every asset. */
  readonly totals: Tally;
  /** Every asset: missing first, then unhealthy, unknown, protected; by id within each. */
  readonly rows: readonly CombinedRow[];
  /** Per vendor, in the order of the runs. */
  readonly vendors: readonly VendorTally[];
  readonly runs: readonly RunSection[];
  /** Inconsistencies in the files, in plain sentences. */
  readonly notes: readonly string[];
}

/** Input of {@link buildCombinedModel}. */
export interface CombinedInput {
  readonly records: readonly ReportRecord[];
  readonly summary: CombinedSummary;
  /** What the page calls each run's probe, source and control (see `labelsFor`). */
  readonly labelsOf: (run: ReportSummary) => ReportLabels;
  readonly assets?: readonly ScannedAsset[] | undefined;
  readonly generatedAt: string;
  readonly sources: ReportSources;
}

const ROW_ORDER: Readonly<Record<CoverageStatus, number>> = { missing: 0, unhealthy: 1, unknown: 2, protected: 3 };

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The control the combined view shows: the first run's, when the summary combines it; else the first it combines. */
const shownControl = (summary: CombinedSummary): string | undefined => {
  const first = summary.runs[0]?.control;
  return first !== undefined && Object.hasOwn(summary.coverage, first) ? first : Object.keys(summary.coverage)[0];
};

/**
 * The records of `run` among `records`: those naming its id when the records name runs (a
 * task's records; `byRun`, default: when any does), else those naming its probe, or none.
 */
export const recordsOf = (
  records: readonly ReportRecord[],
  run: Pick<ReportSummary, "probe" | "runId">,
  byRun: boolean = records.some((r) => r.runId !== undefined),
): ReportRecord[] =>
  byRun ? records.filter((r) => r.runId !== undefined && r.runId === run.runId) : records.filter((r) => r.source === undefined || r.source === run.probe);

/**
 * A verdict the runs cannot support is shown as unknown, with a note: `missing` while a run
 * measuring the control did not read its whole list (the summary was written by another tool,
 * or edited). Vendors no run is of are noted and left out.
 */
const checkedVerdicts = (summary: CombinedSummary, control: string, coverage: CombinedCoverage, notes: string[]): Map<string, CoverageStatus> => {
  const measuring = summary.runs.filter((run) => run.control === control);
  const whole = measuring.length > 0 && measuring.every(wholeList);
  const verdicts = new Map(Object.entries(coverage.byAsset));
  let demoted = 0;
  if (!whole)
    for (const [id, status] of verdicts)
      if (status === "missing") {
        verdicts.set(id, "unknown");
        demoted += 1;
      }
  if (demoted > 0) notes.push(`The summary calls ${demoted} asset(s) missing though not every run read its whole list; this report shows them as unknown.`);
  const complete = summary.runs.length > 0 && summary.runs.every((run) => run.complete);
  if (complete !== summary.complete) notes.push(`The summary says complete: ${summary.complete}, but its runs say ${complete}; this report goes by the runs.`);
  return verdicts;
};

/** Builds the combined page's model. Pure: the same input gives the same model. */
export const buildCombinedModel = (input: CombinedInput): CombinedReportModel => {
  const { summary, records } = input;
  const notes: string[] = [];
  const control = shownControl(summary);
  const coverage = control === undefined ? undefined : summary.coverage[control];
  const verdicts = control === undefined || coverage === undefined ? new Map<string, CoverageStatus>() : checkedVerdicts(summary, control, coverage, notes);
  const labels = summary.runs.map((run) => input.labelsOf(run));
  const titleOf = new Map<string, string>();
  for (const [i, run] of summary.runs.entries()) if (!titleOf.has(run.probe)) titleOf.set(run.probe, labels[i]?.source ?? run.probe);

  const scanned = new Map((input.assets ?? []).map((a) => [a.id, a] as const));
  const seen = new Map<string, ReportRecord>();
  for (const record of records) if (record.assetId !== null && !seen.has(record.assetId)) seen.set(record.assetId, record);

  const totals = { protected: 0, unhealthy: 0, missing: 0, unknown: 0, total: 0 };
  const tallies = new Map<string, { protected: number; unhealthy: number; protectedOnlyHere: number }>();
  for (const run of summary.runs) if (!tallies.has(run.probe)) tallies.set(run.probe, { protected: 0, unhealthy: 0, protectedOnlyHere: 0 });
  let strangers = 0;
  const rows: CombinedRow[] = [];
  for (const [id, status] of verdicts) {
    const named =
      status === "protected" || status === "unhealthy" ? (Object.hasOwn(coverage?.vendorsByAsset ?? {}, id) ? (coverage?.vendorsByAsset[id] ?? []) : []) : [];
    const known = named.filter((probe) => tallies.has(probe));
    strangers += named.length - known.length;
    for (const probe of known) {
      const tally = tallies.get(probe);
      if (tally === undefined) continue;
      if (status === "protected") {
        tally.protected += 1;
        if (known.length === 1) tally.protectedOnlyHere += 1;
      } else tally.unhealthy += 1;
    }
    totals[status] += 1;
    totals.total += 1;
    const asset = scanned.get(id);
    const record = seen.get(id);
    rows.push({
      id,
      status,
      vendors: known.map((probe) => titleOf.get(probe) ?? probe),
      names: asset?.names ?? record?.names ?? [],
      addresses: asset?.addresses ?? record?.addresses ?? [],
    });
  }
  if (strangers > 0) notes.push(`${strangers} vendor name(s) in coverage.vendorsByAsset are of no run in the summary; they are left out.`);
  rows.sort((a, b) => ROW_ORDER[a.status] - ROW_ORDER[b.status] || byCodePoint(a.id, b.id));

  const byRun = records.some((r) => r.runId !== undefined);
  const runs = summary.runs.map((run, i): RunSection => {
    const runLabels = labels[i] ?? input.labelsOf(run);
    return {
      label: run.credentialId === undefined || run.credentialId === null ? runLabels.probe : `${runLabels.probe} · credential ${run.credentialId}`,
      model: buildReportModel({
        records: recordsOf(records, run, byRun),
        summary: run,
        labels: runLabels,
        assets: input.assets,
        generatedAt: input.generatedAt,
        sources: input.sources,
      }),
    };
  });
  return {
    control: (control !== undefined ? labels.find((l, i) => summary.runs[i]?.control === control)?.control : undefined) ?? control ?? "",
    generatedAt: input.generatedAt,
    sources: input.sources,
    complete: summary.runs.length > 0 && summary.runs.every((run) => run.complete),
    totals,
    rows,
    vendors: [...tallies].map(([probe, t]) => ({ vendor: titleOf.get(probe) ?? probe, ...t })),
    runs,
    notes,
  };
};
