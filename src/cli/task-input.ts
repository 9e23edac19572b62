/**
 * `run --task FILE`: reads a scan task's settings (the JSON `planProbeRuns` reads, credentials
 * inline) and plans its runs, before any network call. A bad file is an {@link InputError}
 * naming each field (`credentials[1].clientSecret`) and the fix, never a value: the file
 * holds secrets inline.
 */
import type { Either } from "fp-ts/lib/Either.js";
import { left, right } from "fp-ts/lib/Either.js";
import type { ProbeMode } from "../contract.js";
import { inputError, type InputError } from "../engine/errors.js";
import { planProbeRuns, type ProbePlan } from "../engine/plan.js";
import type { Registry } from "../engine/registry.js";
import { INPUT_LIMITS, parseJson, readText } from "./inputs.js";

/** A task file's plan, and the values no output may show. */
export interface TaskPlan {
  /** The runs to perform and the probes that will not run, with why. */
  readonly plan: ProbePlan;
  /** Of `plan.skipped`, the probes the task turns on that will not run anyway (no credential enabled for them): worth telling. */
  readonly enabledNotRun: ProbePlan["skipped"];
  /** Every string in the task's credentials other than their `id` and `kind`: secrets, wherever they sit. */
  readonly secrets: readonly string[];
}

/** The fields of a credential that name it rather than hold it: shown in the task log, never redacted. */
const NAMING_FIELDS: ReadonlySet<string> = new Set(["id", "kind"]);

/** Every string inside `value` (nested objects and arrays included). */
const stringsIn = (value: unknown): string[] => {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (typeof value === "object" && value !== null) return Object.values(value).flatMap(stringsIn);
  return [];
};

/**
 * The values of a task's settings that are secret: every string in every credential, other
 * than its `id` and `kind` (toggles are booleans). A tenant id or an API host is treated as
 * secret too: the task file does not say which fields a credential kind considers secret.
 */
export const taskSecrets = (settings: unknown): string[] => {
  const credentials =
    typeof settings === "object" && settings !== null && !Array.isArray(settings) ? (settings as Record<string, unknown>)["credentials"] : undefined;
  if (!Array.isArray(credentials)) return [];
  const found = new Set<string>();
  for (const credential of credentials) {
    if (typeof credential !== "object" || credential === null || Array.isArray(credential)) continue;
    for (const [field, value] of Object.entries(credential as Record<string, unknown>))
      if (!NAMING_FIELDS.has(field)) for (const s of stringsIn(value)) found.add(s);
  }
  return [...found];
};

/**
 * Reads the task file at `path` and plans its runs in `mode` with `registry`'s probes. Left:
 * the file cannot be read, is not JSON, a setting is invalid (each field named), or no probe
 * would run (each probe's reason given).
 */
export const loadTaskPlan = (path: string, registry: Registry, mode: ProbeMode): Either<InputError, TaskPlan> => {
  const text = readText(path, "--task", INPUT_LIMITS.task);
  if (text._tag === "Left") return text;
  const json = parseJson(text.right, "--task", path);
  if (json._tag === "Left") return json;
  const planned = planProbeRuns(json.right, registry, mode);
  if (planned._tag === "Left") return left({ ...planned.left, message: planned.left.message.replace("scan task settings", `scan task settings (${path})`) });
  const { runs, skipped } = planned.right;
  if (runs.length === 0)
    return left(
      inputError(
        skipped.length > 0
          ? skipped.map((s) => ({ field: `probes (${s.probeId})`, problem: s.reason }))
          : [{ field: "probes", problem: "the registry holds no probe: nothing to run" }],
        `scan task settings (${path}): no probe would run`,
      ),
    );
  const enabled = (probeId: string): boolean => {
    const toggle = registry.get(probeId)?.toggles.probe;
    const probes = (json.right as { probes?: Record<string, { enabled?: unknown }> }).probes ?? {};
    return toggle !== undefined && Object.hasOwn(probes, toggle) && probes[toggle]?.enabled === true;
  };
  return right({ plan: planned.right, enabledNotRun: skipped.filter((s) => enabled(s.probeId)), secrets: taskSecrets(json.right) });
};
