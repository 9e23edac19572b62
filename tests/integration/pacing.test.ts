/**
 * Pacing over a long sync, on a compressed clock: 251 list calls against the simulated
 * tenant (real HTTPS, real msal) never exceed 100 calls in a minute of the probe's clock,
 * and the probe waited instead of meeting a 429.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { startHarness } from "./harness.js";
import { defender365 } from "../../src/probes/defender365/index.js";
import type { Clock } from "../../src/contract.js";

test("a 251-call sync is paced under 100 calls a minute (compressed clock) and meets no 429", async () => {
  let virtual = 0;
  const sends: number[] = [];
  const clock: Clock = {
    now: () => virtual,
    sleep: async (ms) => {
      virtual += ms; // time passes at once: an hour of pacing runs in seconds
    },
  };
  const h = await startHarness({ devices: 500, rateLimit: false }, { clock });
  try {
    const env = { ...h.env, http: h.env.http.extend({ hooks: { afterResponse: [(response) => (sends.push(virtual), response)] } }) }; // virtual time stands still on the wire: this is the send time, after pacing
    const outcome = await defender365.run(
      { mode: "connector", credential: h.credential(), options: h.options({ pageSize: 2, includeInactive: true }), assets: [] },
      env,
    )();
    assert.equal(outcome._tag, "Right");
    if (outcome._tag !== "Right") return;
    const calls = outcome.right.summary.http.requests;
    assert.ok(calls > 200, `${calls} calls`);
    assert.equal(outcome.right.summary.http.throttled, 0);
    let worst = 0;
    for (let i = 0, lo = 0; i < sends.length; i++) {
      while ((sends[i] ?? 0) - (sends[lo] ?? 0) >= 60_000) lo++;
      worst = Math.max(worst, i - lo + 1);
    }
    assert.ok(worst <= 100, `at most ${worst} calls in a minute`);
    assert.ok(virtual >= 2 * 60_000, `the sync took ${Math.round(virtual / 1000)} s of the probe's clock`);
  } finally {
    await h.tenant.close();
  }
});
