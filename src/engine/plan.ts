/**
 * Engine helper: from a scan task's settings, the probe runs to perform, and for every
 * probe that will not run, why. Everything is decoded here, before any network call: each
 * probe's options with its own codec, each credential with the codec of its `kind` among the
 * kinds the probe declares, and each credential checked against the options it runs with
 * (`Probe.checkInput`: e.g. the options may name only hosts the credential allows). A probe
 * that declares no credential kinds runs once when its toggle is on.
 *
 * Settings shape (JSON), for a probe whose credential toggle is `AcmeProbe`:
 * ```json
 * { "siteId": "site-1",
 *   "probes": { "Acme": { "enabled": true, "options": { "includeInactive": false } } },
 *   "credentials": [ { "id": "acme-prod", "kind": "acme-api-key", "AcmeProbe": true, "apiKey": "…" } ] }
 * ```
 */
import * as t from "io-ts";
import type { Either } from "fp-ts/lib/Either.js";
import { left, right } from "fp-ts/lib/Either.js";
import type { TaskEither } from "fp-ts/lib/TaskEither.js";
import type { AnyProbe, Probe, ProbeEnv, ProbeMode, ProbeResult, RecordSink, VerifyReport } from "../contract.js";
import type { ScannedAsset } from "./assets.js";
import { kindNames, kindSpecOf } from "./credential-kinds.js";
import { inputError, ProbeRunError, type InputError, type ProbeError } from "./errors.js";
import { issuesOf, type FieldIssue } from "../util/decode.js";
import type { Registry } from "./registry.js";

/** Codec of a scan task's settings; probe options and credentials are decoded per probe. */
export const ScanTaskSettingsCodec = t.partial(
  {
    siteId: t.union([t.string, t.null]),
    probes: t.record(t.string, t.partial({ enabled: t.boolean, options: t.unknown })),
    credentials: t.array(t.intersection([t.type({ id: t.string }), t.record(t.string, t.unknown)])),
  },
  "ScanTaskSettings",
);

/** A scan task's settings, as {@link ScanTaskSettingsCodec} decodes them (probe options and credentials still raw). */
export type ScanTaskSettings = t.TypeOf<typeof ScanTaskSettingsCodec>;

/** What the engine gives a planned run when it starts it: the rest was decoded by the plan. */
export interface RunStart {
  /** The assets the scan found (probe mode) or the engine knows (connector mode); may be empty. */
  readonly assets: readonly ScannedAsset[];
  /** Cancels the run (see `ProbeInput.signal`). */
  readonly signal?: AbortSignal | undefined;
  /** Where the records go, in batches (see `ProbeInput.recordSink`). */
  readonly recordSink?: RecordSink | undefined;
  /** The run's id for its summary and task-log events; made up when absent. */
  readonly runId?: string | undefined;
}

/**
 * A run to perform: the probe, the credential it uses, and a way to start it with the
 * options and credential the plan decoded for it (and no others: they are held inside).
 */
export interface PlannedRun {
  /** The probe to run (from the registry). */
  readonly probe: AnyProbe;
  /** The `id` of the credential in the settings, for the task log; null for a probe that takes no credential. */
  readonly credentialId: string | null;
  /** The `kind` of that credential, for display; null for a probe that takes no credential. */
  readonly credentialKind: string | null;
  /** The mode `planProbeRuns` was called with. */
  readonly mode: ProbeMode;
  /** Options decoded with the probe's codec, defaults merged: for display only (a run starts with what it holds). */
  readonly options: unknown;
  /** The task's `siteId`, when set: new assets go there in probe mode. */
  readonly scanSiteId: string | undefined;
  /**
   * Starts the run with the decoded options and credential, passing `credentialId` and
   * `run.runId` on: resolves with the result of a complete run, rejects with a
   * {@link ProbeRunError} (same `code`, what was fetched in `partial`).
   */
  readonly start: (run: RunStart, env: ProbeEnv) => Promise<ProbeResult>;
  /** {@link PlannedRun.start} for fp-ts users: Left is the run's error (its `partial` attached). */
  readonly task: (run: RunStart, env: ProbeEnv) => TaskEither<ProbeError, ProbeResult>;
  /**
   * Checks the credential and options step by step without reading the source (the probe's
   * `verify`); undefined when the probe offers no such check.
   */
  readonly verify: ((env: ProbeEnv, signal?: AbortSignal) => TaskEither<ProbeError, VerifyReport>) | undefined;
}

/** A probe that will not run, and why, in a sentence for the task log. */
export interface SkippedProbe {
  /** Id of the probe that will not run. */
  readonly probeId: string;
  /** Why, and what to turn on to run it. */
  readonly reason: string;
}

/** The plan of a scan task. */
export interface ProbePlan {
  /** One run per enabled probe and enabled credential (one per probe that takes none), in registry order. */
  readonly runs: readonly PlannedRun[];
  /** Probes that will not run, each with a reason. */
  readonly skipped: readonly SkippedProbe[];
}

const prefixed = (prefix: string, issues: readonly FieldIssue[]): FieldIssue[] =>
  issues.map((i) => ({ field: i.field === "(root)" ? prefix : `${prefix}.${i.field}`, problem: i.problem }));

/**
 * The registry's probe with its types back. Sound only for values its own codecs decoded
 * (its options codec, the codec of the credential's kind): the planner is the one caller.
 */
const opened = (probe: AnyProbe): Probe => probe as unknown as Probe;

/** What a {@link PlannedRun} holds: the decoded values a run starts with, and where it runs. */
export interface DecodedRun {
  /** The mode the run is in. */
  readonly mode: ProbeMode;
  /** See {@link PlannedRun.credentialId}. */
  readonly credentialId: string | null;
  /** See {@link PlannedRun.credentialKind}. */
  readonly credentialKind: string | null;
  /** Decoded with the probe's codec of its kind; `undefined` for a probe that takes none. */
  readonly credential: unknown;
  /** Decoded with the probe's options codec. */
  readonly options: unknown;
  /** See {@link PlannedRun.scanSiteId}. */
  readonly scanSiteId: string | undefined;
}

/**
 * A planned run of `probe` with values already decoded by its own codecs (its options codec,
 * the codec of the credential's kind: nothing else may come in here), once
 * {@link Probe.checkInput} accepts them; Left: its issues, each naming an option field.
 * {@link planProbeRuns} and the CLI call it.
 *
 * @internal
 */
export const plannedRunOf = (probe: AnyProbe, decoded: DecodedRun): Either<readonly FieldIssue[], PlannedRun> => {
  const misfits = opened(probe).checkInput?.(decoded.credential, decoded.options) ?? [];
  return misfits.length > 0 ? left(misfits) : right(plannedRun(probe, decoded));
};

const plannedRun = (probe: AnyProbe, decoded: DecodedRun): PlannedRun => {
  const { mode, scanSiteId } = decoded;
  const verifyOf = opened(probe).verify;
  const task = (run: RunStart, env: ProbeEnv): TaskEither<ProbeError, ProbeResult> =>
    opened(probe).run(
      {
        mode,
        credential: decoded.credential,
        options: decoded.options,
        scanSiteId,
        credentialId: decoded.credentialId,
        assets: run.assets,
        signal: run.signal,
        recordSink: run.recordSink,
        runId: run.runId,
      },
      env,
    );
  return {
    probe,
    credentialId: decoded.credentialId,
    credentialKind: decoded.credentialKind,
    mode,
    options: decoded.options,
    scanSiteId,
    task,
    verify: verifyOf === undefined ? undefined : (env, signal) => verifyOf({ credential: decoded.credential, options: decoded.options, signal }, env),
    start: async (run, env) => {
      const outcome = await task(run, env)();
      if (outcome._tag === "Left") throw new ProbeRunError(outcome.left);
      return outcome.right;
    },
  };
};

/** The keys a probe's toggle in `probes` may hold. */
const TOGGLE_KEYS = new Set(["enabled", "options"]);

/**
 * What in a task's toggles would turn a probe off without a word, so that a run would go on
 * without a vendor and call the assets it protects missing: a probe's toggle spelt in another
 * case (`defender365`), a key a toggle does not take (`option`), a credential's toggle that is
 * not true or false (`"yes"`) or spelt in another case, and two credentials with one id. Other
 * toggles are the engine's own (its other scan options) and are left alone.
 */
const togglesMisspelt = (
  probes: ScanTaskSettings["probes"] & object,
  credentials: NonNullable<ScanTaskSettings["credentials"]>,
  registry: Registry,
): FieldIssue[] => {
  const issues: FieldIssue[] = [];
  const known = registry.list();
  const probeToggles = known.map((p) => p.toggles.probe);
  const credentialToggles = [...new Set(known.map((p) => p.toggles.credential))];
  const sameIgnoringCase = (names: readonly string[], name: string) => names.find((n) => n.toLowerCase() === name.toLowerCase());
  for (const [name, toggle] of Object.entries(probes)) {
    if (!probeToggles.includes(name)) {
      const near = sameIgnoringCase(probeToggles, name);
      if (near !== undefined) issues.push({ field: `probes.${name}`, problem: `did you mean ${near}? Toggles are spelt exactly` });
      continue;
    }
    for (const key of Object.keys(toggle))
      if (!TOGGLE_KEYS.has(key)) issues.push({ field: `probes.${name}.${key}`, problem: "unknown key: a probe's toggle takes enabled and options" });
  }
  const ids = new Map<string, number>();
  credentials.forEach((credential, index) => {
    const earlier = ids.get(credential.id);
    if (earlier !== undefined)
      issues.push({ field: `credentials[${index}].id`, problem: `credentials[${earlier}] has this id too: give each credential its own id` });
    else ids.set(credential.id, index);
    for (const [key, value] of Object.entries(credential)) {
      const toggle = sameIgnoringCase(credentialToggles, key);
      if (toggle === undefined) continue;
      if (toggle !== key) issues.push({ field: `credentials[${index}].${key}`, problem: `did you mean ${toggle}? Toggles are spelt exactly` });
      else if (typeof value !== "boolean") issues.push({ field: `credentials[${index}].${key}`, problem: "expected true or false" });
    }
  });
  return issues;
};

/**
 * Plans the probe runs of a scan task. Left: some setting is invalid (every problem named,
 * e.g. `credentials[1].clientId`, never a value), a toggle among them that would leave a vendor
 * out without a word (see `togglesMisspelt`). Right: the runs, one per enabled probe and
 * credential enabled for it (one per enabled probe that takes no credential).
 */
export const planProbeRuns = (settings: unknown, registry: Registry, mode: ProbeMode): Either<InputError, ProbePlan> => {
  const decoded = ScanTaskSettingsCodec.decode(settings);
  if (decoded._tag === "Left") return left(inputError(issuesOf(decoded.left), "scan task settings"));
  const { probes = {}, credentials = [], siteId } = decoded.right;
  const scanSiteId = siteId ?? undefined;
  const runs: PlannedRun[] = [];
  const skipped: SkippedProbe[] = [];
  const issues: FieldIssue[] = togglesMisspelt(probes, credentials, registry);

  for (const probe of registry.list()) {
    const toggle = Object.hasOwn(probes, probe.toggles.probe) ? probes[probe.toggles.probe] : undefined;
    if (toggle?.enabled !== true) {
      skipped.push({ probeId: probe.id, reason: `${probe.title} is off for this task (probes.${probe.toggles.probe}.enabled is not true).` });
      continue;
    }
    const options = probe.options.decode(toggle.options);
    if (options._tag === "Left") issues.push(...prefixed(`probes.${probe.toggles.probe}.options`, issuesOf(options.left)));

    if (probe.credentialKinds.length === 0) {
      if (options._tag === "Right") {
        const run = plannedRunOf(probe, { mode, scanSiteId, credentialId: null, credentialKind: null, credential: undefined, options: options.right });
        if (run._tag === "Left") issues.push(...prefixed(`probes.${probe.toggles.probe}.options`, run.left));
        else runs.push(run.right);
      }
      continue;
    }
    const accepted = kindNames(probe.credentialKinds);
    const enabled = credentials.map((c, index) => ({ c, index })).filter(({ c }) => c[probe.toggles.credential] === true);
    if (enabled.length === 0) {
      skipped.push({
        probeId: probe.id,
        reason: `${probe.title} is on, but no credential has ${probe.toggles.credential} turned on: enable it on a credential of kind ${accepted}.`,
      });
      continue;
    }
    for (const { c, index } of enabled) {
      const field = `credentials[${index}]`;
      const spec = kindSpecOf(probe.credentialKinds, c["kind"]);
      if (spec === undefined) {
        issues.push({
          field: `${field}.kind`,
          problem: `${probe.title} accepts ${accepted} credentials; turn ${probe.toggles.credential} off on "${c.id}" or use another credential`,
        });
        continue;
      }
      const credential = spec.codec.decode(c);
      if (credential._tag === "Left") {
        issues.push(...prefixed(field, issuesOf(credential.left)));
        continue;
      }
      if (options._tag === "Right") {
        const run = plannedRunOf(probe, {
          mode,
          scanSiteId,
          credentialId: c.id,
          credentialKind: spec.kind,
          credential: credential.right,
          options: options.right,
        });
        if (run._tag === "Left")
          issues.push(
            ...run.left.map((i) => ({ field: `probes.${probe.toggles.probe}.options.${i.field}`, problem: `with credential "${c.id}": ${i.problem}` })),
          );
        else runs.push(run.right);
      }
    }
  }
  return issues.length > 0 ? left(inputError(issues, "scan task settings")) : right({ runs, skipped });
};
