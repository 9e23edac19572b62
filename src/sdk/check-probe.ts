/**
 * The contract checks a probe author runs in their own tests: the forms of the names an
 * engine and a person read, the options and their docs, the credential kinds, and one run
 * cancelled before it starts (what every engine does on a stopped scan). Nothing here reads
 * the source: the cancelled run must send nothing, and the checks see that it does not.
 */
import type * as t from "io-ts";
import type { ScannedAsset } from "../engine/assets.js";
import type { AnyProbe, Probe, ProbeEnv, TaskLogEvent } from "../contract.js";
import { issuesOf } from "../util/decode.js";
import { runCoverage } from "../engine/coverage.js";
import { createEnvironment } from "../runtime/environment.js";

/** Which check found a problem (see {@link checkProbe}). */
export type ProbeCheck = "id" | "title" | "control" | "toggles" | "options" | "optionDocs" | "credentialKinds" | "errorCodes" | "cancelledRun" | "taskLog";

/** One way a probe breaks the contract: the check, and what is wrong in a sentence. */
export interface ProbeProblem {
  /** The check that found it. */
  readonly check: ProbeCheck;
  /** What is wrong, and what to change. */
  readonly problem: string;
}

/** What {@link checkProbe} runs the cancelled run with; every member has a default but `credential`. */
export interface CheckSettings<Options, Cred> {
  /**
   * A credential of one of the probe's kinds, decoded (any values: the run is cancelled
   * before it signs in). Needed by a probe that declares credential kinds; without it the
   * cancelled run is not checked and that is reported as a problem.
   */
  readonly credential?: Cred | undefined;
  /** The options of the run, decoded. Default: the probe's options codec applied to `{}`. */
  readonly options?: Options | undefined;
  /** The environment. Default: `createEnvironment()` (nothing is sent: the run is cancelled before it starts). */
  readonly env?: ProbeEnv | undefined;
  /** The scanned assets. Default: two assets, one known by name and address, one by MAC. */
  readonly assets?: readonly ScannedAsset[] | undefined;
  /** How long the cancelled run may take to end, in ms. Default 10,000. */
  readonly timeoutMs?: number | undefined;
}

/** Probe ids, control ids and credential kinds: lowercase letters and digits, words joined by `-` (the form `syncProbe` enforces for ids). */
const ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** Task-log codes: uppercase letters and digits, words joined by `_` (`ACME_PAGE`, `ERR_CANCELLED`). */
const LOG_CODE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;

/** Framework and probe error codes: `ERR_` then uppercase words. */
const ERROR_CODE = /^ERR_[A-Z0-9]+(?:_[A-Z0-9]+)*$/;

/** An option key no probe has: the options codec must refuse it, naming it. */
const UNKNOWN_OPTION = "checkProbeUnknownOption";

/** A value that must never come back in a credential codec's error: codecs report fields, not values. */
const SENTINEL = "check-probe-sentinel-0ddba11";

const DEFAULT_ASSETS: readonly ScannedAsset[] = [
  { id: "check-asset-1", names: ["check-host-1.example.test"], addresses: ["192.0.2.10"] },
  { id: "check-asset-2", macs: ["00:00:5e:00:53:01"] },
];

const nonEmpty = (value: unknown): boolean => typeof value === "string" && value.trim().length > 0;

/** The issues of a failed decode as the engine prints them (field and problem), or null when `raw` decodes. */
const failureText = (codec: t.Decoder<unknown, unknown>, raw: unknown): string[] | null => {
  const decoded = codec.decode(raw);
  if (decoded._tag === "Right") return null;
  return issuesOf(decoded.left, 1000).map((i) => `${i.field}: ${i.problem}`);
};

/** The fields a failed decode names (`(root)` for the whole value). */
const failedFields = (codec: t.Decoder<unknown, unknown>, raw: unknown): string[] => {
  const decoded = codec.decode(raw);
  return decoded._tag === "Right" ? [] : issuesOf(decoded.left, 1000).map((i) => i.field);
};

/** Names, title, control and toggles. */
const namingProblems = (probe: Probe<unknown, unknown>): ProbeProblem[] => {
  const problems: ProbeProblem[] = [];
  if (!ID.test(probe.id)) problems.push({ check: "id", problem: `id "${probe.id}" must be lowercase letters and digits, words joined by "-" (e.g. acme-av)` });
  if (!nonEmpty(probe.title)) problems.push({ check: "title", problem: "title is empty: give the name a person reads" });
  if (!ID.test(probe.control.id))
    problems.push({ check: "control", problem: `control id "${probe.control.id}" must be lowercase letters and digits, words joined by "-" (e.g. edr)` });
  if (!nonEmpty(probe.control.title)) problems.push({ check: "control", problem: "control title is empty: give what a person reads, e.g. EDR" });
  for (const which of ["probe", "credential"] as const) {
    const toggle = probe.toggles[which];
    if (!nonEmpty(toggle) || /\s/.test(toggle)) problems.push({ check: "toggles", problem: `toggles.${which} must be a key without spaces, e.g. Acme` });
  }
  return problems;
};

/** The options codec against `{}`, absent options and an unknown key; the docs against the keys. */
const optionProblems = (probe: Probe<unknown, unknown>, options: unknown): ProbeProblem[] => {
  const problems: ProbeProblem[] = [];
  const docs = probe.optionDocs;
  const documented = (key: string) => Object.hasOwn(docs, key) && nonEmpty(docs[key]);
  for (const [given, raw] of [
    ["{}", {}],
    ["no options (undefined)", undefined],
  ] as const) {
    const decoded = probe.options.decode(raw);
    if (decoded._tag === "Right") continue;
    const fields = issuesOf(decoded.left, 1000).map((i) => i.field);
    if (fields.includes("(root)")) {
      problems.push({ check: "options", problem: `the options codec refuses ${given} as a whole: it must give the defaults (or name the required options)` });
      continue;
    }
    const undocumented = fields.filter((field) => !documented(field));
    if (undocumented.length > 0)
      problems.push({
        check: "options",
        problem: `options ${given} fail on ${undocumented.join(", ")}, which optionDocs does not document: give defaults, or document the required options`,
      });
  }
  const named = failureText(probe.options, { [UNKNOWN_OPTION]: true });
  if (named === null)
    problems.push({ check: "options", problem: `the options codec accepts an unknown key ("${UNKNOWN_OPTION}"): refuse unknown keys, naming them` });
  else if (!named.some((line) => line.includes(UNKNOWN_OPTION)))
    problems.push({ check: "options", problem: `the options codec refuses an unknown key without naming it ("${UNKNOWN_OPTION}" is in no issue)` });

  const keys = new Set<string>();
  const defaults = probe.options.decode({});
  for (const value of [defaults._tag === "Right" ? defaults.right : undefined, options])
    if (typeof value === "object" && value !== null) for (const key of Object.keys(value)) keys.add(key);
  const undocumented = [...keys].filter((key) => !documented(key));
  if (undocumented.length > 0) problems.push({ check: "optionDocs", problem: `optionDocs documents no ${undocumented.join(", ")}` });
  const empty = Object.keys(docs).filter((key) => !nonEmpty(docs[key]));
  if (empty.length > 0) problems.push({ check: "optionDocs", problem: `optionDocs has an empty text for ${empty.join(", ")}` });
  return problems;
};

/** Each credential kind: its name and title, and a codec that refuses `{}` and another kind, naming fields and never a value. */
const credentialProblems = (probe: Probe<unknown, unknown>): ProbeProblem[] => {
  const problems: ProbeProblem[] = [];
  const seen = new Set<string>();
  for (const spec of probe.credentialKinds) {
    const kind = spec.kind;
    if (!ID.test(kind))
      problems.push({ check: "credentialKinds", problem: `kind "${kind}" must be lowercase letters and digits, words joined by "-" (e.g. acme-api-key)` });
    if (seen.has(kind)) problems.push({ check: "credentialKinds", problem: `kind "${kind}" is declared twice` });
    seen.add(kind);
    if (!nonEmpty(spec.title))
      problems.push({ check: "credentialKinds", problem: `kind "${kind}" has an empty title: give what a person reads, e.g. API key` });
    if (failureText(spec.codec, {}) === null)
      problems.push({ check: "credentialKinds", problem: `the codec of kind "${kind}" accepts {}: it must require its kind and fields` });
    // Every field the kind's codec asks for, given the sentinel: a codec that refuses it must say why without repeating it.
    const wanted = failedFields(spec.codec, { kind }).filter((field) => field !== "(root)" && field !== "kind" && !field.includes("."));
    const filled = Object.fromEntries(wanted.map((field) => [field, SENTINEL]));
    if (failureText(spec.codec, { ...filled, kind: "check-probe-other-kind" }) === null)
      problems.push({ check: "credentialKinds", problem: `the codec of kind "${kind}" accepts a credential of another kind: check its kind field` });
    const attempts: unknown[] = [{}, { kind: SENTINEL }, { kind, ...filled }, { kind, ...filled, [SENTINEL]: SENTINEL }];
    if (attempts.some((raw) => (failureText(spec.codec, raw) ?? []).some((line) => line.includes(SENTINEL))))
      problems.push({
        check: "credentialKinds",
        problem: `the codec of kind "${kind}" repeats a value in its error: name the field and what is expected, never the value`,
      });
  }
  return problems;
};

/** The probe's own error codes: each `ERR_…`, with a fault and a meaning. */
const errorCodeProblems = (probe: Probe<unknown, unknown>): ProbeProblem[] =>
  Object.entries(probe.errorCodes ?? {}).flatMap(([code, doc]) => {
    const problems: ProbeProblem[] = [];
    if (!ERROR_CODE.test(code)) problems.push({ check: "errorCodes", problem: `error code "${code}" must be ERR_ followed by uppercase words joined by "_"` });
    if (doc.fault !== "user" && doc.fault !== "provider") problems.push({ check: "errorCodes", problem: `error code ${code} has no fault (user or provider)` });
    if (!nonEmpty(doc.means)) problems.push({ check: "errorCodes", problem: `error code ${code} does not say what it means` });
    return problems;
  });

/** `env` with every request and sign-in refused and noted: a run cancelled before it starts must make none. */
const guarded = (env: ProbeEnv, events: TaskLogEvent[], touched: string[]): ProbeEnv => ({
  ...env,
  http: env.http.extend({
    hooks: {
      beforeRequest: [
        (options) => {
          touched.push(`a request to ${options.url instanceof URL ? options.url.origin : "the network"}`);
          throw new Error("checkProbe: a run cancelled before it started sent a request");
        },
      ],
    },
  }),
  tokens: (request) => {
    touched.push("a sign-in");
    return env.tokens(request);
  },
  taskLog: (event) => {
    events.push(event);
    env.taskLog(event);
  },
});

/** Resolves with `work`'s outcome, or "timeout" after `ms`. */
const within = async <T>(work: Promise<T>, ms: number): Promise<T | "timeout"> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), ms)));
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
};

/** A run with an already-aborted signal: Left `ERR_CANCELLED`, a partial result with a verdict for every asset and none `missing`, nothing sent. */
const cancelledRunProblems = async <Options, Cred>(probe: Probe<Options, Cred>, settings: CheckSettings<Options, Cred>): Promise<ProbeProblem[]> => {
  const problems: ProbeProblem[] = [];
  const problem = (check: ProbeCheck, text: string) => problems.push({ check, problem: text });
  if (probe.credentialKinds.length > 0 && settings.credential === undefined) {
    problem("cancelledRun", "not checked: give settings.credential (a decoded credential of one of the probe's kinds; it is not used)");
    return problems;
  }
  let options = settings.options;
  if (options === undefined) {
    const decoded = probe.options.decode({});
    if (decoded._tag === "Left") {
      problem("cancelledRun", "not checked: the options have required keys, give settings.options");
      return problems;
    }
    options = decoded.right;
  }
  const assets = settings.assets ?? DEFAULT_ASSETS;
  const events: TaskLogEvent[] = [];
  const touched: string[] = [];
  const env = guarded(settings.env ?? createEnvironment(), events, touched);
  const timeoutMs = settings.timeoutMs ?? 10_000;
  const input = {
    mode: "probe" as const,
    credential: settings.credential as Cred,
    options,
    assets,
    signal: AbortSignal.abort(),
    credentialId: "check-credential",
  };
  let outcome: Awaited<ReturnType<ReturnType<typeof probe.run>>> | "timeout";
  try {
    outcome = await within(probe.run(input, env)(), timeoutMs);
  } catch (error) {
    problem("cancelledRun", `a cancelled run threw (${error instanceof Error ? error.name : typeof error}) instead of ending Left with ERR_CANCELLED`);
    return problems;
  }
  if (touched.length > 0) problem("cancelledRun", `a run cancelled before it started made ${[...new Set(touched)].join(" and ")}: check the signal first`);
  if (outcome === "timeout") {
    problem("cancelledRun", `a cancelled run did not end within ${timeoutMs} ms`);
    return problems;
  }
  if (outcome._tag === "Right") {
    problem("cancelledRun", "a cancelled run ended Right (complete): it must end Left with ERR_CANCELLED");
    return problems;
  }
  const error = outcome.left;
  if (error.code !== "ERR_CANCELLED") problem("cancelledRun", `a cancelled run ended with ${error.code} (${error.message}), not ERR_CANCELLED`);
  const partial = error.partial;
  if (partial === undefined) {
    problem("cancelledRun", "a cancelled run carries no partial result: keep what was read (even nothing) in error.partial");
    return problems;
  }
  const { summary } = partial;
  if (summary.complete) problem("cancelledRun", "the partial summary of a cancelled run says complete: true");
  if (summary.probe !== probe.id) problem("cancelledRun", `the summary's probe is "${summary.probe}", not the probe id "${probe.id}"`);
  if (summary.control !== probe.control.id) problem("cancelledRun", `the summary's control is "${summary.control}", not the control id "${probe.control.id}"`);
  const coverage = runCoverage(summary);
  const without = assets.filter((asset) => !Object.hasOwn(coverage.byAsset, asset.id)).map((asset) => asset.id);
  if (without.length > 0) problem("cancelledRun", `the partial coverage gives no verdict for asset(s) ${without.join(", ")}: give one for every asset`);
  const missing = Object.keys(coverage.byAsset).filter((id) => coverage.byAsset[id] === "missing");
  if (missing.length > 0 || coverage.missing > 0)
    problem("cancelledRun", `a cancelled run calls asset(s) ${missing.join(", ") || "(count only)"} missing: a partial run must say unknown`);

  for (const event of events) {
    if (!LOG_CODE.test(event.code))
      problems.push({ check: "taskLog", problem: `task-log code "${event.code}" must be uppercase words joined by "_" (e.g. ACME_PAGE)` });
    if (event.probe !== probe.id) problems.push({ check: "taskLog", problem: `a task-log event is stamped with probe "${event.probe}", not "${probe.id}"` });
  }
  return problems;
};

/**
 * Checks `probe` against the contract, as an author's own tests do. Returns every problem
 * found (empty: it passes), so that one assertion shows them all:
 *
 * ```ts
 * test("acme keeps the probe contract", async () => {
 *   assert.deepEqual(await checkProbe(acme, { credential: { kind: "acme-api-key", apiKey: "unused" } }), []);
 * });
 * ```
 *
 * Checks: the probe id, control id and credential kinds are lowercase words joined by `-`;
 * the title, control title and toggles are set; the options codec decodes `{}` and absent
 * options (or fails only on documented required keys) and refuses an unknown key naming it;
 * `optionDocs` documents every option; each credential kind has a title and a codec that
 * refuses `{}` and another kind without repeating a value; each of the probe's own error
 * codes is `ERR_…` with a fault and a meaning; and a run whose signal is already aborted
 * sends nothing, ends Left with `ERR_CANCELLED` and a partial result whose summary says
 * `complete: false`, names the probe and its control, and gives every asset a verdict, none
 * `missing`; its task-log codes are uppercase words joined by `_`.
 */
export function checkProbe<Options, Cred>(
  probe: Probe<Options, Cred>,
  settings?: CheckSettings<NoInfer<Options>, NoInfer<Cred>>,
): Promise<readonly ProbeProblem[]>;
/**
 * {@link checkProbe} of a registry's probe, whose types the registry hides: `settings.credential`
 * is then a credential as the engine receives it (JSON), decoded here with the codec of its kind.
 */
export function checkProbe(probe: AnyProbe, settings?: CheckSettings<unknown, unknown>): Promise<readonly ProbeProblem[]>;
export async function checkProbe(probe: Probe<unknown, unknown> | AnyProbe, settings: CheckSettings<unknown, unknown> = {}): Promise<readonly ProbeProblem[]> {
  const open = probe as unknown as Probe<unknown, unknown>; // read only: codecs and docs take unknown input
  return [
    ...namingProblems(open),
    ...optionProblems(open, settings.options),
    ...credentialProblems(open),
    ...errorCodeProblems(open),
    ...(await cancelledRunProblems(open, { ...settings, credential: decodedCredential(open, settings.credential) })),
  ];
}

/** `credential` decoded with the codec of its kind when the probe has that kind and it decodes; otherwise as given (already decoded, or for the checks to report). */
const decodedCredential = (probe: Probe<unknown, unknown>, credential: unknown): unknown => {
  const kind = typeof credential === "object" && credential !== null ? (credential as { kind?: unknown }).kind : undefined;
  const spec = probe.credentialKinds.find((k) => k.kind === kind);
  const decoded = spec?.codec.decode(credential);
  return decoded?._tag === "Right" ? decoded.right : credential;
};
