/**
 * Pacing under the Defender API's documented limits (100 calls a minute and 1,500 an hour
 * per application and tenant), so that a long sync waits its turn instead of running into
 * 429s. One budget per (tenant, app), shared by every run in the process.
 *
 * Vendor doc: https://learn.microsoft.com/defender-endpoint/api/get-machines (Limitations)
 */
import type { Clock, RateBudget, RateBudgets, Window } from "../../contract.js";

export type { RateBudget, RateBudgets, Window } from "../../contract.js";

/** The documented machine-list limits, with one second of slack per window for clock skew. */
export const DEFENDER_LIMITS: readonly Window[] = [
  { calls: 100, ms: 61_000 },
  { calls: 1_500, ms: 3_601_000 },
];

/** Creates a budget over `windows`, timed by `clock`. */
export const createRateBudget = (clock: Clock, windows: readonly Window[] = DEFENDER_LIMITS): RateBudget => {
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

/** Creates the per-(tenant, app) registry of budgets. */
export const createRateBudgets = (clock: Clock, windows: readonly Window[] = DEFENDER_LIMITS): RateBudgets => {
  const budgets = new Map<string, RateBudget>();
  return {
    for(tenantId, clientId) {
      const key = `${tenantId}/${clientId}`;
      let budget = budgets.get(key);
      if (budget === undefined) {
        budget = createRateBudget(clock, windows);
        budgets.set(key, budget);
      }
      return budget;
    },
  };
};
