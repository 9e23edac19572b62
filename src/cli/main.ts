/**
 * `scan-probe`: run a probe, verify a credential, or see the demo on a simulated tenant.
 * Exit 0: complete. 1: sign-in or API failure, or a partial run. 2: bad input (nothing was
 * sent). Never prints a stack trace or a secret.
 */
import { parseArgs } from "node:util";
import type { AnyProbe } from "../contract.js";
import { createEnvironment } from "../runtime/environment.js";
import { defaultRegistry, type Registry } from "../engine/registry.js";
import { EXIT, runCommand, verifyCommand, type CancelOn, type Terminal } from "./commands.js";
import { demoCommand } from "./demo.js";
import { reportCommand } from "./report.js";
import { taskCommand } from "./task.js";
import { cliTaskLog } from "./progress.js";
import { COMMAND_HELP, probeIds, usage } from "./help.js";

class UsageError extends Error {}

/** The registry's probe named `id`; a usage error naming the known ones when there is none. */
const probeNamed = (registry: Registry, id: string | undefined): AnyProbe => {
  if (id === undefined) throw new UsageError(`name the probe, one of: ${probeIds(registry)} (or give --task FILE to run every probe of a scan task)`);
  const probe = registry.get(id);
  if (probe === undefined) throw new UsageError(`unknown probe "${id}"; known: ${probeIds(registry)}`);
  return probe;
};

type Flags = Record<string, { type: "string" | "boolean"; short?: string }>;

/**
 * The command's flags and up to `positionals` arguments (the probe's name, for run and
 * verify). An argument past those, or a flag given twice, is refused: either would otherwise
 * be dropped without a word (the last of two values taken, a stray word ignored).
 */
const parse = (args: string[], flags: Flags, positionals = 0): { values: Record<string, string | boolean | undefined>; positionals: string[] } => {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...flags, help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true, tokens: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ""));
  }
  const extra = parsed.positionals[positionals];
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"; see --help`);
  const given = new Set<string>();
  for (const token of parsed.tokens) {
    if (token.kind !== "option") continue;
    if (given.has(token.name)) throw new UsageError(`--${token.name} is given twice; give it once`);
    given.add(token.name);
  }
  return { values: parsed.values, positionals: parsed.positionals };
};

/** Refuses a flag given an empty value (`--site ""`, an unset shell variable): it would mean "none" silently. */
const noneEmpty = (values: Readonly<Record<string, string | boolean | undefined>>): void => {
  for (const [name, value] of Object.entries(values)) if (value === "") throw new UsageError(`--${name} is empty; give a value or leave the flag out`);
};

/** The signals that cancel a run: Ctrl-C, a service manager's stop, and a closed terminal or SSH session. */
const CANCELLING_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/** Cancels on {@link CANCELLING_SIGNALS}; handlers stay (`on`, not `once`) so that a repeated signal cannot cut the writing short. */
const onSignals: CancelOn = (stop) => {
  for (const signal of CANCELLING_SIGNALS) process.on(signal, stop);
  return () => {
    for (const signal of CANCELLING_SIGNALS) process.off(signal, stop);
  };
};

const optional = (value: string | boolean | undefined): string | undefined => (typeof value === "string" ? value : undefined);

const required = (value: unknown, flag: string): string => {
  if (typeof value !== "string" || value.length === 0) throw new UsageError(`${flag} is required`);
  return value;
};

/** What {@link main} works with; every member has a default. */
export interface CliOptions {
  /**
   * The probes `run`, `verify`, `list`, `report` and the help know; default
   * {@link defaultRegistry}. An engine that adds its own probes passes its registry here.
   */
  readonly registry?: Registry | undefined;
  /** Where text goes; default the process's stdout and stderr. */
  readonly term?: Terminal | undefined;
}

/**
 * Runs the CLI with `argv` (without node and script) and returns the exit code (see
 * {@link EXIT}); never throws. `bin.ts` calls it with the process's arguments; an engine
 * that ships its own probes calls it with its registry: `main(argv, { registry })`.
 */
export const main = async (argv: readonly string[], options: CliOptions = {}): Promise<number> => {
  const registry = options.registry ?? defaultRegistry;
  const term = options.term ?? { out: process.stdout, err: process.stderr };
  const overview = usage(registry);
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "run": {
        const { values, positionals } = parse(
          rest,
          {
            credential: { type: "string" },
            options: { type: "string" },
            assets: { type: "string" },
            mode: { type: "string" },
            out: { type: "string" },
            summary: { type: "string" },
            site: { type: "string" },
            task: { type: "string" },
          },
          1,
        );
        if (values.help) return (term.out.write(`${COMMAND_HELP[command] ?? overview}\n`), EXIT.complete);
        noneEmpty(values);
        const mode = optional(values.mode) ?? "connector";
        if (mode !== "connector" && mode !== "probe") throw new UsageError(`--mode must be connector or probe (got "${mode}")`);
        // Standard output carries the records (`--out -`, the default): the summary needs a file of its own.
        if (values.summary === "-") throw new UsageError("--summary - is not supported: standard output carries the records; give the summary a file name");
        if (values.task !== undefined) {
          const task = required(values.task, "--task");
          if (positionals[0] !== undefined)
            throw new UsageError(`--task and <probe> ("${positionals[0]}") are mutually exclusive: the task file names its probes; give one or the other`);
          for (const flag of ["credential", "options", "site"] as const)
            if (values[flag] !== undefined)
              throw new UsageError(
                `--task and --${flag} are mutually exclusive: the task file holds its ${{ credential: "credentials", options: "probes' options", site: "siteId" }[flag]}`,
              );
          return await taskCommand(
            { task, assets: optional(values.assets), mode, out: optional(values.out), summary: optional(values.summary) },
            registry,
            (settings) => createEnvironment(settings),
            term,
            onSignals,
          );
        }
        if (values.site !== undefined && mode !== "probe")
          throw new UsageError("--site is for --mode probe (inside a scan); in connector mode new assets go to the siteId option");
        const probe = probeNamed(registry, positionals[0]);
        const env = createEnvironment({ taskLog: cliTaskLog(term.err) });
        return await runCommand(
          probe,
          {
            credential: probe.credentialKinds.length > 0 ? required(values.credential, "--credential") : optional(values.credential),
            options: optional(values.options),
            assets: optional(values.assets),
            mode,
            out: optional(values.out),
            summary: optional(values.summary),
            siteId: optional(values.site),
          },
          env,
          term,
          onSignals,
        );
      }
      case "verify": {
        const { values, positionals } = parse(rest, { credential: { type: "string" }, options: { type: "string" } }, 1);
        if (values.help) return (term.out.write(`${COMMAND_HELP[command] ?? overview}\n`), EXIT.complete);
        noneEmpty(values);
        const probe = probeNamed(registry, positionals[0]);
        return await verifyCommand(probe, { credential: optional(values.credential), options: optional(values.options) }, createEnvironment(), term);
      }
      case "list": {
        if (parse(rest, {}).values.help) return (term.out.write(`${COMMAND_HELP["list"]}\n`), EXIT.complete);
        for (const probe of registry.list()) {
          term.out.write(`${probe.id}  ${probe.title}\n  credentials: ${probe.credentialKinds.map((spec) => spec.kind).join(", ") || "none"}\n  options:\n`);
          const width = Math.max(16, ...Object.keys(probe.optionDocs).map((name) => name.length));
          for (const [name, doc] of Object.entries(probe.optionDocs)) term.out.write(`    ${name.padEnd(width)}  ${doc}\n`);
        }
        return EXIT.complete;
      }
      case "demo": {
        const { values } = parse(rest, { devices: { type: "string" } });
        if (values.help) return (term.out.write(`${COMMAND_HELP[command] ?? overview}\n`), EXIT.complete);
        noneEmpty(values);
        const devices = values.devices === undefined ? undefined : Number(optional(values.devices));
        if (devices !== undefined && !(Number.isInteger(devices) && devices > 0 && devices <= 1_000_000))
          throw new UsageError("--devices must be a whole number from 1 to 1000000");
        return await demoCommand(term, { devices });
      }
      case "report": {
        const { values } = parse(rest, { records: { type: "string" }, summary: { type: "string" }, assets: { type: "string" }, out: { type: "string" } });
        if (values.help) return (term.out.write(`${COMMAND_HELP[command] ?? overview}\n`), EXIT.complete);
        noneEmpty(values);
        return await reportCommand(
          {
            records: required(values.records, "--records"),
            summary: required(values.summary, "--summary"),
            assets: optional(values.assets),
            out: optional(values.out) ?? "report.html",
          },
          registry,
          term,
        );
      }
      case undefined:
      case "help":
      case "--help":
      case "-h":
        term.out.write(`${overview}\n`);
        return command === undefined ? EXIT.badInput : EXIT.complete;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      term.err.write(`scan-probe: ${error.message}\n\n${overview}\n`);
      return EXIT.badInput;
    }
    term.err.write(`scan-probe: unexpected failure (${(error as Error).name}: ${(error as Error).message}). Run with DEBUG=scan-probes:* and report it.\n`);
    return EXIT.failed;
  }
};
