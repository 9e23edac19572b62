/**
 * Run summaries for tests that need one without running a probe: nothing read, complete, and
 * the verdicts given, tallied under the control.
 */
import type { CoverageStatus, RunSummary } from "../../src/contract.js";

/** The summary of a run of `probe` whose verdicts are `byAsset` (under `over.control`, default `edr`); `over` replaces any field. */
export const summaryWith = (probe: string, byAsset: Readonly<Record<string, CoverageStatus>>, over: Partial<RunSummary> = {}): RunSummary => {
  const count = (status: CoverageStatus) => Object.values(byAsset).filter((v) => v === status).length;
  const control = over.control ?? "edr";
  return {
    probe,
    runId: `${probe}-run`,
    credentialId: null,
    mode: "probe",
    control,
    complete: true,
    incremental: false,
    cursor: null,
    siteId: null,
    counts: { fetched: 0, invalid: 0, inactiveSkipped: 0, unknownSkipped: 0, duplicates: 0, matched: 0, created: 0 },
    http: { requests: 0, retries: 0, throttled: 0 },
    coverage: {
      [control]: {
        protected: count("protected"),
        unhealthy: count("unhealthy"),
        missing: count("missing"),
        unknown: count("unknown"),
        unknownFromInvalidDevices: 0,
        byAsset,
      },
    },
    unmatched: {},
    errors: [],
    ...over,
  };
};
