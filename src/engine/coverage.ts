/**
 * Reading a run's coverage: the summary keys it by the control the probe measured.
 */
import type { ControlCoverage, RunSummary } from "../contract.js";

/** No asset, no verdict: the coverage of a run that covered nothing. */
const NO_COVERAGE: ControlCoverage = Object.freeze({
  protected: 0,
  unhealthy: 0,
  missing: 0,
  unknown: 0,
  unknownFromInvalidDevices: 0,
  byAsset: Object.freeze(Object.create(null) as Record<string, never>),
});

/** The coverage of the control `summary`'s run measured (`summary.coverage[summary.control]`); all zero when it has none. */
export const runCoverage = (summary: Pick<RunSummary, "coverage" | "control">): ControlCoverage =>
  Object.hasOwn(summary.coverage, summary.control) ? (summary.coverage[summary.control] ?? NO_COVERAGE) : NO_COVERAGE;
