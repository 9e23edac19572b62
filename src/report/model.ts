/**
 * The coverage report's view model, built by one pure function from a run's records, its
 * summary and (optionally) the scanned assets. Rendering (`render.ts`) only formats it.
 *
 * Sources: `summary.coverage.byAsset` is the verdict of every scanned asset; records say what
 * the probe's source (e.g. Defender) knows of the assets they matched (names, addresses, OS,
 * sensor health); the scanned assets say what the scan saw, which is all there is for an
 * asset the source does not know (most `missing` ones). What the page calls the source and
 * the control comes in as {@link ReportLabels}, looked up by the caller.
 */
import type { CoverageStatus, Probe } from "../contract.js";
import type { ScannedAsset } from "../engine/assets.js";
import { parseHostname, parseIp, parseMac } from "../correlate/index.js";
import type { ReportCoverage, ReportRecord, ReportSummary } from "./codecs.js";
import { osFamily } from "./os.js";
import { addressSortKey } from "./order.js";

/** The four verdicts, in the order the page shows them. */
export const STATUSES = ["protected", "unhealthy", "missing", "unknown"] as const satisfies readonly CoverageStatus[];

/** Assets per verdict, and their total. */
export type Tally = { readonly [S in CoverageStatus]: number } & { readonly total: number };

/** One row of a "coverage by …" table. */
export interface GroupRow {
  readonly label: string;
  readonly tally: Tally;
}

/** One asset in the missing or unhealthy list. */
export interface AssetRow {
  readonly id: string;
  readonly status: CoverageStatus;
  /** Scan's identifiers first (canonical where they parse), then the source's; no duplicates, no short name its FQDN already shows. */
  readonly names: readonly string[];
  readonly addresses: readonly string[];
  readonly macs: readonly string[];
  /** The source's OS when a record has one, else the scan's; null when neither. */
  readonly os: string | null;
  readonly osFamily: string;
  /** What the source knows of the asset. */
  readonly source: SourceState;
  /** Latest `lastSeen` of the asset's records (ISO 8601), null without records. */
  readonly lastSeen: string | null;
}

/**
 * What the source knows of a listed asset: nothing; only a device without the control
 * (`not-onboarded`; its `onboardingStatus` values, Defender's: it can often be onboarded as
 * is); or the control not healthy (its `healthStatus` values, Defender's).
 */
export type SourceState =
  | { readonly _tag: "NotInSource" }
  | { readonly _tag: "Discovered"; readonly onboarding: readonly string[] }
  | { readonly _tag: "Unhealthy"; readonly health: readonly string[] };

/** The run, as the summary tells it. */
export interface RunFacts {
  readonly probe: string;
  readonly mode: ReportSummary["mode"];
  readonly complete: boolean;
  /** An incremental sync: only devices seen since a cursor were read, so no asset is called missing. */
  readonly incremental: boolean;
  readonly counts: ReportSummary["counts"];
  readonly http: ReportSummary["http"];
  /** Unmatched reasons, most frequent first. */
  readonly unmatched: readonly (readonly [string, number])[];
  readonly errors: ReportSummary["errors"];
  /** Assets left unknown in a complete run because a device that failed decoding could be theirs. */
  readonly unknownFromInvalidDevices: number;
}

/**
 * What the page calls the run's probe, its source and its control: plain data, so that the
 * report stays pure. See {@link labelsFor}.
 */
export interface ReportLabels {
  /** The probe's title, e.g. `Microsoft 365 Defender (Defender for Endpoint)`. */
  readonly probe: string;
  /** The source in sentences and headings, e.g. `Defender` ("not in Defender"). */
  readonly source: string;
  /** The control's title, e.g. `EDR` ("EDR coverage", "missing EDR"). */
  readonly control: string;
}

/** The members of a probe {@link labelsFor} reads. */
export type LabelledProbe = Pick<Probe, "title" | "shortTitle" | "control">;

/**
 * The labels for a run's summary: from its probe when the caller knows it (the CLI looks the
 * summary's `probe` up in its registry), else the ids the summary carries. The control's
 * title is used only when the probe measures the control the summary names.
 */
export const labelsFor = (summary: Pick<ReportSummary, "probe" | "control">, probe: LabelledProbe | undefined): ReportLabels => ({
  probe: probe?.title ?? summary.probe,
  source: probe?.shortTitle ?? probe?.title ?? summary.probe,
  control: probe !== undefined && probe.control.id === summary.control ? probe.control.title : summary.control,
});

/** Everything the page shows. */
export interface ReportModel {
  /** What the page calls the probe, its source and its control. */
  readonly labels: ReportLabels;
  /** When the report was made (ISO 8601). */
  readonly generatedAt: string;
  /** File names the report was made from, for the page's footer. */
  readonly sources: ReportSources;
  readonly run: RunFacts;
  /** Verdicts over every scanned asset (counted from `byAsset`). */
  readonly totals: Tally;
  /** By OS family, most assets first. */
  readonly byOs: readonly GroupRow[];
  /** By site, most assets first. */
  readonly bySite: readonly GroupRow[];
  /** Where the site of an asset came from, in one sentence for the page. */
  readonly siteNote: string;
  /** Assets missing the control: servers first, then by address (see `order.ts`). */
  readonly missing: readonly AssetRow[];
  /** Assets whose sensor is onboarded but not `Active`, same order. */
  readonly unhealthy: readonly AssetRow[];
  /** False when no scanned-assets file was given: missing assets the source does not know show by id only. */
  readonly assetsSupplied: boolean;
  /** Records of source devices no scanned asset matched (proposed as new assets). */
  readonly newDevices: number;
  /** Inconsistencies between the files, in plain sentences (empty when they agree). */
  readonly notes: readonly string[];
}

/** Names of the input files, shown on the page. */
export interface ReportSources {
  readonly records: string;
  readonly summary: string;
  readonly assets: string | null;
}

/** Input of {@link buildReportModel}. */
export interface ReportInput {
  readonly records: readonly ReportRecord[];
  readonly summary: ReportSummary;
  /** What the page calls the probe, its source and its control (see {@link labelsFor}). */
  readonly labels: ReportLabels;
  /** The scan's assets; undefined when not supplied. */
  readonly assets?: readonly ScannedAsset[] | undefined;
  readonly generatedAt: string;
  readonly sources: ReportSources;
}

type MutableTally = { [S in CoverageStatus]: number } & { total: number };
const emptyTally = (): MutableTally => ({ protected: 0, unhealthy: 0, missing: 0, unknown: 0, total: 0 });

const addTo = (groups: Map<string, MutableTally>, label: string, status: CoverageStatus): void => {
  let tally = groups.get(label);
  if (tally === undefined) groups.set(label, (tally = emptyTally()));
  tally[status] += 1;
  tally.total += 1;
};

const rowsOf = (groups: Map<string, MutableTally>): GroupRow[] =>
  [...groups].map(([label, tally]) => ({ label, tally })).sort((a, b) => b.tally.total - a.tally.total || a.label.localeCompare(b.label));

const unique = (values: Iterable<string>): string[] => [...new Set([...values].map((v) => v.trim()).filter((v) => v.length > 0))];

/** Drops a short name when a listed FQDN starts with it (`srv-1` next to `srv-1.corp.example`). */
const withoutCoveredShortNames = (names: readonly string[]): string[] => {
  const shortOfFqdn = new Set(names.filter((n) => n.includes(".")).map((n) => n.slice(0, n.indexOf("."))));
  return names.filter((n) => n.includes(".") || !shortOfFqdn.has(n));
};

const canonicalName = (raw: string): string => {
  const host = parseHostname(raw);
  return host ? (host.fqdn ?? host.short) : raw;
};

/** The coverage of the control the run measured; none (every count 0) when the summary holds none for it. */
const coverageOf = (summary: ReportSummary): ReportCoverage =>
  (Object.hasOwn(summary.coverage, summary.control) ? summary.coverage[summary.control] : undefined) ?? {
    protected: 0,
    unhealthy: 0,
    missing: 0,
    unknown: 0,
    byAsset: {},
  };

const stringAttribute = (record: ReportRecord, key: string): string | null => {
  const value = record.attributes[key];
  return typeof value === "string" ? value : null;
};

const latest = (values: readonly (string | null)[]): string | null =>
  values.reduce<string | null>((best, v) => (v !== null && (best === null || v > best) ? v : best), null);

/** What the source says about a listed asset (see {@link SourceState}). */
const sourceState = (status: CoverageStatus, records: readonly ReportRecord[], control: string): SourceState => {
  if (records.length === 0) return { _tag: "NotInSource" };
  if (status === "unhealthy") {
    return {
      _tag: "Unhealthy",
      health: unique(records.filter((r) => r.controls[control] === "unhealthy").map((r) => stringAttribute(r, "healthStatus") ?? "Unknown")),
    };
  }
  return {
    _tag: "Discovered",
    onboarding: unique(records.filter((r) => r.controls[control] === "not-onboarded").map((r) => stringAttribute(r, "onboardingStatus") ?? "Unknown")),
  };
};

const assetRow = (
  id: string,
  status: CoverageStatus,
  records: readonly ReportRecord[],
  scanned: ScannedAsset | undefined,
  os: string | null,
  control: string,
): AssetRow => ({
  id,
  status,
  names: withoutCoveredShortNames(unique([...(scanned?.names ?? []).map(canonicalName), ...records.flatMap((r) => r.names)])),
  addresses: unique([...(scanned?.addresses ?? []).map((a) => parseIp(a) ?? a), ...records.flatMap((r) => r.addresses)]),
  macs: unique([...(scanned?.macs ?? []).map((m) => parseMac(m) ?? m), ...records.flatMap((r) => r.macs)]),
  os,
  osFamily: osFamily(os).label,
  source: sourceState(status, records, control),
  lastSeen: latest(records.map((r) => r.lastSeen)),
});

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Servers first (by OS family), then by first address, first name, id; each key computed once per row. */
const sortRows = (rows: AssetRow[]): AssetRow[] =>
  rows
    .map((row) => ({ row, rank: osFamily(row.os).rank, address: addressSortKey(row.addresses[0]), name: row.names[0] ?? "\uffff" }))
    .sort((a, b) => a.rank - b.rank || byCodePoint(a.address, b.address) || byCodePoint(a.name, b.name) || byCodePoint(a.row.id, b.row.id))
    .map((x) => x.row);

const NO_SITE = "(no site recorded)";

/**
 * The verdict of every asset in `byAsset`. A run that did not read every device (incomplete,
 * or an incremental sync) can call no asset missing; a summary that does anyway (written by
 * another tool, or edited) has those verdicts shown as unknown, with a note, so the page
 * never lists an asset as missing on a partial read.
 */
const verdictsOf = (summary: ReportSummary, notes: string[]): Map<string, CoverageStatus> => {
  const verdicts = new Map(Object.entries(coverageOf(summary).byAsset));
  if (summary.complete && summary.incremental !== true) return verdicts;
  let demoted = 0;
  for (const [id, status] of verdicts)
    if (status === "missing") {
      verdicts.set(id, "unknown");
      demoted += 1;
    }
  if (demoted > 0) {
    const run = summary.complete ? "an incremental sync" : "incomplete";
    notes.push(
      `The summary says the run was ${run} yet calls ${demoted} asset(s) missing; a partial read cannot tell that, so this report shows them as unknown.`,
    );
  }
  return verdicts;
};

/**
 * Builds the report's view model. Pure: the same input gives the same model.
 *
 * The site of an asset is the `siteId` of one of its records; matched records carry none
 * (the asset keeps its own site), so an asset counts under the run's site (`summary.siteId`;
 * for older summaries, the one site that records of new devices carry in probe mode).
 * Without either it shows as "(no site recorded)".
 */
export const buildReportModel = (input: ReportInput): ReportModel => {
  const { summary, records } = input;
  const notes: string[] = [];
  const verdicts = verdictsOf(summary, notes);

  const recordsByAsset = new Map<string, ReportRecord[]>();
  const sites = new Set<string>();
  let newDevices = 0;
  let stray = 0;
  for (const record of records) {
    if (record.siteId !== null) sites.add(record.siteId);
    if (record.assetId === null) {
      newDevices += 1;
    } else if (verdicts.has(record.assetId)) {
      const list = recordsByAsset.get(record.assetId);
      if (list) list.push(record);
      else recordsByAsset.set(record.assetId, [record]);
    } else {
      stray += 1;
    }
  }
  const runSite = summary.siteId ?? (summary.mode === "probe" && sites.size === 1 ? ([...sites][0] ?? null) : null);

  const scannedById = new Map((input.assets ?? []).map((a) => [a.id, a] as const));
  const totals = emptyTally();
  const byOs = new Map<string, MutableTally>();
  const bySite = new Map<string, MutableTally>();
  const missing: AssetRow[] = [];
  const unhealthy: AssetRow[] = [];

  for (const [id, status] of verdicts) {
    const all = recordsByAsset.get(id) ?? [];
    const live = all.filter((r) => r.match?.live !== false);
    const scanned = scannedById.get(id);
    const os = live.find((r) => r.os !== null)?.os ?? all.find((r) => r.os !== null)?.os ?? scanned?.os ?? null;
    const site = all.find((r) => r.siteId !== null)?.siteId ?? runSite ?? NO_SITE;
    totals[status] += 1;
    totals.total += 1;
    addTo(byOs, osFamily(os).label, status);
    addTo(bySite, site, status);
    if (status === "missing") missing.push(assetRow(id, status, all, scanned, os, summary.control));
    if (status === "unhealthy") unhealthy.push(assetRow(id, status, live.length > 0 ? live : all, scanned, os, summary.control));
  }

  const listed = emptyTally();
  for (const status of Object.values(coverageOf(summary).byAsset)) listed[status] += 1;
  for (const status of STATUSES) {
    if (coverageOf(summary)[status] !== listed[status]) {
      notes.push(`The summary counts ${coverageOf(summary)[status]} ${status} but lists ${listed[status]} in coverage.byAsset; this report counts the list.`);
    }
  }
  if (stray > 0)
    notes.push(`${stray} record(s) name an asset that is not in the summary's coverage.byAsset (records and summary from different runs?); they are left out.`);
  const notInSummary = (input.assets ?? []).filter((a) => !verdicts.has(a.id)).length;
  if (notInSummary > 0) notes.push(`${notInSummary} asset(s) in the assets file are not in the summary's coverage.byAsset; they are left out.`);

  const siteNote =
    runSite !== null
      ? `Probe mode: the scan's assets count under the scan's site (${runSite}), the site its new devices were given.`
      : "Records of matched devices carry no site (the asset keeps its own); only new devices carry the run's site.";

  return {
    labels: input.labels,
    generatedAt: input.generatedAt,
    sources: input.sources,
    run: {
      probe: summary.probe,
      mode: summary.mode,
      complete: summary.complete,
      incremental: summary.incremental === true,
      counts: summary.counts,
      http: summary.http,
      unmatched: Object.entries(summary.unmatched).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
      errors: summary.errors,
      unknownFromInvalidDevices: coverageOf(summary).unknownFromInvalidDevices ?? 0,
    },
    totals,
    byOs: rowsOf(byOs),
    bySite: rowsOf(bySite),
    siteNote,
    missing: sortRows(missing),
    unhealthy: sortRows(unhealthy),
    assetsSupplied: input.assets !== undefined,
    newDevices,
    notes,
  };
};
