/**
 * The Probe contract: what a scan engine hands a probe, what a probe may use, and what it
 * gives back. Everything a probe author or an engine author needs to know lives here.
 *
 * Flow: the engine decodes credentials and options with the probe's codecs (see
 * `engine/plan.ts`), builds one {@link ProbeEnv} (see `environment.ts`), and calls
 * {@link Probe.run}. The probe trusts its input: it never sees raw JSON.
 */
import type * as t from "io-ts";
import type { TaskEither } from "fp-ts/lib/TaskEither.js";
import type { Got } from "got";

/**
 * A scanned asset as the engine hands it to a probe: its id and the identifiers the scan saw,
 * in any spelling (correlation parses them). `site` names the network the scanner found it in
 * (any label, the same for every asset found there); without it, an asset's subnet stands for
 * its site.
 */
export interface ScannedAsset {
  /** The engine's id of the asset. */
  readonly id: string;
  /** IP addresses. */
  readonly addresses?: readonly string[];
  /** MAC addresses. */
  readonly macs?: readonly string[];
  /** Host names. */
  readonly names?: readonly string[];
  /** Operating system, when the scan told it. */
  readonly os?: string | null;
  /** The network the scanner found it in. */
  readonly site?: string;
}

/** Failures. */
/** Who can fix an error: the person configuring the probe, or the provider (retry later). */
export type Fault = "user" | "provider";

/** What an error code means and whose it is to fix: one row of `ERROR_CODES` or of a probe's `errorCodes`. */
export interface ErrorCodeDoc {
  /** Who can fix it. */
  readonly fault: Fault;
  /** What happened, in a sentence. */
  readonly means: string;
}

/** Error codes with their documentation, by code. */
export type ErrorCodeTable = Readonly<Record<string, ErrorCodeDoc>>;

/** A stable error code: one of `ERROR_CODES`, or one a probe documents in its `errorCodes`. */
export type ErrorCode = string;

interface ErrorBase {
  /** Stable code, documented in `ERROR_CODES` or in the probe's `errorCodes`. */
  readonly code: ErrorCode;
  /** One sentence a user reads: what went wrong. */
  readonly message: string;
  /** What to do about it. */
  readonly hint: string;
  /** What the run fetched before it failed; its summary says `complete: false`. */
  readonly partial?: ProbeResult | undefined;
}

/** Bad input, found before any network call. `field` names the offending field. */
export interface InputError extends ErrorBase {
  /** Discriminant of {@link ProbeError}. */
  readonly _tag: "InputError";
  /** Always `ERR_INPUT`. */
  readonly code: "ERR_INPUT";
  /** Each problem: the field path and the fix. */
  readonly issues: readonly {
    /** Path of the field, e.g. `credentials[1].clientId` or `probes.<toggle>.options.pageSize`. */
    readonly field: string;
    /** What is wrong with it and what is expected. */
    readonly problem: string;
  }[];
}

/** Sign-in failed: at the sign-in service, or before it (what the credential names could not be read). */
export interface AuthError extends ErrorBase {
  /** Discriminant of {@link ProbeError}. */
  readonly _tag: "AuthError";
  /** The sign-in service's numeric error code, when it gave one (named after the first service that did). */
  readonly aadsts?: number | undefined;
}

/** The source's API failed. */
export interface ApiError extends ErrorBase {
  /** Discriminant of {@link ProbeError}. */
  readonly _tag: "ApiError";
  /** HTTP status, when there was an answer. */
  readonly status?: number | undefined;
  /** The request id to quote to the source's support, when its answer carried one. */
  readonly requestId?: string | undefined;
}

/** The run was cancelled through its AbortSignal. */
export interface CancelledError extends ErrorBase {
  /** Discriminant of {@link ProbeError}. */
  readonly _tag: "CancelledError";
  /** Always `ERR_CANCELLED`. */
  readonly code: "ERR_CANCELLED";
}

/** Records could not be delivered: the engine's sink failed, or the temporary spool did. */
export interface OutputError extends ErrorBase {
  /** Discriminant of {@link ProbeError}. */
  readonly _tag: "OutputError";
  /** `ERR_RECORD_SINK` or `ERR_SPOOL`. */
  readonly code: "ERR_RECORD_SINK" | "ERR_SPOOL";
}

/** Any way a run can fail. */
export type ProbeError = InputError | AuthError | ApiError | CancelledError | OutputError;

/** Sign-in (Microsoft Entra ID, for the probes that use it). */
/** Claims the probe reports: what the token grants and for whom it was issued. */
export interface TokenClaims {
  /** Application permissions granted with admin consent (`roles`); empty when none. */
  readonly roles: readonly string[];
  /** The resource the token was issued for. */
  readonly audience: string | null;
  /** The tenant that issued it. */
  readonly tenantId: string | null;
  /** The app it was issued to. */
  readonly appId: string | null;
}

/** What to sign in with and for. */
export interface SignInRequest {
  /** The credential to sign in with: one the sign-in knows (an Azure kind); any other is refused at the first token asked for. */
  readonly credential: unknown;
  /** `https://login.microsoftonline.com` or another authority host. */
  readonly authorityHost: string;
  /** `<resource>/.default`. */
  readonly scope: string;
}

/** An access token and what it grants. `token` must never be logged or shown. */
export interface AccessToken {
  readonly token: string;
  readonly expiresOn: Date | null;
  readonly claims: TokenClaims;
}

/** Tokens for one credential and scope, cached for the run. */
export interface TokenProvider {
  /** A token from the cache, or a new one; `forceRefresh` skips the cache (after a 401). */
  getToken(options?: { readonly forceRefresh?: boolean }): TaskEither<AuthError, AccessToken>;
  /** Calls made to the authority so far (metadata and token requests). */
  readonly authorityRequests: () => number;
  /** Strings that must never appear in output: the secret, the key and every token issued. */
  readonly secrets: () => readonly string[];
}

/** Makes a {@link TokenProvider} for one run. Environments supply one; tests may supply their own. */
export type TokenProviderFactory = (request: SignInRequest) => TokenProvider;

/** Request budgets. */
/** A sliding-window limit. */
export interface Window {
  /** Calls allowed in the window. */
  readonly calls: number;
  /** Window length in ms. */
  readonly ms: number;
}

/** One (tenant, app) budget. */
export interface RateBudget {
  /** Waits until a call fits every window, then records it. Rejects if the signal aborts. */
  take(signal?: AbortSignal): Promise<void>;
  /** How long the next call would wait now, in ms (0 when it can go). */
  waitMs(): number;
}

/** Request budgets, one per account at a service, shared by every run in the process. */
export interface RateBudgets {
  /**
   * The budget of `account` at `service` (e.g. a tenant and an app id; created on first use),
   * paced by `limits`, the source's documented limits (none: no pacing), unless the
   * environment paces every budget by limits of its own (`createEnvironment({ rateLimits })`).
   */
  for(service: string, account: string, limits?: readonly Window[]): RateBudget;
}

/** One decoding problem: where and what is expected there. */
export interface FieldIssue {
  readonly field: string;
  readonly problem: string;
}

/** Where a run happens. `probe`: inside a scan, enriching what it found; `connector`: a scheduled sync. */
export type ProbeMode = "probe" | "connector";

/** What one run receives, already decoded and with option defaults merged in. `Cred` is the probe's credential type. */
export interface ProbeInput<Options, Cred = unknown> {
  /** `probe` (inside a scan) or `connector` (scheduled sync only). */
  readonly mode: ProbeMode;
  /**
   * A credential of a kind listed in {@link Probe.credentialKinds}, decoded with that kind's
   * codec; `undefined` for a probe that declares no kinds (it needs none).
   */
  readonly credential: Cred;
  /** Options decoded with {@link Probe.options}, defaults applied. */
  readonly options: Options;
  /** The assets the scan found (probe mode) or the engine already knows (connector mode); may be empty. */
  readonly assets: readonly ScannedAsset[];
  /** The scan's site in probe mode: new assets go there. When absent, the `siteId` option is used. */
  readonly scanSiteId?: string | undefined;
  /** The run's id, carried by its summary and every task-log event; made up (a UUID) when absent. */
  readonly runId?: string | undefined;
  /** The id of the credential (the scan task's `credentials[].id`), for the task log; null or absent when it has none. */
  readonly credentialId?: string | null | undefined;
  /** Cancels the run; a cancelled run ends with code `ERR_CANCELLED` and keeps what it fetched. */
  readonly signal?: AbortSignal | undefined;
  /**
   * Where the records go, in batches, as they are written after correlation. Give one for a
   * large tenant: without it every record is held in memory in {@link ProbeResult.records}
   * (about 3 KiB each). With it, `records` stays empty.
   */
  readonly recordSink?: RecordSink | undefined;
}

/**
 * Receives a run's records in order, a batch at a time; the run waits for each `write` to
 * settle (back-pressure), and a rejected `write` ends the run with `ERR_RECORD_SINK`.
 * `objects`: record objects. `json-lines`: the same records already serialised, one JSON
 * object per line, each line ending in `\n` (what a file or a queue wants, without a
 * parse and a stringify per record). `json-lines-utf8`: the same lines as UTF-8 bytes, the
 * cheapest for a file or a socket (the run holds its records as bytes: no decode and no
 * encode in between).
 */
export type RecordSink = RecordObjectSink | RecordLineSink | RecordBytesSink;

/** A {@link RecordSink} that receives record objects. */
export interface RecordObjectSink {
  /** Discriminant: record objects. */
  readonly format: "objects";
  /** Receives the next batch (up to 1,000 records, in order); the run waits for the returned promise. */
  write(batch: readonly EnrichmentRecord[]): void | Promise<void>;
}

/** A {@link RecordSink} that receives records already serialised as JSON lines. */
export interface RecordLineSink {
  /** Discriminant: JSON lines. */
  readonly format: "json-lines";
  /** Receives the next batch (up to 1,000 records, in order): one JSON object per line, each line ending in `\n`. The run waits for the returned promise. */
  write(lines: string): void | Promise<void>;
}

/** A {@link RecordSink} that receives records serialised as JSON lines, in UTF-8 bytes. */
export interface RecordBytesSink {
  /** Discriminant: JSON lines as UTF-8 bytes. */
  readonly format: "json-lines-utf8";
  /**
   * Receives the next batch (up to 1,000 records, in order): one JSON object per line, each
   * line ending in `\n`, UTF-8. The bytes are the sink's to keep. The run waits for the
   * returned promise.
   */
  write(bytes: Uint8Array): void | Promise<void>;
}

/** A clock, so that tests can compress time. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason when it aborts. Leaves no timer behind. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** A `debug`-compatible logger: one function per namespace (`scan-probes:defender365:http`). */
export type Logger = (namespace: string) => (formatter: string, ...args: unknown[]) => void;

/** Severity of a task-log event. */
export type TaskLogLevel = "info" | "warning" | "error";

/** An event as a probe emits it: short, plain, never a secret. The run stamps it into a {@link TaskLogEvent}. */
export interface ProbeLogEvent {
  /** `info` for progress, `warning` for a finding that did not stop the run, `error` for the failure that ended it. */
  readonly level: TaskLogLevel;
  /** Stable code (`ERR_…` for errors, `DEFENDER_…` for progress and warnings). */
  readonly code: string;
  /** One sentence for the person reading the task log. */
  readonly message: string;
  /** What to do about it, when there is something to do. */
  readonly hint?: string | undefined;
  /** Numbers for a progress display (`pages`, `devices`), on progress events. */
  readonly data?: Readonly<Record<string, number>> | undefined;
}

/**
 * An event the engine shows in the scan task's log: a {@link ProbeLogEvent} stamped with the
 * run it came from, so that runs sharing one sink can be told apart.
 */
export interface TaskLogEvent extends ProbeLogEvent {
  /** The probe id, e.g. `defender365`. */
  readonly probe: string;
  /** The id of the credential the run uses (the scan task's `credentials[].id`), or null when it was given none. */
  readonly credentialId: string | null;
  /** The run's id ({@link ProbeInput.runId}, or one made up when the run was given none). */
  readonly runId: string;
}

/** Receives task-log events as they happen. */
export type TaskLogSink = (event: TaskLogEvent) => void;

/**
 * Every effect a probe may use. The engine builds one per process (see `createEnvironment`);
 * tests build it inline.
 */
export interface ProbeEnv {
  /** The one HTTP stack: CA trust, proxy, timeouts and the retry policy are configured here. */
  readonly http: Got;
  /** Signs in with a credential; one token cache per credential per run. */
  readonly tokens: TokenProviderFactory;
  /** Per (tenant, app) request budgets, shared by every run in this process. */
  readonly budgets: RateBudgets;
  /** Time, for pacing and back-off. */
  readonly clock: Clock;
  /** Developer logs (`DEBUG=scan-probes:*`). */
  readonly log: Logger;
  /** The scan task's log, for the people running the scan. A probe's events are stamped with its run (see {@link TaskLogEvent}). */
  readonly taskLog: TaskLogSink;
}

/**
 * The verdict on one scanned asset for a control (e.g. EDR). `missing`: no device of a
 * complete run gives it the control; `unknown`: the run could not tell (it was incomplete, or
 * a device it could not read could be the asset's).
 */
export type CoverageStatus = "protected" | "unhealthy" | "missing" | "unknown";

/**
 * A source device's state for the control its probe measures: `protected` (the control is in
 * place and healthy), `unhealthy` (in place, not healthy), `not-onboarded` (the source knows
 * the device but the control is not on it, e.g. a device Defender only discovered).
 */
export type ControlState = "protected" | "unhealthy" | "not-onboarded";

/** The control a probe measures, e.g. `{ id: "edr", title: "EDR" }`: the key of records' `controls` and of the summary's `coverage`. */
export interface ProbeControl {
  /** Stable id, lowercase: `edr`. Probes measuring the same control share the id, so that an engine can combine their verdicts. */
  readonly id: string;
  /** What a person reads, e.g. `EDR` (in "EDR coverage"). */
  readonly title: string;
}

/** How a record was tied to a scanned asset. */
export interface MatchInfo {
  /** The rule that matched (`mac`, `name+ip`, `name`, `ip`). */
  readonly rule: string;
  /** The canonical keys both sides shared, e.g. `["mac:00:0c:29:92:a6:4d"]`. */
  readonly keys: readonly string[];
  /** False when a newer record of the same device matched the same asset. */
  readonly live: boolean;
}

/** One enrichment record: a source device, merged into a scanned asset or proposed as a new one. */
export interface EnrichmentRecord {
  /** The probe id, e.g. `defender365`. */
  readonly source: string;
  /** The device's id in the source (Defender machine id). */
  readonly sourceId: string;
  /** The scanned asset this record enriches, or null for a new asset. */
  readonly assetId: string | null;
  /** Where a new asset goes (the run's site); null on a matched record (the asset keeps its own site) or when no site is set. */
  readonly siteId: string | null;
  /** Why it matched, or null for a new asset. */
  readonly match: MatchInfo | null;
  /** Host names, lowercased. */
  readonly names: readonly string[];
  /** Canonical IP addresses that identify the device (noise removed). */
  readonly addresses: readonly string[];
  /** Canonical MAC addresses (`aa:bb:cc:dd:ee:ff`). */
  readonly macs: readonly string[];
  /** Operating system, e.g. `Windows11 23H2`. */
  readonly os: string | null;
  /** First seen by the source (ISO 8601). */
  readonly firstSeen: string | null;
  /** Last seen by the source (ISO 8601). */
  readonly lastSeen: string | null;
  /** The device's state for the control its probe measures, under the control's id: `{ "edr": "protected" }`. */
  readonly controls: Readonly<Record<string, ControlState>>;
  /** Every source field under its API name; nested objects dotted (`vmMetadata.vmId`). */
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** Counters of one run. */
export interface RunCounts {
  /** Device records received (before de-duplication). */
  fetched: number;
  /** Device records that failed decoding and were skipped. */
  invalid: number;
  /** Inactive devices left out (option `includeInactive` off; what "inactive" means is the probe's). */
  inactiveSkipped: number;
  /** Unmatched devices left out (option `excludeUnknown` on). */
  unknownSkipped: number;
  /** Records seen twice (same id on two pages) and dropped. */
  duplicates: number;
  /** Records matched to a scanned asset. */
  matched: number;
  /** Records proposed as new assets. */
  created: number;
}

/** HTTP counters of one run. */
export interface HttpCounts {
  /** Requests sent, retries included. */
  requests: number;
  /** Retries (429, 5xx, network errors, one 401 refresh). */
  retries: number;
  /** 429 answers received. */
  throttled: number;
}

/** How many scanned assets have each verdict for one control, and the verdict of each. */
export interface ControlCoverage {
  /** Assets matched to a device whose control is in place and healthy. */
  readonly protected: number;
  /** Assets whose best match has the control, not healthy. */
  readonly unhealthy: number;
  /** Assets with no match that has the control, in a complete run. */
  readonly missing: number;
  /**
   * Assets without a healthy match in an incomplete run, or in a complete one that a device
   * which failed decoding could be (see `unknownFromInvalidDevices`): no verdict.
   */
  readonly unknown: number;
  /**
   * Of `unknown`, the assets of a complete run that are unknown only because a device that
   * failed decoding (`counts.invalid`) could be theirs: it shares a host name, IP or MAC
   * with them, or has none readable and so could be any asset's. 0 in an incomplete run.
   */
  readonly unknownFromInvalidDevices: number;
  /** Asset id → its verdict, for every scanned asset. */
  readonly byAsset: Readonly<Record<string, CoverageStatus>>;
}

/** The machine-readable account of one run. */
export interface RunSummary {
  /** The probe id, e.g. `defender365`. */
  readonly probe: string;
  /** The run's id ({@link ProbeInput.runId}, or one made up): the same as its task-log events carry. */
  readonly runId: string;
  /** The id of the credential the run used, or null when it was given none. */
  readonly credentialId: string | null;
  /** The mode the run was in. */
  readonly mode: ProbeMode;
  /** The control the run measured (its key in `coverage`), e.g. `edr`. */
  readonly control: string;
  /** True only when every page was read. A partial run has no `missing` verdicts. */
  readonly complete: boolean;
  /**
   * True when the run read only devices seen since a cursor (an incremental connector
   * sync): like a partial run, it gives no `missing` verdicts.
   */
  readonly incremental: boolean;
  /** The newest `lastSeen` read: pass it as the next incremental sync's starting point. Null when nothing was read. */
  readonly cursor: string | null;
  /** The run's site: the scan's in probe mode, the `siteId` option's in connector mode (null when none). */
  readonly siteId: string | null;
  /** What was fetched, skipped, matched and created. */
  readonly counts: RunCounts;
  /** Requests, retries and throttling. */
  readonly http: HttpCounts;
  /** Coverage of the scanned assets for the control the probe measures, under the control's id: `{ "edr": { … } }`. */
  readonly coverage: Readonly<Record<string, ControlCoverage>>;
  /** Why a candidate stayed unmatched, by reason. */
  readonly unmatched: Readonly<Record<string, number>>;
  /** Why the run is incomplete (empty when `complete`): each error's stable code and message. */
  readonly errors: readonly { readonly code: string; readonly message: string }[];
}

/** A non-fatal finding: one undecodable device, a drifting count. */
export interface ProbeWarning {
  /** Stable code, e.g. `DEFENDER_INVALID_DEVICE`. */
  readonly code: string;
  /** One sentence: what was found and what happened to it. */
  readonly message: string;
  /** Where in the source data, e.g. `page 3 › value[17].healthStatus`. */
  readonly path?: string | undefined;
}

/** What a run produced. Complete when on the Right of {@link Probe.run}; partial inside a failure. */
export interface ProbeResult {
  /** One record per source device kept, matched or new; empty when the run was given a {@link ProbeInput.recordSink} (they went there). */
  readonly records: readonly EnrichmentRecord[];
  /** Counts, coverage and errors of the run. */
  readonly summary: RunSummary;
  /** Non-fatal findings (undecodable devices, drifting counts); the first ones in full. */
  readonly warnings: readonly ProbeWarning[];
}

/**
 * A credential kind a probe accepts: the value of a credential's `kind` field, and the codec
 * that decodes a credential of that kind (it refuses other kinds and never echoes a value in
 * an error). Probes that sign in the same way share the spec value itself: a registry
 * refuses two different codecs under one kind.
 */
export interface CredentialKindSpec<Cred = unknown> {
  /** The `kind` field's value, lowercase with dashes, prefixed by the source: `acme-api-key`. */
  readonly kind: string;
  /** What a person reads in `scan-probe list`, e.g. `API key`. */
  readonly title: string;
  /** Decodes a credential of this kind (the `kind` field included). */
  readonly codec: t.Decoder<unknown, Cred>;
  /**
   * Builds a credential from environment variables (`--credential env:` in the CLI), e.g.
   * `FALCON_CLIENT_ID` and `FALCON_CLIENT_SECRET`; failures name the variables, never a value.
   * Kinds that share one reader give the same function. Absent: the kind is only read from JSON.
   */
  readonly fromEnvironment?: ((env: Readonly<Record<string, string | undefined>>) => t.Validation<Cred>) | undefined;
}

/**
 * A probe: a value, not a class. Register it in `registry.ts`; the contract test suite
 * checks every registered probe. `Cred` is the type of the credentials its kinds decode to
 * (`undefined` for a probe that takes none).
 */
export interface Probe<Options = unknown, Cred = unknown> {
  /** Stable id, lowercase, used in settings, records and the CLI (`defender365`). */
  readonly id: string;
  /** Name a person reads. */
  readonly title: string;
  /**
   * The source's name where a sentence or a column heading names it many times, e.g.
   * `Defender` ("not in Defender", "Defender devices" in the coverage report). Absent: the title.
   */
  readonly shortTitle?: string;
  /**
   * Names of the switches in a scan task's settings: `probe` turns the probe on for the task
   * (`Defender365`), `credential` marks a credential as usable by it (`MS365Defender`).
   */
  readonly toggles: {
    /** Key under the settings' `probes` that turns the probe on, e.g. `Defender365`. */
    readonly probe: string;
    /** Boolean field of a credential that lets this probe use it, e.g. `MS365Defender`. */
    readonly credential: string;
  };
  /**
   * Credential kinds this probe accepts, each with its codec; the engine refuses others and
   * decodes with the codec of the credential's kind. Empty: the probe needs no credential,
   * runs once when its toggle is on, and gets `credential: undefined`.
   */
  readonly credentialKinds: readonly CredentialKindSpec<Cred>[];
  /** The control the probe measures: records carry each device's state for it, the summary the coverage of it. */
  readonly control: ProbeControl;
  /** Decodes the probe's options; missing keys take documented defaults, unknown keys are refused. */
  readonly options: t.Type<Options, unknown, unknown>;
  /** Human description of each option and its default, for `--help` and `scan-probe list`. */
  readonly optionDocs: Readonly<Record<string, string>>;
  /**
   * What must hold between a decoded credential and decoded options (e.g. the options name
   * only hosts the credential allows: the secret goes there). Called by the engine
   * (`planProbeRuns`) and the CLI before any network call, and by {@link Probe.run} itself;
   * empty when they fit. Each issue names an option field. Absent: anything fits.
   */
  readonly checkInput?: (credential: Cred, options: Options) => readonly FieldIssue[];
  /**
   * The error codes of this probe's source, with whose fault each is and what it means (e.g.
   * a sign-in service's codes, or a framework code such as `ERR_API_FORBIDDEN` told in the
   * source's terms: which permission is missing). A framework code keeps its fault. Absent:
   * the probe produces framework codes only ({@link ERROR_CODES}).
   */
  readonly errorCodes?: ErrorCodeTable | undefined;
  /**
   * Runs the probe. Left: the run failed; `error.partial` holds what it fetched (never
   * presented as complete). Right: every page was read.
   */
  readonly run: (input: ProbeInput<Options, Cred>, env: ProbeEnv) => TaskEither<ProbeError, ProbeResult>;
  /**
   * Checks a credential and options step by step (sign-in, permissions, one small request)
   * without reading the source, for `scan-probe verify` and an engine's "test credential"
   * button. Left: the input does not fit (`ERR_INPUT`, nothing sent) or the check could
   * not be made; Right: the steps, passed or failed. Absent: the probe offers no such check.
   */
  readonly verify?: (input: VerifyInput<Options, Cred>, env: ProbeEnv) => TaskEither<ProbeError, VerifyReport>;
}

/**
 * What {@link Probe.verify} receives: the credential and options as {@link Probe.run} would
 * get them (decoded, defaults merged). No assets, no record sink: a check reads no devices.
 */
export type VerifyInput<Options, Cred = unknown> = Pick<ProbeInput<Options, Cred>, "credential" | "options" | "signal">;

/** One line of a {@link VerifyReport}. */
export interface VerifyStep {
  /** `passed` or `failed` for a check; `info` for a fact worth seeing (where the secret goes). */
  readonly outcome: "passed" | "failed" | "info";
  /** What was checked or found, one line: `roles in the token: Machine.Read.All`. Never a secret. */
  readonly text: string;
  /** On a failed step: what to do about it. */
  readonly fix?: string | undefined;
}

/** What {@link Probe.verify} found, in the order a person reads it. */
export interface VerifyReport {
  /** What was checked, for the heading ("Checking <probe title> for <subject>"), e.g. `tenant …, app … (azure-client-secret)`. Never a secret. */
  readonly subject?: string | undefined;
  /** Where the credential's secret comes from, e.g. `client secret from /etc/scan/azure.secret`. Never the secret. */
  readonly credential?: string | undefined;
  /** The steps, in order; a failed step is usually the last (later ones depend on it). */
  readonly steps: readonly VerifyStep[];
  /** True when a run with this credential and these options would work. */
  readonly ok: boolean;
  /** One closing sentence, when the checks got far enough to say one. */
  readonly conclusion?: string | undefined;
}

/**
 * A probe whose options and credential types are hidden, as the registry holds it. Its
 * metadata and codecs can be read; it cannot be run or checked with values of a type it
 * cannot name (its `run` takes no input but one typed `never`): run it through a planned
 * run's `start` (see `planProbeRuns`), which holds the values its own codecs decoded.
 */
export interface AnyProbe extends Omit<Probe, "options" | "credentialKinds" | "checkInput" | "run" | "verify"> {
  /** Decodes the probe's options (see {@link Probe.options}). */
  readonly options: t.Decoder<unknown, unknown>;
  /** The credential kinds the probe accepts (see {@link Probe.credentialKinds}). */
  readonly credentialKinds: readonly CredentialKindSpec[];
  /** See {@link Probe.checkInput}; callable only through the probe's own typed values. */
  readonly checkInput?: ((credential: never, options: never) => readonly FieldIssue[]) | undefined;
  /** See {@link Probe.run}; callable only through the probe's own typed values. */
  readonly run: (input: ProbeInput<never, never>, env: ProbeEnv) => TaskEither<ProbeError, ProbeResult>;
  /** See {@link Probe.verify}; callable only through the probe's own typed values. */
  readonly verify?: ((input: VerifyInput<never, never>, env: ProbeEnv) => TaskEither<ProbeError, VerifyReport>) | undefined;
}
