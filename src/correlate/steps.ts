/**
 * Long correlation passes written as generators that yield between their steps, so that the
 * same code runs straight through (`runSteps`) or with a pause between steps
 * (`runStepsPausing`, the event loop turning there).
 */

/** A computation cut into steps: it yields between them and returns its result. */
export type Steps<T> = Generator<void, T, void>;

/** Runs `steps` straight through and returns the result. */
export function runSteps<T>(steps: Steps<T>): T {
  for (let step = steps.next(); ; step = steps.next()) if (step.done === true) return step.value;
}

/** Runs `steps`, awaiting `pause()` at each yield; a pause that rejects stops them with its error. */
export async function runStepsPausing<T>(steps: Steps<T>, pause: () => Promise<void>): Promise<T> {
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done === true) return step.value;
    await pause();
  }
}
