/**
 * `scan-probes/sdk`: everything an author outside this package needs to write a probe, and
 * nothing of any one source. A probe is a source adapter ({@link SyncSource}: sign in and list
 * pages, decode an item, say what it is) that {@link syncProbe} turns into a {@link Probe};
 * the framework does the paging drive, decoding, correlation, records, coverage and the
 * summary. Options come from one table ({@link optionsTable}); items decode with
 * {@link decodeWith}; {@link checkProbe} is the contract check for the author's tests.
 * Nothing an author writes needs fp-ts: adapters are Promise-based, runs go through
 * {@link runProbe} or a planned run's `start`.
 */
export type {
  Probe,
  AnyProbe,
  CredentialKindSpec,
  ProbeInput,
  ProbeEnv,
  ProbeMode,
  ProbeResult,
  ProbeWarning,
  RunSummary,
  RunCounts,
  HttpCounts,
  EnrichmentRecord,
  RecordSink,
  RecordObjectSink,
  RecordLineSink,
  RecordBytesSink,
  MatchInfo,
  CoverageStatus,
  ControlState,
  ControlCoverage,
  ProbeControl,
  VerifyInput,
  VerifyStep,
  VerifyReport,
  ProbeLogEvent,
  Clock,
  Logger,
  TaskLogEvent,
  TaskLogLevel,
  TaskLogSink,
} from "../contract.js";
export { httpsUrl, type FieldIssue } from "../util/decode.js";
export type { ScannedAsset } from "../engine/assets.js";
export { syncProbe } from "../sync/probe.js";
export type {
  SyncSource,
  SourceSession,
  SourcePage,
  DeviceFacts,
  SyncRun,
  SyncSettings,
  ItemPlace,
  DecodedItem,
  InvalidItemIdentifiers,
} from "../sync/source.js";
export type { RunContext } from "../sync/run-context.js";
export { parsedItems, scannedItems, type PageItems, type SplitItems } from "../sync/page-items.js";
export { scanPage, withoutItems, type PageLayout, type PageScan } from "../sync/page-scan.js";
export { bearerClient, type BearerClient, type BearerClientSettings, type BearerToken, type RenewToken } from "../sync/bearer-client.js";
export type { RateBudget, RateBudgets } from "../runtime/http/rate-budget.js";
export type { TokenProvider, TokenProviderFactory, SignInRequest, AccessToken } from "../runtime/auth/token-provider.js";
export { attributesJson } from "../sync/attributes.js";
export { createCorrelator, parseMac, parseIp, type Correlator, type ParsedIdentifiers, type ParsedHostname } from "../correlate/index.js";
export { parseHostname } from "./identifiers.js";
export type {
  SourceDevice,
  AssetEvidence,
  CorrelationResult,
  CorrelationPositions,
  CorrelationSummary,
  DeviceMatch,
  MatchRule,
  UnmatchedReason,
} from "../correlate/types.js";
export {
  ERROR_CODES,
  ProbeRunError,
  inputError,
  errorCodeDoc,
  faultOf,
  type ErrorCodeDoc,
  type ErrorCodeTable,
  type FrameworkErrorCode,
  type ErrorCode,
  type Fault,
  type ProbeError,
  type InputError,
  type AuthError,
  type ApiError,
  type CancelledError,
  type OutputError,
} from "../engine/errors.js";
export { apiError, httpFailure, type HttpFailureContext } from "./errors.js";
export { optionsTable, type OptionsTable, type OptionsOf, type OptionSpec, type OptionSpecs, type OptionValue } from "./options-table.js";
export { booleanOption, siteIdOption, wholeNumberOption } from "./option-codecs.js";
export { decodeWith } from "./decode-item.js";
export { checkProbe, type CheckSettings, type ProbeProblem, type ProbeCheck } from "./check-probe.js";
export { runProbe } from "../engine/promise.js";
export { runCoverage } from "../engine/coverage.js";
