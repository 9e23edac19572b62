/**
 * The `run` and `verify` commands. Input is decoded before any network call; a failure is
 * printed as one message and a hint, never a stack trace, never a secret.
 */
import type { AnyProbe, ProbeEnv, ProbeMode, RunSummary } from "../contract.js";
import type { PlannedRun } from "../engine/plan.js";
import type { ScannedAsset } from "../assets.js";
import { inputError, type ProbeError } from "../errors.js";
import { AZURE_CREDENTIAL_KINDS, clientIdOf, describeSource, whatIsSent, type Credential } from "../azure/credentials.js";
import { fieldsOf } from "../credential-kinds.js";
import { plannedRunOf } from "../engine/plan.js";
import type { Defender365Options } from "../probes/defender365/options.js";
import { resolveEndpoints } from "../probes/defender365/endpoints.js";
import { classifyApiError } from "../probes/defender365/api-errors.js";
import { MACHINE_READ_ROLES, readErrorBody } from "../probes/defender365/api-errors.js";
import { HTTPError } from "got";
import { pageUrl } from "../probes/defender365/pages.js";
import { checkDistinct, checkWritable, ENV_CREDENTIAL, errorCode, loadAssets, loadCredential, loadOptions } from "./inputs.js";
import { recordFile, summaryTable, writeSummary } from "./output.js";

/** Exit codes: the CLI's contract with engines and scripts. */
export const EXIT = { complete: 0, failed: 1, badInput: 2 } as const;

/** Where the CLI writes text for people. */
export interface Terminal {
  readonly err: NodeJS.WriteStream;
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
  readonly credential: string;
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
  const credential = loadCredential(args.credential);
  const options = loadOptions(probe, args.options);
  const assets = loadAssets(args.assets);
  for (const decoded of [credential, options, assets]) {
    if (decoded._tag === "Left") {
      printError(term, decoded.left);
      return EXIT.badInput;
    }
  }
  if (credential._tag === "Left" || options._tag === "Left" || assets._tag === "Left") return EXIT.badInput;
  const kind = String(fieldsOf(credential.right)?.["kind"]);
  if (!probe.credentialKinds.some((spec) => spec.kind === kind)) {
    term.err.write(
      `error ERR_INPUT: ${probe.title} does not accept ${kind} credentials (it accepts ${probe.credentialKinds.map((spec) => spec.kind).join(", ")}).\n`,
    );
    return EXIT.badInput;
  }
  // Decoded with the codec of its kind (the registry holds one per kind) and the probe's options codec.
  const planned = plannedRunOf(probe, {
    mode: args.mode,
    credentialId: null,
    credentialKind: kind,
    credential: credential.right,
    options: options.right,
    scanSiteId: args.siteId,
  });
  if (planned._tag === "Left") return (printError(term, inputError(planned.left, "options")), EXIT.badInput);
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
    return await runAndWrite(planned.right, { ...args, assets: assets.right }, env, term, controller.signal);
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
  let summaryFailed = false;
  if (result) {
    if (args.summary) summaryFailed = !writeSummaryOr(term, result.summary, args.summary);
    if (term.err.isTTY) term.err.write(`${summaryTable(result)}\n`);
  }
  if (outcome._tag === "Left") {
    printError(term, outcome.left);
    return EXIT.failed;
  }
  if (closing !== undefined) {
    term.err.write(
      `error ERR_RECORD_SINK: could not finish writing the records to ${args.out ?? "stdout"} (${closing.code ?? closing.name}).\n  hint: Check the disk and the path, then run again.\n`,
    );
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

/**
 * `scan-probe verify <probe>`: signs in, shows the roles in the token, makes one small API
 * call, and says plainly what is wrong. Exit 0 when the probe would work.
 */
export const verifyCommand = async (
  probe: AnyProbe,
  args: { credential: string; options?: string | undefined },
  env: ProbeEnv,
  term: Terminal,
): Promise<number> => {
  const credential = loadCredential(args.credential, process.env, AZURE_CREDENTIAL_KINDS);
  if (credential._tag === "Left") return (printError(term, credential.left), EXIT.badInput);
  const decodedOptions = loadOptions(probe, args.options);
  if (decodedOptions._tag === "Left") return (printError(term, decodedOptions.left), EXIT.badInput);
  const c: Credential = credential.right;
  const endpoints = resolveEndpoints(c, decodedOptions.right as Defender365Options);
  if (endpoints._tag === "Left") return (printError(term, inputError(endpoints.left, "options")), EXIT.badInput);
  const options = endpoints.right;
  const line = (ok: boolean | null, text: string) => term.out.write(`${ok === null ? "  ·" : ok ? "  ✔" : "  ✘"} ${text}\n`);

  term.out.write(`Checking ${probe.title} for tenant ${c.tenantId}, app ${clientIdOf(c)} (${c.kind})\n`);
  line(null, `credential: ${describeSource(c)}${args.credential === ENV_CREDENTIAL ? " (from the environment)" : ""}`);
  const from = (source: string) => (source === "cloud preset" ? "the cloud preset's" : `named by the ${source}`);
  const sent = whatIsSent(c);
  const cloud = `cloud ${options.cloud}${options.sources.cloud === "cloud preset" ? ", the default" : `, named by the ${options.sources.cloud}`}`;
  line(
    null,
    sent === null
      ? `no secret is sent: the host's managed identity endpoint signs in (${cloud})`
      : `${sent} goes to ${options.authorityHost} (${from(options.sources.authorityHost)}; ${cloud})`,
  );
  line(null, `the token goes to ${options.apiBaseUrl} (${from(options.sources.apiBaseUrl)}); scope ${options.scope}`);
  const tokens = env.tokens({ credential: c, authorityHost: options.authorityHost, scope: options.scope });
  const token = await tokens.getToken()();
  if (token._tag === "Left") {
    line(false, `sign-in: ${token.left.message}`);
    term.out.write(`    fix: ${token.left.hint}\n`);
    return EXIT.failed;
  }
  const { roles, audience } = token.right.claims;
  line(true, `signed in; token issued for ${audience ?? "(unreadable audience)"}`);
  const hasRole = roles.some((r) => (MACHINE_READ_ROLES as readonly string[]).includes(r));
  line(hasRole, `roles in the token: ${roles.length > 0 ? roles.join(", ") : "none"}${hasRole ? "" : " — Machine.Read.All is missing"}`);

  try {
    await env.budgets.for(c.tenantId, clientIdOf(c)).take();
    const body = await env.http
      .get(pageUrl({ apiBaseUrl: options.apiBaseUrl, pageSize: 1 }, 0), { headers: { authorization: `Bearer ${token.right.token}` }, retry: { limit: 1 } })
      .json<{ value?: unknown[] }>();
    line(true, `API reached: GET /api/machines?$top=1 answered with ${Array.isArray(body.value) ? body.value.length : 0} device(s)`);
  } catch (error) {
    if (error instanceof HTTPError && error.response.statusCode === 404 && readErrorBody(error.response.body) !== null) {
      line(true, "API reached: the tenant has no machines yet (404 on the list)");
      return hasRole ? EXIT.complete : EXIT.failed;
    }
    const e = classifyApiError(error, { claims: token.right.claims, apiBaseUrl: options.apiBaseUrl, secrets: tokens.secrets(), retryLimit: 1 });
    line(false, `API call: ${e.message}`);
    term.out.write(`    fix: ${e.hint}\n`);
    return EXIT.failed;
  }
  term.out.write(
    hasRole ? "All checks passed: the probe can read this tenant's devices.\n" : "The API answered, but grant Machine.Read.All before relying on it.\n",
  );
  return hasRole ? EXIT.complete : EXIT.failed;
};
