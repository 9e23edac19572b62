/**
 * The `run` and `verify` commands. Input is decoded before any network call; a failure is
 * printed as one message and a hint, never a stack trace, never a secret.
 */
import type { AnyProbe, ProbeEnv, ProbeMode, RunSummary, VerifyStep } from "../contract.js";
import type { PlannedRun } from "../engine/plan.js";
import type { ScannedAsset } from "../engine/assets.js";
import { inputError, type ProbeError } from "../engine/errors.js";
import { fieldsOf } from "../engine/credential-kinds.js";
import { plannedRunOf } from "../engine/plan.js";
import { checkDistinct, checkWritable, ENV_CREDENTIAL, errorCode, loadAssets, loadCredential, loadOptions } from "./inputs.js";
import { recordFile, recordsUnwritten, summaryTable, withRecordsUnwritten, writeSummary } from "./output.js";

/** Exit codes: the CLI's contract with engines and scripts. */
export const EXIT = { complete: 0, failed: 1, badInput: 2 } as const;

/** Where the CLI writes text for people. */
export interface Terminal {
  /** Errors, hints, warnings and progress. */
  readonly err: NodeJS.WriteStream;
  /** What a command produces: records, the page, help, `list` and `verify` lines. */
  readonly out: NodeJS.WriteStream;
}

/** Prints an error as a message and a hint. */
export const printError = (term: Terminal, error: ProbeError): void => {
  term.err.write(`error ${error.code}: ${error.message}\n  hint: ${error.hint}\n`);
  if (error._tag === "InputError" && error.issues.length > 1) {
    for (const issue of error.issues) term.err.write(`  - ${issue.field}: ${issue.problem}\n`);
  }
};

/** Arguments of `run`. */
export interface RunArgs {
  readonly credential?: string | undefined;
  readonly options?: string | undefined;
  readonly assets?: string | undefined;
  readonly mode: ProbeMode;
  readonly out?: string | undefined;
  readonly summary?: string | undefined;
  readonly siteId?: string | undefined;
}

/**
 * Installs `stop` to be called on the signals that end a run (SIGINT, SIGTERM, SIGHUP) and
 * returns the function that removes it again.
 */
export type CancelOn = (stop: () => void) => () => void;

/**
 * `scan-probe run <probe>`: exit 0 complete, 1 failed or partial (what was read is still
 * written), 2 bad input. Every input is read and checked first, the output paths included,
 * before anything is sent; only then is `cancelOn` asked to install its handlers (until then
 * a signal ends the process at once, with nothing sent and nothing written). They stay until
 * the records and the summary are written: a second signal does not cut them short.
 */
export const runCommand = async (probe: AnyProbe, args: RunArgs, env: ProbeEnv, term: Terminal, cancelOn?: CancelOn): Promise<number> => {
  const planned = decodeRun(probe, args, term);
  if (planned === undefined) return EXIT.badInput;
  const assets = loadAssets(args.assets);
  if (assets._tag === "Left") return (printError(term, assets.left), EXIT.badInput);
  for (const [flag, path] of [
    ["--out", args.out === "-" ? undefined : args.out],
    ["--summary", args.summary],
  ] as const) {
    const unwritable = path === undefined ? undefined : checkWritable(path, flag);
    if (unwritable !== undefined) return (printError(term, unwritable), EXIT.badInput);
  }
  const shared = checkDistinct(
    [
      ["--out", args.out === "-" ? undefined : args.out],
      ["--summary", args.summary],
    ],
    [
      ["--credential", args.credential === ENV_CREDENTIAL ? undefined : args.credential],
      ["--options", args.options === undefined || args.options.trimStart().startsWith("{") ? undefined : args.options],
      ["--assets", args.assets],
    ],
  );
  if (shared !== undefined) return (printError(term, shared), EXIT.badInput);

  const controller = new AbortController();
  const release = cancelOn?.(() => controller.abort(new Error("interrupted")));
  try {
    return await runAndWrite(planned, { ...args, assets: assets.right }, env, term, controller.signal);
  } finally {
    release?.();
  }
};

/** {@link runCommand} once its input is decoded: runs the probe, then writes the records, the summary and the table. */
const runAndWrite = async (
  planned: PlannedRun,
  args: Omit<RunArgs, "credential" | "options" | "assets"> & { assets: readonly ScannedAsset[] },
  env: ProbeEnv,
  term: Terminal,
  signal: AbortSignal,
): Promise<number> => {
  const records = recordFile(args.out);
  const outcome = await planned.task({ assets: args.assets, signal, recordSink: records.sink }, env)();
  const closing = await records.close().then(
    () => undefined,
    (error: NodeJS.ErrnoException) => error,
  );
  const result = outcome._tag === "Right" ? outcome.right : outcome.left.partial;
  const unwritten = closing === undefined ? undefined : recordsUnwritten(args.out, closing);
  let summaryFailed = false;
  if (result) {
    if (args.summary)
      summaryFailed = !writeSummaryOr(term, unwritten === undefined ? result.summary : withRecordsUnwritten(result.summary, unwritten), args.summary);
    if (term.err.isTTY) term.err.write(`${summaryTable(result)}\n`);
  }
  if (outcome._tag === "Left") {
    printError(term, outcome.left);
    return EXIT.failed;
  }
  if (unwritten !== undefined) {
    term.err.write(`error ${unwritten.code}: ${unwritten.message}\n  hint: Check the disk and the path, then run again.\n`);
    return EXIT.failed;
  }
  return summaryFailed ? EXIT.failed : EXIT.complete;
};

/** Writes the summary; a failure (the disk filled since the run began) is printed with its fix, and false returned. */
const writeSummaryOr = (term: Terminal, summary: RunSummary, path: string): boolean => {
  try {
    writeSummary(summary, path);
    return true;
  } catch (error) {
    const code = errorCode(error, (error as Error).name);
    term.err.write(`error: could not write the summary to ${path} (${code}).\n  hint: Check the disk and the path, then run again.\n`);
    return false;
  }
};

/** The mark before a step of `verify`: passed, failed, or a fact shown for information. */
const MARKS: Readonly<Record<VerifyStep["outcome"], string>> = { passed: "✔", failed: "✘", info: "·" };

/**
 * The run `--credential` and `--options` describe, decoded with the probe's own codecs (the
 * credential with the codec of its kind) and checked against each other; undefined, with the
 * error printed, when they do not fit. A probe that takes no credential takes no `--credential`.
 */
const decodeRun = (
  probe: AnyProbe,
  args: { credential?: string | undefined; options?: string | undefined; mode: ProbeMode; siteId?: string | undefined },
  term: Terminal,
): PlannedRun | undefined => {
  const kinds = probe.credentialKinds;
  const wanted = kinds.map((spec) => spec.kind).join(", ");
  let credential: unknown = undefined;
  let credentialKind: string | null = null;
  if (kinds.length > 0 && args.credential === undefined) {
    printError(term, inputError([{ field: "--credential", problem: `${probe.title} needs a credential of kind ${wanted}` }], "arguments"));
    return undefined;
  }
  if (kinds.length === 0 && args.credential !== undefined) {
    printError(term, inputError([{ field: "--credential", problem: `${probe.title} takes no credential; leave --credential out` }], "arguments"));
    return undefined;
  }
  if (args.credential !== undefined) {
    const loaded = loadCredential(args.credential, process.env, kinds);
    if (loaded._tag === "Left") return (printError(term, loaded.left), undefined);
    credential = loaded.right;
    credentialKind = String(fieldsOf(credential)?.["kind"]);
  }
  const options = loadOptions(probe, args.options);
  if (options._tag === "Left") return (printError(term, options.left), undefined);
  const planned = plannedRunOf(probe, { mode: args.mode, credentialId: null, credentialKind, credential, options: options.right, scanSiteId: args.siteId });
  if (planned._tag === "Left") return (printError(term, inputError(planned.left, "options")), undefined);
  return planned.right;
};

/**
 * `scan-probe verify <probe>`: decodes the credential and options with the probe's codecs,
 * then runs its `verify` member (for defender365: sign-in, the roles in the token, one
 * small API call) and prints each step, with the fix under a failed one. Exit 0 when the
 * probe would work, 1 when a step failed, 2 for bad input or a probe without `verify`
 * (nothing sent).
 */
export const verifyCommand = async (
  probe: AnyProbe,
  args: { credential?: string | undefined; options?: string | undefined },
  env: ProbeEnv,
  term: Terminal,
): Promise<number> => {
  if (probe.verify === undefined) {
    term.err.write(`error ERR_INPUT: the ${probe.id} probe has no verify.\n  hint: Try it with scan-probe run ${probe.id} instead.\n`);
    return EXIT.badInput;
  }
  const planned = decodeRun(probe, { ...args, mode: "probe" }, term);
  if (planned === undefined) return EXIT.badInput;
  const report = await (planned.verify?.(env) ?? probe.verify({} as never, env))();
  const print = (step: VerifyStep) => {
    term.out.write(`  ${MARKS[step.outcome]} ${step.text}\n`);
    if (step.fix !== undefined) term.out.write(`    fix: ${step.fix}\n`);
  };

  if (report._tag === "Left") {
    printError(term, report.left);
    return report.left._tag === "InputError" ? EXIT.badInput : EXIT.failed;
  }
  term.out.write(`Checking ${probe.title}${report.right.subject === undefined ? "" : ` for ${report.right.subject}`}\n`);
  if (report.right.credential !== undefined) {
    print({ outcome: "info", text: `credential: ${report.right.credential}${args.credential === ENV_CREDENTIAL ? " (from the environment)" : ""}` });
  }
  for (const step of report.right.steps) print(step);
  if (report.right.conclusion !== undefined) term.out.write(`${report.right.conclusion}\n`);
  return report.right.ok ? EXIT.complete : EXIT.failed;
};
