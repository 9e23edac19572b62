import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { generateFalconHosts, generateTenant } from "../../../src/simulator/index.js";
import type { ScannedAssetJson } from "../../../src/simulator/index.js";

const NOW = "2026-03-01T12:00:00Z";
const DAY_MS = 86_400_000;

const macHex = (s: string): string => s.replace(/[^0-9a-f]/gi, "").toLowerCase();
const unmapped = (a: string): string => a.replace(/^(?:::ffff:|0:0:0:0:0:ffff:)/i, "");
const shortName = (n: string): string => n.replace(/\.$/, "").split(".")[0]?.toLowerCase() ?? "";

describe("generateFalconHosts", () => {
  it("is a pure function of its inputs", () => {
    const a = generateFalconHosts({ seed: 4, hosts: 300, now: NOW });
    const b = generateFalconHosts({ seed: 4, hosts: 300, now: NOW });
    for (const i of [0, 1, 150, 299]) assert.deepEqual(a.hostAt(i), b.hostAt(i));
    assert.notDeepEqual(generateFalconHosts({ seed: 5, hosts: 300, now: NOW }).hostAt(0), a.hostAt(0));
    const tenant = generateTenant({ seed: 4, devices: 200, assets: true });
    const x = generateFalconHosts({ seed: 4, tenant, now: NOW });
    const y = generateFalconHosts({ seed: 4, tenant, now: NOW });
    assert.equal(x.count, y.count);
    assert.deepEqual(x.truth, y.truth);
    assert.deepEqual(x.hostAt(x.count - 1), y.hostAt(y.count - 1));
  });

  it("prints hosts the Falcon way, with ids increasing and the states a probe must judge", () => {
    const g = generateFalconHosts({ seed: 8, hosts: 2000, now: NOW });
    const hosts = Array.from({ length: g.count }, (_, i) => g.hostAt(i));
    const ids = hosts.map((h) => String(h["device_id"]));
    assert.ok(ids.every((id) => /^[0-9a-f]{32}$/.test(id)));
    assert.deepEqual(ids, [...ids].sort());
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(hosts.every((h) => /^([0-9a-f]{2}-){5}[0-9a-f]{2}$/.test(String(h["mac_address"]))));
    assert.ok(hosts.every((h) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(String(h["last_seen"]))));
    const ages = hosts.map((h) => (Date.parse(NOW) - Date.parse(String(h["last_seen"]))) / DAY_MS);
    assert.ok(
      ages.every((d) => d >= 0 && (d < 6 || d > 8)),
      "no host within a day of the 7-day boundary",
    );
    assert.ok(ages.filter((d) => d < 0.5).length > hosts.length / 2, "most hosts reported within hours");
    assert.ok(ages.some((d) => d > 8));
    assert.ok(hosts.some((h) => h["reduced_functionality_mode"] === "yes"));
    assert.ok(hosts.some((h) => h["status"] === "contained"));
    assert.ok(hosts.some((h) => !("serial_number" in h)));
    assert.ok(new Set(hosts.map((h) => h["platform_name"])).size === 3);
    assert.ok(hosts.every((h) => h["cid"] === g.cid));
  });

  it("serves a million hosts without building them all", () => {
    const g = generateFalconHosts({ seed: 1, hosts: 1_000_000, now: NOW });
    assert.ok(g.idAt(999_998) < g.idAt(999_999));
    assert.equal(g.hostAt(999_999)["device_id"], g.idAt(999_999));
  });

  it("places hosts on the tenant's scanned network with the asset's identifiers, and judges both vendors", () => {
    const tenant = generateTenant({ seed: 11, devices: 600, assets: true });
    const g = generateFalconHosts({ seed: 11, tenant, now: NOW });
    const assets = new Map<string, ScannedAssetJson>(tenant.assets.map((a) => [a.id, a]));
    const byId = new Map(Array.from({ length: g.count }, (_, i) => [g.idAt(i), g.hostAt(i)] as const));
    let pairs = 0;
    for (const [hostId, assetId] of Object.entries(g.truth.hosts)) {
      if (assetId === null) continue;
      pairs += 1;
      const host = byId.get(hostId);
      const asset = assets.get(assetId);
      assert.ok(host !== undefined && asset !== undefined);
      const ip = String(host["local_ip"]);
      const sameIp = (asset.addresses ?? []).map(unmapped).includes(ip);
      const sameMac = (asset.macs ?? []).map(macHex).includes(macHex(String(host["mac_address"])));
      const sameName = (asset.names ?? []).map(shortName).includes(String(host["hostname"]).toLowerCase());
      const ipv4 = (asset.addresses ?? []).map(unmapped).some((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a));
      assert.ok(sameIp || !ipv4, `${assetId}: host ${hostId} local_ip ${ip} is the asset's address`);
      assert.ok(sameIp || sameMac || sameName, `${assetId}: host ${hostId} carries one of the asset's identifiers`);
    }
    assert.ok(pairs > 20);
    const stories = Object.values(g.truth.stories);
    assert.ok(stories.includes("both") && stories.includes("falcon-only") && stories.includes("not-scanned"));
    for (const t of Object.values(g.truth.assets)) {
      const expected = [t.defenderVerdict, t.falconVerdict].includes("protected")
        ? "protected"
        : [t.defenderVerdict, t.falconVerdict].includes("unhealthy")
          ? "unhealthy"
          : "missing";
      assert.equal(t.combinedVerdict, expected);
      assert.equal(t.vendors.includes("defender365"), t.defenderVerdict === "protected");
      assert.equal(t.vendors.includes("crowdstrike"), t.falconVerdict === "protected");
      for (const h of t.hostIds) assert.equal(g.truth.hosts[h], t.assetId);
    }
    assert.ok(g.truth.protectedOnlyByFalcon.length > 0);
    for (const id of g.truth.protectedOnlyByFalcon) {
      assert.equal(g.truth.assets[id]?.defenderVerdict, "missing");
      assert.equal(g.truth.assets[id]?.combinedVerdict, "protected");
    }
    assert.ok(g.truth.combinedCounts.missing < g.truth.falconCounts.missing);
  });

  it("judges a stale-only asset missing, and unhealthy when inactive hosts are included", () => {
    const tenant = generateTenant({ seed: 11, devices: 600, assets: true });
    const g = generateFalconHosts({ seed: 11, tenant, now: NOW });
    const staleOnly = Object.values(g.truth.assets).filter((t) => t.hostIds.length > 0 && t.falconVerdict === "missing");
    assert.ok(staleOnly.length > 0);
    for (const t of staleOnly) assert.equal(t.falconVerdictIncludingInactive, "unhealthy");
    assert.ok(Object.values(g.truth.assets).some((t) => t.falconVerdict === "unhealthy"));
  });
});
