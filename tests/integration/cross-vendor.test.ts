/**
 * "Missing EDR" across vendors, through the library as an engine uses it: one scanned
 * network, a simulated Microsoft tenant (Defender on the Windows clients) and a simulated
 * Falcon cloud (servers, Macs and Linux, some hosts running both). A scan task with only
 * Defender calls the servers Falcon protects `missing`; the same task with CrowdStrike also on
 * calls them `protected` through Falcon, with nothing else changed: same assets, same
 * tenant, same Defender credential and options.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { combineRuns, type CombinedRuns } from "../../src/engine/combine.js";
import { planProbeRuns } from "../../src/engine/plan.js";
import { defaultRegistry } from "../../src/engine/registry.js";
import type { ScannedAsset } from "../../src/engine/assets.js";
import { createEnvironment } from "../../src/runtime/environment.js";
import type { RunSummary } from "../../src/contract.js";
import { generateTenant, startSimulatedFalcon, startSimulatedTenant, type SimulatedFalcon, type SimulatedTenant } from "../../src/simulator/index.js";

const SEED = 11;
const DEVICES = 800;
const generated = generateTenant({ seed: SEED, devices: DEVICES, assets: true });
const assets = generated.assets as ScannedAsset[];
let tenant: SimulatedTenant;
let falcon: SimulatedFalcon;

before(async () => {
  tenant = await startSimulatedTenant({ seed: SEED, devices: DEVICES });
  falcon = await startSimulatedFalcon({ seed: SEED, tenant: generated });
});
after(async () => {
  await falcon.close();
  await tenant.close();
});

/** The scan task: Defender on, CrowdStrike on when `withFalcon`, both credentials inline. */
const taskSettings = (withFalcon: boolean) => ({
  siteId: "hq",
  probes: {
    Defender365: { enabled: true, options: { apiBaseUrl: tenant.apiBaseUrl, authorityHost: tenant.authorityHost } },
    CrowdStrike: { enabled: withFalcon },
  },
  credentials: [
    { id: "microsoft", MS365Defender: true, ...tenant.credential("azure-client-secret") },
    { id: "falcon", CrowdStrike: true, ...falcon.credential() },
  ],
});

/** Runs a scan task with Defender, and with CrowdStrike when `withFalcon`; resolves with the combined summary. */
const scan = async (withFalcon: boolean): Promise<CombinedRuns> => {
  const plan = planProbeRuns(taskSettings(withFalcon), defaultRegistry, "probe");
  if (plan._tag === "Left") throw new Error(`the task does not plan: ${JSON.stringify(plan.left)}`);
  assert.deepEqual(
    plan.right.runs.map((run) => run.probe.id),
    withFalcon ? ["defender365", "crowdstrike"] : ["defender365"],
  );
  const env = createEnvironment({ extraCaPem: `${tenant.caPem}\n${falcon.caPem}`, proxy: () => undefined });
  const summaries: RunSummary[] = await Promise.all(plan.right.runs.map(async (run) => (await run.start({ assets }, env)).summary));
  return combineRuns(summaries);
};

test("servers a Defender-only scan calls missing are protected through Falcon once CrowdStrike is on, nothing else changed", async () => {
  const defenderOnly = await scan(false);
  const both = await scan(true);
  assert.equal(defenderOnly.complete, true);
  assert.equal(both.complete, true);
  const alone = defenderOnly.coverage["edr"];
  const combined = both.coverage["edr"];
  assert.ok(alone !== undefined && combined !== undefined);

  // The assets the simulator knows Falcon alone protects, as the Defender-only scan saw them.
  const onlyFalcon = falcon.truth.protectedOnlyByFalcon.filter((id) => alone.byAsset[id] === "missing");
  assert.ok(onlyFalcon.length >= 10, `expected a good number of Falcon-only assets, got ${onlyFalcon.length}`);
  for (const id of onlyFalcon) {
    assert.equal(combined.byAsset[id], "protected", `asset ${id}`);
    assert.deepEqual(combined.vendorsByAsset[id], ["crowdstrike"], `asset ${id}`);
  }
  // Turning CrowdStrike on only ever adds protection: nothing Defender protected changes, no asset becomes missing.
  for (const asset of assets) {
    const aloneVerdict: string | undefined = alone.byAsset[asset.id];
    const combinedVerdict: string | undefined = combined.byAsset[asset.id];
    if (aloneVerdict === "protected") assert.equal(combinedVerdict, "protected", `asset ${asset.id}`);
    if (aloneVerdict !== "missing") assert.notEqual(combinedVerdict, "missing", `asset ${asset.id}`);
  }
  assert.equal(combined.missing, alone.missing - assets.filter((a) => alone.byAsset[a.id] === "missing" && combined.byAsset[a.id] !== "missing").length);
  assert.ok(combined.missing <= alone.missing - onlyFalcon.length);

  // Against the simulators' truth of both vendors, the combined verdicts are as right as the Defender-only ones were against Defender's.
  const right = (byAsset: Readonly<Record<string, string>>, truthOf: (id: string) => string | undefined) =>
    assets.filter((a) => byAsset[a.id] === truthOf(a.id)).length / assets.length;
  const aloneRight = right(alone.byAsset, (id) => generated.truth.assets[id]?.verdict);
  const combinedRight = right(combined.byAsset, (id) => falcon.truth.assets[id]?.combinedVerdict);
  assert.ok(combinedRight > 0.97, `combined verdicts right: ${combinedRight}`);
  assert.ok(combinedRight >= aloneRight - 0.01, `combined ${combinedRight}, Defender alone ${aloneRight}`);
});

test("a Falcon run that fails leaves the assets it would have covered unknown, never missing", async () => {
  falcon.setFaults([{ kind: "status", status: 500, repeat: true, path: "/devices/combined/devices/v1" }]);
  try {
    const plan = planProbeRuns(taskSettings(true), defaultRegistry, "probe");
    if (plan._tag === "Left") throw new Error(JSON.stringify(plan.left));
    const env = createEnvironment({ extraCaPem: `${tenant.caPem}\n${falcon.caPem}`, proxy: () => undefined, backoffLimitMs: 50 });
    const summaries = await Promise.all(
      plan.right.runs.map(async (run) => {
        try {
          return (await run.start({ assets }, env)).summary;
        } catch (error) {
          const partial = (error as { partial?: { summary: RunSummary } }).partial;
          assert.ok(partial !== undefined, "a failed run still gives its partial summary");
          return partial.summary;
        }
      }),
    );
    const combined = combineRuns(summaries);
    assert.equal(combined.complete, false);
    assert.equal(combined.coverage["edr"]?.missing, 0);
    assert.ok((combined.coverage["edr"]?.unknown ?? 0) > 0);
  } finally {
    falcon.setFaults([]);
  }
});
