/**
 * The environment of one run: the process's {@link ProbeEnv}, with a task log that stamps
 * each event with the run it came from (probe, credential, run id), so that runs sharing one
 * sink can be told apart.
 */
import { randomUUID } from "node:crypto";
import type { ProbeEnv, ProbeInput, ProbeLogEvent } from "../contract.js";

/** A {@link ProbeEnv} as one run sees it. */
export interface RunContext extends Omit<ProbeEnv, "taskLog"> {
  /** The probe id. */
  readonly probe: string;
  /** The run's id: the input's, or a UUID. */
  readonly runId: string;
  /** The credential's id, or null. */
  readonly credentialId: string | null;
  /** Writes one event to the scan task's log, stamped with this run. */
  readonly taskLog: (event: ProbeLogEvent) => void;
}

/** The {@link RunContext} of a run of probe `probe` with `input`. */
export const runContext = (probe: string, input: Pick<ProbeInput<unknown>, "runId" | "credentialId">, env: ProbeEnv): RunContext => {
  const runId = input.runId ?? randomUUID();
  const credentialId = input.credentialId ?? null;
  return { ...env, probe, runId, credentialId, taskLog: (event) => env.taskLog({ ...event, probe, credentialId, runId }) };
};
