/**
 * A Promise adapter for engines that do not use fp-ts: resolves with the result of a
 * complete run, rejects with a {@link ProbeRunError} (same `code`, `partial` attached).
 */
import type { Probe, ProbeEnv, ProbeInput, ProbeResult } from "../contract.js";
import { ProbeRunError } from "../errors.js";

/** Runs `probe` and returns a Promise. */
export const runProbe = async <O>(probe: Probe<O>, input: ProbeInput<O>, env: ProbeEnv): Promise<ProbeResult> => {
  const outcome = await probe.run(input, env)();
  if (outcome._tag === "Left") throw new ProbeRunError(outcome.left);
  return outcome.right;
};
