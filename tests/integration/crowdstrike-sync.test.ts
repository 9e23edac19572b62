/**
 * The CrowdStrike probe over real HTTPS against a simulated Falcon customer: both listing
 * paths (combined, and scroll + entities on GovCloud or when combined is not there), the
 * verdicts against the simulator's truth, inactive hosts, and the region redirect.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { ProbeResult } from "../../src/contract.js";
import { startFalconHarness, startFalconHarnessWithAssets } from "./falcon-harness.js";

const COMBINED = "GET /devices/combined/devices/v1";
const SCROLL = "GET /devices/queries/devices-scroll/v1";
const ENTITIES = "POST /devices/entities/devices/v2";

const complete = (result: Awaited<ReturnType<Awaited<ReturnType<typeof startFalconHarness>>["run"]>>): ProbeResult => {
  if (result._tag === "Left") assert.fail(`the run failed: ${result.left.code} ${result.left.message}`);
  assert.equal(result.right.summary.complete, true);
  return result.right;
};

test("combined listing: the fewest calls, every host once, verdicts as the truth says (correlation's IP-only refusals aside)", async () => {
  const { h, assets } = await startFalconHarnessWithAssets(7, 300);
  try {
    const result = complete(await h.run({ assets }));
    assert.equal(h.falcon.stats.byEndpoint[COMBINED], 1, "one call for every host (pageSize 10,000)");
    assert.equal(h.falcon.stats.byEndpoint[SCROLL], undefined);
    const byAsset = result.summary.coverage["edr"]?.byAsset ?? {};
    const disagreements = Object.values(h.falcon.truth.assets).filter((truth) => byAsset[truth.assetId] !== truth.falconVerdict);
    for (const truth of disagreements) {
      const asset = assets.find((a) => a.id === truth.assetId);
      // A host matched by a leased address alone is refused by correlation (its rule, not the probe's): only those may differ.
      assert.equal(byAsset[truth.assetId], "missing", `${truth.assetId}: ${byAsset[truth.assetId]} vs ${truth.falconVerdict}`);
      assert.deepEqual([asset?.names ?? [], asset?.macs ?? []], [[], []], `${truth.assetId} has names or MACs, yet disagrees`);
    }
    assert.ok(disagreements.length <= assets.length / 50, `${disagreements.length} disagreements`);
    assert.equal(
      result.summary.coverage["edr"]?.protected,
      h.falcon.truth.falconCounts.protected - disagreements.filter((t) => t.falconVerdict === "protected").length,
    );
    assert.ok(h.events.some((e) => e.code === "FALCON_SIGNED_IN"));
  } finally {
    await h.close();
  }
});

test("combined listing in small pages: next followed to the documented end, total checked, inactive hosts left out or kept", async () => {
  const h = await startFalconHarness({ hosts: 230 });
  try {
    const result = complete(await h.run({ options: { pageSize: 50, includeInactive: true } }));
    assert.equal(h.falcon.stats.byEndpoint[COMBINED], 5);
    assert.equal(result.summary.counts.fetched, 230);
    assert.equal(result.summary.counts.duplicates, 0);
    assert.equal(new Set(result.records.map((r) => r.sourceId)).size, 230);
    assert.ok(!result.warnings.some((w) => w.code === "FALCON_TOTAL_MISMATCH"));
    const withoutInactive = complete(await h.run({ options: { pageSize: 50 } }));
    assert.ok(withoutInactive.summary.counts.inactiveSkipped > 0, "the simulator seeds stale hosts");
    assert.equal(withoutInactive.records.length + withoutInactive.summary.counts.inactiveSkipped, 230);
    const stale = result.records.filter((r) => !withoutInactive.records.some((k) => k.sourceId === r.sourceId));
    assert.ok(
      stale.every((r) => r.controls["edr"] === "unhealthy"),
      "a stale host kept is unhealthy",
    );
    assert.ok(
      stale.every((r) => typeof r.attributes["device_id"] === "string" && "last_seen" in r.attributes),
      "every host field in attributes",
    );
  } finally {
    await h.close();
  }
});

test("hosts added while the list is read, where it had passed: the last page's total counts them, the run is incomplete and calls no asset missing", async () => {
  const h = await startFalconHarness({ hosts: 120 });
  try {
    h.falcon.setFaults([{ kind: "add-host", path: "/devices/combined/devices/v1", at: 2, count: 3 }]);
    const result = await h.run({ options: { pageSize: 40, includeInactive: true } });
    assert.equal(result._tag, "Left");
    if (result._tag !== "Left") return;
    assert.equal(result.left.code, "ERR_API_LIST_CUT_SHORT");
    assert.match(result.left.message, /Falcon announced 123 hosts and the list ended after 120: 3 were not read/);
    assert.equal(result.left.partial?.summary.complete, false);
    assert.equal(result.left.partial?.summary.coverage["edr"]?.missing, 0);
  } finally {
    await h.close();
  }
});

for (const status of [404, 403] as const) {
  test(`combined answers ${status} (not a scope refusal): scroll the ids, then the hosts 5,000 at a time`, async () => {
    const h = await startFalconHarness({ hosts: 260, knobs: { combinedUnavailable: status } });
    try {
      const result = complete(await h.run({ options: { pageSize: 100, includeInactive: true } }));
      assert.equal(h.falcon.stats.byEndpoint[COMBINED], 1);
      assert.equal(h.falcon.stats.byEndpoint[SCROLL], 4, "three pages of ids and the empty end");
      assert.equal(h.falcon.stats.byEndpoint[ENTITIES], 3);
      assert.equal(new Set(result.records.map((r) => r.sourceId)).size, 260);
      assert.ok(h.events.some((e) => e.code === "FALCON_SCROLL"));
    } finally {
      await h.close();
    }
  });
}

test("GovCloud named: scroll and entities only, never the combined endpoint", async () => {
  const h = await startFalconHarness({ hosts: 60, homeRegion: "us-gov-1", knobs: { combinedUnavailable: 404 } });
  try {
    const result = complete(await h.run({ credential: h.credential("us-gov-1"), options: { cloud: "us-gov-1", includeInactive: true } }));
    assert.equal(h.falcon.stats.byEndpoint[COMBINED], undefined);
    assert.equal(h.falcon.stats.byEndpoint[ENTITIES], 1);
    assert.equal(result.summary.counts.fetched, 60);
  } finally {
    await h.close();
  }
});

test("cloud auto: the token endpoint's redirect to the client's cloud is followed; data calls go there only", async () => {
  const h = await startFalconHarness({ hosts: 40, homeRegion: "us-2" });
  try {
    complete(await h.run({ credential: h.credential("us-1") }));
    assert.equal(h.falcon.stats.byRegion["us-1"], 1, "only the first token request went to us-1");
    const signedIn = h.events.find((e) => e.code === "FALCON_SIGNED_IN");
    assert.match(signedIn?.message ?? "", new RegExp(`at ${h.falcon.clouds["us-2"]} \\(cloud us-2\\), redirected from ${h.falcon.clouds["us-1"]}`));
  } finally {
    await h.close();
  }
});

test("a named cloud is not left: the redirect is refused as the wrong cloud, before any data call", async () => {
  const h = await startFalconHarness({ hosts: 40, homeRegion: "us-2" });
  try {
    const result = await h.run({ credential: h.credential("us-1"), options: { cloud: "us-1" } });
    assert.equal(result._tag, "Left");
    assert.equal(result._tag === "Left" && result.left.code, "ERR_FALCON_WRONG_CLOUD");
    assert.match(result._tag === "Left" ? result.left.hint : "", /us-2/);
    assert.equal(h.falcon.stats.byRegion["us-2"], undefined);
  } finally {
    await h.close();
  }
});
