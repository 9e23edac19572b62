import { test } from "node:test";
import assert from "node:assert/strict";
import { createRateBudget, createRateBudgets } from "../../../src/runtime/http/rate-budget.js";
import { DEFENDER_LIMITS } from "../../../src/probes/defender365/rate-limits.js";
import type { Clock } from "../../../src/contract.js";

/** A clock whose sleeps advance time at once: an hour of pacing runs in milliseconds. */
const compressedClock = () => {
  let now = 0;
  const clock: Clock & { slept: number } = {
    slept: 0,
    now: () => now,
    sleep: async (ms) => {
      now += ms;
      clock.slept += ms;
    },
  };
  return clock;
};

test("the budget lets 100 calls through in a minute, then waits for the window", async () => {
  const clock = compressedClock();
  const budget = createRateBudget(clock, DEFENDER_LIMITS);
  for (let i = 0; i < 100; i++) await budget.take();
  assert.equal(clock.now(), 0, "the first 100 calls go at once");
  await budget.take();
  assert.ok(clock.now() >= 60_000, `call 101 waited ${clock.now()} ms`);
});

test("a long sync of 2,000 calls never passes 100/min or 1,500/h (compressed clock)", async () => {
  const clock = compressedClock();
  const budget = createRateBudget(clock, DEFENDER_LIMITS);
  const sent: number[] = [];
  for (let i = 0; i < 2_000; i++) {
    await budget.take();
    sent.push(clock.now());
  }
  let maxPerMinute = 0;
  let maxPerHour = 0;
  let lo = 0;
  let loH = 0;
  for (let hi = 0; hi < sent.length; hi++) {
    while ((sent[hi] ?? 0) - (sent[lo] ?? 0) >= 60_000) lo++;
    while ((sent[hi] ?? 0) - (sent[loH] ?? 0) >= 3_600_000) loH++;
    maxPerMinute = Math.max(maxPerMinute, hi - lo + 1);
    maxPerHour = Math.max(maxPerHour, hi - loH + 1);
  }
  assert.ok(maxPerMinute <= 100, `max ${maxPerMinute} calls in a minute`);
  assert.ok(maxPerHour <= 1_500, `max ${maxPerHour} calls in an hour`);
  assert.ok(clock.now() >= 3_600_000, "call 1,501 had to wait for the hour window");
});

test("an aborted wait rejects and records nothing", async () => {
  const clock: Clock = {
    now: () => 0,
    sleep: (_ms, signal) =>
      new Promise((_r, reject) => (signal?.aborted ? reject(signal.reason) : signal?.addEventListener("abort", () => reject(signal.reason)))),
  };
  const budget = createRateBudget(clock, [{ calls: 1, ms: 1_000 }]);
  await budget.take();
  const controller = new AbortController();
  const waiting = budget.take(controller.signal);
  controller.abort(new Error("stop"));
  await assert.rejects(waiting, /stop/);
});

test("budgets are per tenant and app", () => {
  const clock = compressedClock();
  const budgets = createRateBudgets(clock, DEFENDER_LIMITS);
  assert.equal(budgets.for("t", "a"), budgets.for("t", "a"));
  assert.notEqual(budgets.for("t", "a"), budgets.for("t", "b"));
});

test("a budget is paced by the limits its source names, unless the environment paces every budget by its own", async () => {
  const clock = compressedClock();
  const fromSource = createRateBudgets(clock);
  const paced = fromSource.for("tenant", "app", [{ calls: 1, ms: 60_000 }]);
  await paced.take();
  assert.ok(paced.waitMs() > 0, "the source's limit of one call a minute holds the next call back");
  const unpaced = fromSource.for("api.acme.example", "key");
  await unpaced.take();
  assert.equal(unpaced.waitMs(), 0, "a source that names no limits is not paced");
  const lifted = createRateBudgets(clock, [{ calls: 1_000, ms: 60_000 }]).for("tenant", "app", [{ calls: 1, ms: 60_000 }]);
  await lifted.take();
  assert.equal(lifted.waitMs(), 0, "the environment's limits replace the source's");
});
