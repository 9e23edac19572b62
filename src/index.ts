/**
 * scan-probes: probes an asset-discovery scan engine imports. Start with
 * {@link defaultRegistry}, {@link planProbeRuns}, {@link createEnvironment} and
 * {@link runProbe} (or `probe.run` for fp-ts users).
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
} from "./contract.js";
export {
  ERROR_CODES,
  ProbeRunError,
  faultOf,
  errorCodeDoc,
  type ErrorCodeDoc,
  type ErrorCodeTable,
  type FrameworkErrorCode,
  type ProbeError,
  type InputError,
  type AuthError,
  type ApiError,
  type CancelledError,
  type OutputError,
  type ErrorCode,
  type Fault,
} from "./engine/errors.js";
export {
  CredentialCodec,
  CREDENTIAL_KINDS,
  CREDENTIAL_VARIABLES,
  credentialFromEnvironment,
  describeCredential,
  describeSource,
  type Credential,
  type CredentialKind,
  type AzureClientSecret,
  type AzureClientCertificate,
  type AzureWorkloadIdentity,
  type AzureManagedIdentity,
} from "./azure/credentials.js";
export { AZURE_CREDENTIAL_KINDS } from "./azure/credentials.js";
export { ENTRA_ERROR_CODES } from "./azure/error-codes.js";
export { credentialCodecOf } from "./engine/credential-kinds.js";
export type { FieldIssue } from "./util/decode.js";
export { ScannedAssetCodec, ScannedAssetsCodec, type ScannedAsset } from "./engine/assets.js";
export { createRegistry, defaultRegistry, type Registry } from "./engine/registry.js";
export {
  planProbeRuns,
  ScanTaskSettingsCodec,
  type ScanTaskSettings,
  type PlannedRun,
  type RunStart,
  type ProbePlan,
  type SkippedProbe,
} from "./engine/plan.js";
export { runProbe } from "./engine/promise.js";
export { runCoverage } from "./engine/coverage.js";
export { combineRuns, type CombinedCoverage, type CombinedRuns } from "./engine/combine.js";
export { createEnvironment, debugLogger, type EnvironmentSettings } from "./runtime/environment.js";
export { systemClock } from "./runtime/clock.js";
export { DEFAULT_HTTP_SETTINGS, type HttpSettings } from "./runtime/http/client.js";
export { proxyFromEnvironment, type ProxyResolver } from "./runtime/http/proxy.js";
export type { TokenProvider, TokenProviderFactory, SignInRequest, AccessToken } from "./runtime/auth/token-provider.js";
export type { TokenClaims } from "./runtime/auth/token-claims.js";
export type { RateBudget, RateBudgets, Window as RateWindow } from "./runtime/http/rate-budget.js";
export { defender365, type Defender365Options } from "./probes/defender365/index.js";
export { CLOUDS, AUTHORITY_HOSTS, type Cloud } from "./azure/clouds.js";
export { CLOUD_ENDPOINTS, type CloudEndpoints } from "./probes/defender365/clouds.js";
export { DEFENDER365_ERROR_CODES } from "./probes/defender365/error-codes.js";
export { resolveEndpoints, resolveRunOptions, type Defender365RunOptions, type RunEndpoints, type EndpointSource } from "./probes/defender365/endpoints.js";
export { DEFAULT_OPTIONS as DEFENDER365_DEFAULT_OPTIONS } from "./probes/defender365/options.js";
export { crowdstrike, type CrowdStrikeOptions, type FalconApiClient } from "./probes/crowdstrike/index.js";
export { crowdstrikeOptions } from "./probes/crowdstrike/options.js";
export { FALCON_API_CLIENT, FalconApiClientCodec, FALCON_CREDENTIAL_VARIABLES, falconCredentialFromEnvironment } from "./probes/crowdstrike/credential.js";
export { CROWDSTRIKE_ERROR_CODES } from "./probes/crowdstrike/error-codes.js";
export { FALCON_CLOUDS, CLOUD_HOSTS as FALCON_CLOUD_HOSTS, type FalconCloud } from "./probes/crowdstrike/clouds.js";
