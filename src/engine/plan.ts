/**
 * Engine helper: from a scan task's settings, the probe runs to perform, and for every
 * probe that will not run, why. Everything is decoded here, before any network call,
 * and each credential is checked against the options it runs with (`Probe.checkInput`:
 * e.g. the options may name only hosts the credential allows).
 *
 * Settings shape (JSON):
 * ```json
 * { "siteId": "site-1",
 *   "probes": { "Defender365": { "enabled": true, "options": { "includeInactive": false } } },
 *   "credentials": [ { "id": "azure-prod", "kind": "azure-client-secret", "MS365Defender": true,
 *                      "tenantId": "…", "clientId": "…", "clientSecret": "…" } ] }
 * ```
 */
import * as t from "io-ts";
import type { Either } from "fp-ts/lib/Either.js";
import { left, right } from "fp-ts/lib/Either.js";
import type { AnyProbe, ProbeMode } from "../contract.js";
import { CredentialCodec, type Credential } from "../credentials.js";
import { inputError, type InputError } from "../errors.js";
import { issuesOf, type FieldIssue } from "../decode.js";
import type { Registry } from "../registry.js";

/** Codec of a scan task's settings; probe options and credentials are decoded per probe. */
export const ScanTaskSettingsCodec = t.partial(
  {
    siteId: t.union([t.string, t.null]),
    probes: t.record(t.string, t.partial({ enabled: t.boolean, options: t.unknown })),
    credentials: t.array(t.intersection([t.type({ id: t.string }), t.record(t.string, t.unknown)])),
  },
  "ScanTaskSettings",
);

/** A run to perform: the probe, the credential it uses, and its decoded input (without assets and signal). */
export interface PlannedRun {
  /** The probe to run (from the registry). */
  readonly probe: AnyProbe;
  /** The `id` of the credential in the settings, for the task log. */
  readonly credentialId: string;
  /** The mode `planProbeRuns` was called with. */
  readonly mode: ProbeMode;
  /** The decoded credential. */
  readonly credential: Credential;
  /** Options decoded with the probe's codec, defaults merged (typed `unknown` here; the probe knows its type). */
  readonly options: unknown;
  /** The task's `siteId`, when set: new assets go there in probe mode. */
  readonly scanSiteId: string | undefined;
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
  /** One run per enabled probe and enabled credential, in registry order. */
  readonly runs: readonly PlannedRun[];
  /** Probes that will not run, each with a reason. */
  readonly skipped: readonly SkippedProbe[];
}

const prefixed = (prefix: string, issues: readonly FieldIssue[]): FieldIssue[] =>
  issues.map((i) => ({ field: i.field === "(root)" ? prefix : `${prefix}.${i.field}`, problem: i.problem }));

/**
 * Plans the probe runs of a scan task. Left: some setting is invalid (every problem named,
 * e.g. `credentials[1].clientId`). Right: the runs, one per enabled probe and credential.
 */
export const planProbeRuns = (settings: unknown, registry: Registry, mode: ProbeMode): Either<InputError, ProbePlan> => {
  const decoded = ScanTaskSettingsCodec.decode(settings);
  if (decoded._tag === "Left") return left(inputError(issuesOf(decoded.left), "scan task settings"));
  const { probes = {}, credentials = [], siteId } = decoded.right;
  const runs: PlannedRun[] = [];
  const skipped: SkippedProbe[] = [];
  const issues: FieldIssue[] = [];

  for (const probe of registry.list()) {
    const toggle = probes[probe.toggles.probe];
    if (toggle?.enabled !== true) {
      skipped.push({ probeId: probe.id, reason: `${probe.title} is off for this task (probes.${probe.toggles.probe}.enabled is not true).` });
      continue;
    }
    const options = probe.options.decode(toggle.options);
    if (options._tag === "Left") issues.push(...prefixed(`probes.${probe.toggles.probe}.options`, issuesOf(options.left)));

    const enabled = credentials.map((c, index) => ({ c, index })).filter(({ c }) => c[probe.toggles.credential] === true);
    if (enabled.length === 0) {
      skipped.push({
        probeId: probe.id,
        reason: `${probe.title} is on, but no credential has ${probe.toggles.credential} turned on: enable it on an Azure credential.`,
      });
      continue;
    }
    for (const { c, index } of enabled) {
      const field = `credentials[${index}]`;
      if (!(probe.credentialKinds as readonly unknown[]).includes(c["kind"])) {
        issues.push({
          field: `${field}.kind`,
          problem: `${probe.title} accepts ${probe.credentialKinds.join(" or ")} credentials; turn ${probe.toggles.credential} off on "${c.id}" or use another credential`,
        });
        continue;
      }
      const credential = CredentialCodec.decode(c);
      if (credential._tag === "Left") {
        issues.push(...prefixed(field, issuesOf(credential.left)));
        continue;
      }
      if (options._tag === "Right") {
        const misfits = probe.checkInput?.(credential.right, options.right) ?? [];
        if (misfits.length > 0) {
          issues.push(
            ...misfits.map((i) => ({ field: `probes.${probe.toggles.probe}.options.${i.field}`, problem: `with credential "${c.id}": ${i.problem}` })),
          );
          continue;
        }
        runs.push({ probe, credentialId: c.id, mode, credential: credential.right, options: options.right, scanSiteId: siteId ?? undefined });
      }
    }
  }
  return issues.length > 0 ? left(inputError(issues, "scan task settings")) : right({ runs, skipped });
};
