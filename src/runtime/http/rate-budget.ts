/**
 * Pacing under a source's documented request limits (sliding windows), so that a long sync
 * waits its turn instead of running into 429s. One budget per account at a service, shared by
 * every run in the process.
 */
import type { Clock, RateBudget, RateBudgets, Window } from "../../contract.js";

export type { RateBudget, RateBudgets, Window } from "../../contract.js";

/** Creates a budget over `windows`, timed by `clock`. */
export const createRateBudget = (clock: Clock, windows: readonly Window[]): RateBudget => {
  const longest = Math.max(...windows.map((w) => w.ms));
  const sent: number[] = []; // send times, oldest first
  let queue: Promise<void> = Promise.resolve();

  const waitMs = (): number => {
    const now = clock.now();
    while (sent.length > 0 && (sent[0] ?? 0) <= now - longest) sent.shift();
    let wait = 0;
    for (const w of windows) {
      const inWindow = sent.filter((t) => t > now - w.ms);
      if (inWindow.length >= w.calls) {
        const oldestThatMustLeave = inWindow[inWindow.length - w.calls] ?? now;
        wait = Math.max(wait, oldestThatMustLeave + w.ms - now);
      }
    }
    return wait;
  };

  const takeNow = async (signal?: AbortSignal): Promise<void> => {
    for (let wait = waitMs(); wait > 0; wait = waitMs()) await clock.sleep(wait, signal);
    sent.push(clock.now());
  };

  return {
    waitMs,
    take(signal) {
      const next = queue.then(() => takeNow(signal));
      queue = next.catch(() => undefined);
      return next;
    },
  };
};

/**
 * Creates the registry of budgets: each paced by the limits its first user names, or, when
 * `everyBudget` is given, by those (tests and benchmarks compress or lift the limits so).
 */
export const createRateBudgets = (clock: Clock, everyBudget?: readonly Window[]): RateBudgets => {
  const budgets = new Map<string, RateBudget>();
  return {
    for(service, account, limits = []) {
      const key = `${service}/${account}`;
      let budget = budgets.get(key);
      if (budget === undefined) {
        budget = createRateBudget(clock, everyBudget ?? limits);
        budgets.set(key, budget);
      }
      return budget;
    },
  };
};
