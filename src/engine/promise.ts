/**
 * A Promise adapter for engines that do not use fp-ts: resolves with the result of a
 * complete run, rejects with a {@link ProbeRunError} (same `code`, `partial` attached).
 */
import type { Probe, ProbeEnv, ProbeInput, ProbeResult } from "../contract.js";
import { ProbeRunError } from "./errors.js";

/**
 * Runs `probe` (a typed probe value, as its folder exports it) with input of its own types and
 * returns a Promise. A planned run starts with `run.start` instead: a registry's probe has
 * its types hidden.
 */
export const runProbe = async <O, C>(probe: Probe<O, C>, input: ProbeInput<O, C>, env: ProbeEnv): Promise<ProbeResult> => {
  const outcome = await probe.run(input, env)();
  if (outcome._tag === "Left") throw new ProbeRunError(outcome.left);
  return outcome.right;
};
