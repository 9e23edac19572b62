/**
 * What the report reads from a run's files, as io-ts codecs: the fields of a record
 * (README "Formats: Record") and of the summary ("Formats: Summary") that the page uses.
 * Other fields are allowed and ignored, so records from a newer probe still load.
 */
import * as t from "io-ts";

const nullableString = t.union([t.string, t.null]);
const strings = t.readonlyArray(t.string);

/** A coverage verdict, as `summary.coverage.byAsset` holds it. */
export const CoverageStatusCodec = t.keyof({ protected: null, unhealthy: null, missing: null, unknown: null }, "CoverageStatus");

/** The coverage of one control, as `summary.coverage[control]` holds it. */
const ControlCoverageCodec = t.intersection([
  t.type({
    protected: t.number,
    unhealthy: t.number,
    missing: t.number,
    unknown: t.number,
    byAsset: t.record(t.string, CoverageStatusCodec),
  }),
  /** Of `unknown`, the assets a device that failed decoding could be. */
  t.partial({ unknownFromInvalidDevices: t.number }),
]);

/** One enrichment record (one JSON line of `--records`), as far as the report reads it. */
export const ReportRecordCodec = t.intersection(
  [
    t.type({
      sourceId: t.string,
      assetId: nullableString,
      siteId: nullableString,
      match: t.union([t.type({ live: t.boolean }), t.null]),
      names: strings,
      addresses: strings,
      macs: strings,
      os: nullableString,
      lastSeen: nullableString,
      controls: t.record(t.string, t.keyof({ protected: null, unhealthy: null, "not-onboarded": null }, "ControlState")),
      attributes: t.UnknownRecord,
    }),
    /** The probe that wrote it, and (in the records of a scan task, `run --task`) the run: how records of several runs in one file are told apart. */
    t.partial({ source: t.string, runId: t.string }),
  ],
  "EnrichmentRecord",
);

/** A record as the report reads it. */
export type ReportRecord = t.TypeOf<typeof ReportRecordCodec>;

const count = t.number;

/** The run summary (`--summary`), as far as the report reads it. */
export const ReportSummaryCodec = t.intersection(
  [
    t.type({
      probe: t.string,
      mode: t.keyof({ probe: null, connector: null }, "ProbeMode"),
      complete: t.boolean,
      counts: t.type({
        fetched: count,
        invalid: count,
        inactiveSkipped: count,
        unknownSkipped: count,
        duplicates: count,
        matched: count,
        created: count,
      }),
      http: t.type({ requests: count, retries: count, throttled: count }),
      control: t.string,
      coverage: t.record(t.string, ControlCoverageCodec),
      unmatched: t.record(t.string, count),
      errors: t.readonlyArray(t.type({ code: t.string, message: t.string })),
    }),
    /** An incremental sync (devices seen since a cursor) gives no `missing` verdicts either; absent in older summaries. */
    t.partial({ incremental: t.boolean, siteId: t.union([t.string, t.null]), runId: t.string, credentialId: t.union([t.string, t.null]) }),
  ],
  "RunSummary",
);

/** A run summary as the report reads it. */
export type ReportSummary = t.TypeOf<typeof ReportSummaryCodec>;

/** The combined coverage of one control across a task's runs (`combineRuns`), as the report reads it. */
const CombinedCoverageCodec = t.type({
  protected: count,
  unhealthy: count,
  missing: count,
  unknown: count,
  byAsset: t.record(t.string, CoverageStatusCodec),
  vendorsByAsset: t.record(t.string, strings),
});

/** A scan task's combined summary (`run --task --summary`): every run's summary and the combined coverage. */
export const CombinedSummaryCodec = t.type(
  { complete: t.boolean, runs: t.readonlyArray(ReportSummaryCodec), coverage: t.record(t.string, CombinedCoverageCodec) },
  "CombinedSummary",
);

/** A combined summary as the report reads it. */
export type CombinedSummary = t.TypeOf<typeof CombinedSummaryCodec>;

/** A control's combined coverage as the report reads it. */
export type CombinedCoverage = t.TypeOf<typeof CombinedCoverageCodec>;

/** A control's coverage as the report reads it. */
export type ReportCoverage = t.TypeOf<typeof ControlCoverageCodec>;

/** The attributes the report reads (sensor health and onboarding state). */
const KEPT_ATTRIBUTES = ["healthStatus", "onboardingStatus"] as const;

/**
 * A decoded record without the attributes the report does not read. Called on every line as
 * it is read, so that a large tenant's records (every Defender field, ~1.5 KB a device) do
 * not all stay in memory.
 */
export const slimRecord = (record: ReportRecord): ReportRecord => {
  const attributes: Record<string, unknown> = {};
  for (const key of KEPT_ATTRIBUTES) if (Object.hasOwn(record.attributes, key)) attributes[key] = record.attributes[key];
  return {
    ...(record.source === undefined ? {} : { source: record.source }),
    ...(record.runId === undefined ? {} : { runId: record.runId }),
    sourceId: record.sourceId,
    assetId: record.assetId,
    siteId: record.siteId,
    match: record.match === null ? null : { live: record.match.live },
    names: record.names,
    addresses: record.addresses,
    macs: record.macs,
    os: record.os,
    lastSeen: record.lastSeen,
    controls: record.controls,
    attributes,
  };
};
