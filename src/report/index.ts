/**
 * The coverage report (for defender365: EDR coverage): a run's records and summary (and the
 * scanned assets) become one self-contained HTML page, titled and labelled by the run's probe. `buildReportModel` decides what the page says; `renderReport`
 * formats it. Both are pure; `scan-probe report` (src/cli/report.ts) reads and writes files.
 */
export { ReportRecordCodec, ReportSummaryCodec, CoverageStatusCodec, type ReportRecord, type ReportSummary } from "./codecs.js";
export {
  buildReportModel,
  labelsFor,
  STATUSES,
  type AssetRow,
  type LabelledProbe,
  type ReportLabels,
  type SourceState,
  type GroupRow,
  type ReportInput,
  type ReportModel,
  type ReportSources,
  type RunFacts,
  type Tally,
} from "./model.js";
export { renderReport } from "./render.js";
export { CombinedSummaryCodec, type CombinedSummary } from "./codecs.js";
export { buildCombinedModel, type CombinedInput, type CombinedReportModel, type CombinedRow, type RunSection, type VendorTally } from "./combined.js";
export { renderCombinedReport } from "./render-combined.js";
export { osFamily, type OsFamily } from "./os.js";
