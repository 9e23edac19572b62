/**
 * `scan-probe run --task FILE`: every planned run of a scan task, at once (each reads its own
 * source with its own credential and budget: nothing is gained by waiting for one another),
 * every run's records into one JSON-lines file (whole batches of whole lines, each record
 * carrying its probe in `source` and its run in `runId`), and one combined summary (see
 * `combineRuns`). A run that fails still gives what it read: its partial summary, whose
 * unmatched assets are unknown, so that a failed run never makes an asset missing.
 */
import { format } from "node:util";
import type { Logger, ProbeEnv, ProbeError, ProbeMode, RunSummary, ScannedAsset, TaskLogSink } from "../contract.js";
import { combineRuns, type CombinedRuns } from "../engine/combine.js";
import type { PlannedRun } from "../engine/plan.js";
import type { Registry } from "../engine/registry.js";
import createDebug from "debug";
import { redact } from "../util/redact.js";
import { EXIT, printError, type CancelOn, type Terminal } from "./commands.js";
import { checkDistinct, checkWritable, errorCode, loadAssets } from "./inputs.js";
import { combinedTable, recordFile, recordsUnwritten, withRecordsUnwritten, writeSummary } from "./output.js";
import { cliTaskLog } from "./progress.js";
import { runTaggedSink } from "./run-lines.js";
import { loadTaskPlan } from "./task-input.js";

/** Arguments of `run --task`. */
export interface TaskArgs {
  /** The scan task's settings (JSON, credentials inline). */
  readonly task: string;
  /** The scanned assets (JSON array or lines), as `run --assets` reads them. */
  readonly assets?: string | undefined;
  /** `probe` (inside a scan) or `connector` (a scheduled sync), for every run. */
  readonly mode: ProbeMode;
  /** Records of every run, JSON lines; stdout when undefined or `-`. */
  readonly out?: string | undefined;
  /** The combined summary. */
  readonly summary?: string | undefined;
}

/** What the environment of a task's runs is built from: its task log and its developer log, both cleaned of the task's secrets. */
export type TaskEnvironment = (settings: { readonly taskLog: TaskLogSink; readonly log: Logger }) => ProbeEnv;

/** A run of the task: the planned run, its id, and its label for people (`defender365/tenant-a`). */
interface TaskRun {
  readonly planned: PlannedRun;
  readonly runId: string;
  readonly label: string;
}

/**
 * A logger writing through `debug`, each line rendered first and cleaned with `clean` (a probe
 * may log a URL holding a tenant id); a namespace that is off costs no rendering.
 */
const cleanLogger =
  (clean: (text: string) => string): Logger =>
  (namespace) => {
    const write = createDebug(namespace);
    return (formatter, ...args) => {
      if (write.enabled) write("%s", clean(format(formatter, ...args)));
    };
  };

/**
 * The summary of a run that failed without a partial result (a probe may give none): nothing
 * read, incomplete, every asset unknown, the error named.
 */
const failedSummary = (run: TaskRun, assets: readonly ScannedAsset[], error: ProbeError): RunSummary => {
  const byAsset = Object.create(null) as Record<string, "unknown">;
  for (const asset of assets) byAsset[asset.id] = "unknown";
  const { planned } = run;
  return {
    probe: planned.probe.id,
    runId: run.runId,
    credentialId: planned.credentialId,
    mode: planned.mode,
    control: planned.probe.control.id,
    complete: false,
    incremental: false,
    cursor: null,
    siteId: planned.scanSiteId ?? null,
    counts: { fetched: 0, invalid: 0, inactiveSkipped: 0, unknownSkipped: 0, duplicates: 0, matched: 0, created: 0 },
    http: { requests: 0, retries: 0, throttled: 0 },
    coverage: {
      [planned.probe.control.id]: { protected: 0, unhealthy: 0, missing: 0, unknown: assets.length, unknownFromInvalidDevices: 0, byAsset },
    },
    unmatched: {},
    errors: [{ code: error.code, message: error.message }],
  };
};

/** The summaries combined for every control the runs measured, in the order the runs name them. */
export const combineControls = (summaries: readonly RunSummary[]): CombinedRuns => {
  const controls = [...new Set(summaries.map((s) => s.control))];
  const coverage = Object.assign({}, ...controls.map((control) => combineRuns(summaries, control).coverage)) as CombinedRuns["coverage"];
  return { ...combineRuns(summaries), coverage };
};

/** `summary` with the task's secrets taken out of its error messages. */
const cleanSummary = (summary: RunSummary, clean: (text: string) => string): RunSummary => ({
  ...summary,
  errors: summary.errors.map((e) => ({ code: e.code, message: clean(e.message) })),
});

/**
 * `scan-probe run --task FILE`: exit 0 when every run was complete, 1 when any failed or was
 * partial (what was read is still written), 2 for bad input (nothing sent). Every input is
 * read and checked first, the output paths included; only then is `cancelOn` asked to
 * install its handlers (see `runCommand`).
 */
export const taskCommand = async (args: TaskArgs, registry: Registry, environment: TaskEnvironment, term: Terminal, cancelOn?: CancelOn): Promise<number> => {
  const loaded = loadTaskPlan(args.task, registry, args.mode);
  if (loaded._tag === "Left") return (printError(term, loaded.left), EXIT.badInput);
  const { plan, enabledNotRun, secrets } = loaded.right;
  const clean = (text: string): string => redact(text, secrets);
  const assets = loadAssets(args.assets);
  if (assets._tag === "Left") return (printError(term, assets.left), EXIT.badInput);
  const out = args.out === "-" ? undefined : args.out;
  for (const [flag, path] of [
    ["--out", out],
    ["--summary", args.summary],
  ] as const) {
    const unwritable = path === undefined ? undefined : checkWritable(path, flag);
    if (unwritable !== undefined) return (printError(term, unwritable), EXIT.badInput);
  }
  const shared = checkDistinct(
    [
      ["--out", out],
      ["--summary", args.summary],
    ],
    [
      ["--task", args.task],
      ["--assets", args.assets],
    ],
  );
  if (shared !== undefined) return (printError(term, shared), EXIT.badInput);

  for (const skipped of enabledNotRun) term.err.write(clean(`note: ${skipped.probeId} will not run: ${skipped.reason}\n`));
  const runs: TaskRun[] = plan.runs.map((planned, index) => {
    const label = planned.credentialId === null ? planned.probe.id : `${planned.probe.id}/${planned.credentialId}`;
    return { planned, label, runId: `${index + 1}:${label}` };
  });
  const labelOfRun = new Map(runs.map((run) => [run.runId, run.label] as const));
  const env = environment({
    taskLog: cliTaskLog(term.err, (event) => labelOfRun.get(event.runId), clean),
    log: cleanLogger(clean),
  });

  const controller = new AbortController();
  const release = cancelOn?.(() => controller.abort(new Error("interrupted")));
  try {
    return await runAll(runs, { ...args, assets: assets.right }, env, term, controller.signal, clean);
  } finally {
    release?.();
  }
};

/** Runs every run of the task at once, then writes the records, the combined summary and the lines for people. */
const runAll = async (
  runs: readonly TaskRun[],
  args: Omit<TaskArgs, "assets"> & { readonly assets: readonly ScannedAsset[] },
  env: ProbeEnv,
  term: Terminal,
  signal: AbortSignal,
  clean: (text: string) => string,
): Promise<number> => {
  const records = recordFile(args.out);
  const outcomes = await Promise.all(
    runs.map(async (run) => ({
      run,
      outcome: await run.planned.task({ assets: args.assets, signal, recordSink: runTaggedSink(records.sink, run.runId), runId: run.runId }, env)(),
    })),
  );
  const closing = await records.close().then(
    () => undefined,
    (error: NodeJS.ErrnoException) => error,
  );
  const unwritten = closing === undefined ? undefined : recordsUnwritten(args.out, closing);
  const summaries = outcomes.map(({ run, outcome }) => {
    const summary = cleanSummary(
      outcome._tag === "Right" ? outcome.right.summary : (outcome.left.partial?.summary ?? failedSummary(run, args.assets, outcome.left)),
      clean,
    );
    return unwritten === undefined ? summary : withRecordsUnwritten(summary, unwritten);
  });
  const combined = combineControls(summaries);
  let failed = false;
  if (args.summary !== undefined) {
    try {
      writeSummary(combined, args.summary);
    } catch (error) {
      term.err.write(
        `error: could not write the summary to ${args.summary} (${errorCode(error, (error as Error).name)}).\n  hint: Check the disk and the path, then run again.\n`,
      );
      failed = true;
    }
  }
  const labelOf = new Map(runs.map((run) => [run.runId, run.label] as const));
  if (term.err.isTTY) term.err.write(`${clean(combinedTable(combined, (s) => labelOf.get(s.runId) ?? s.probe))}\n`);
  for (const { run, outcome } of outcomes) {
    if (outcome._tag === "Right") continue;
    const error = outcome.left;
    term.err.write(`[${run.label}] `);
    printError(term, { ...error, message: clean(error.message), hint: clean(error.hint) });
    failed = true;
  }
  if (unwritten !== undefined) {
    term.err.write(`error ${unwritten.code}: ${unwritten.message}\n  hint: Check the disk and the path, then run again.\n`);
    failed = true;
  }
  return failed || !combined.complete ? EXIT.failed : EXIT.complete;
};
