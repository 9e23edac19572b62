/**
 * Property tests of correlation over small random inventories drawn from small pools of
 * identifiers (in several spellings), so that collisions, shared keys and duplicates are common.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { correlate, parseHostname, parseIp, parseMac, type AssetEvidence, type SourceDevice } from "../../src/correlate/index.js";
import { subnetOf } from "../../src/correlate/ip.js";
import { neighbourAt, plain } from "./builders.js";

const MACS = [
  "000C2992A64D",
  "00:0c:29:92:a6:4d",
  "3C2AF4B81E07",
  "3c2a.f4b8.1e07",
  "42010A800FDB",
  "7C1E5218618A",
  "00FF7A3B9C01",
  "00059A3C7A00",
  "00000000000000E0",
  "000000000000",
];
const IPS = ["10.0.0.1", "10.0.0.2", "10.0.0.3", "::ffff:10.0.0.3", "10.0.0.4", "2001:db8::1", "2001:DB8:0:0:0:0:0:1", "172.17.0.1", "127.0.0.1", "fe80::1"];
const NAMES = ["pc01.a.example", "PC01.A.EXAMPLE.", "pc01.b.example", "pc01", "pc02.a.example", "pc02", "ubuntu", "vmexample"];
const TIMES = [null, "2024-01-01T00:00:00Z", "2025-01-01T00:00:00.1234567Z", "2025-06-01T00:00:00Z"];

const subset = <T>(pool: readonly T[], max: number) => fc.uniqueArray(fc.constantFrom(...pool), { maxLength: max });

const devicesArb = fc.integer({ min: 0, max: 8 }).chain((n) =>
  fc.tuple(
    ...Array.from({ length: n }, (_, i) =>
      fc.record({
        id: fc.constant(`d${i}`),
        names: subset(NAMES, 2),
        macs: subset(MACS, 2),
        addresses: subset(IPS, 2),
        lastSeen: fc.constantFrom(...TIMES),
        mergedIntoId: fc.option(fc.constantFrom(...Array.from({ length: n + 1 }, (_, j) => `d${j}`)), { freq: 4 }),
        potentialDuplicate: fc.boolean(),
      }),
    ),
  ),
) as fc.Arbitrary<SourceDevice[]>;

const assetsArb = fc
  .integer({ min: 0, max: 8 })
  .chain((n) =>
    fc.tuple(
      ...Array.from({ length: n }, (_, i) =>
        fc.record({ id: fc.constant(`a${i}`), names: subset(NAMES, 2), macs: subset(MACS, 2), addresses: subset(IPS, 2) }),
      ),
    ),
  ) as fc.Arbitrary<AssetEvidence[]>;

/** Canonical keys of raw evidence, as correlation prints them. */
function keysOf(e: { names?: readonly string[] | undefined; macs?: readonly string[] | undefined; addresses?: readonly string[] | undefined }): Set<string> {
  const keys = new Set<string>();
  for (const m of e.macs ?? []) {
    const mac = parseMac(m);
    if (mac) keys.add(`mac:${mac}`);
  }
  for (const a of e.addresses ?? []) {
    const ip = parseIp(a);
    if (ip) keys.add(`ip:${ip}`);
  }
  for (const n of e.names ?? []) {
    const host = parseHostname(n);
    if (host?.fqdn) keys.add(`name:${host.fqdn}`);
    if (host) keys.add(`name:${host.short}`);
  }
  return keys;
}

// FC_SEED=<seed> replays a failing run that fast-check reported.
const runs = { numRuns: 500, ...(process.env["FC_SEED"] ? { seed: Number(process.env["FC_SEED"]) } : {}) };

describe("correlate properties", () => {
  it("the result by position says what its maps by id say (record numbers: ids in first-appearance order; assets as given)", () => {
    /** `entries` plus repeats of some of them (an id given again, with another entry's evidence). */
    const withRepeats = <T extends { id: string }>(entries: T[], picks: number[]): T[] =>
      entries.length === 0 ? entries : [...entries, ...picks.map((k) => ({ ...entries[(k + 1) % entries.length], id: entries[k % entries.length]?.id }) as T)];
    fc.assert(
      fc.property(devicesArb, assetsArb, fc.array(fc.nat(), { maxLength: 3 }), fc.array(fc.nat(), { maxLength: 3 }), (d, a, devicePicks, assetPicks) => {
        const devices = withRepeats(d, devicePicks);
        const assets = withRepeats(a, assetPicks);
        const result = correlate(devices, assets);
        const { positions } = result;
        const recordIds = [...new Set(devices.map((device) => device.id))];
        assert.equal(positions.matchOfRecord.length, recordIds.length);
        recordIds.forEach((id, record) => {
          assert.equal(positions.matchOfRecord[record], result.byDevice.get(id), `match of record ${record} (${id})`);
          assert.equal(positions.reasonOfRecord[record], result.unmatched.get(id), `reason of record ${record} (${id})`);
        });
        assets.forEach((asset, position) => {
          const byId = (result.byAsset.get(asset.id) ?? []).map((match) => match.deviceId);
          assert.deepEqual(
            [...positions.recordsOfAsset(position)].map((record) => recordIds[record]),
            byId,
            `records of asset ${position}`,
          );
          assert.equal(
            positions.repeatsAnEarlierAsset(position),
            assets.slice(0, position).some((earlier) => earlier.id === asset.id),
          );
        });
        assert.equal(positions.recordsOfAsset(assets.length).length, 0, "a position past the list has no records");
        assert.equal(result.summary.matchedDevices, result.byDevice.size);
        assert.equal(result.summary.matchedAssets, result.byAsset.size);
      }),
      runs,
    );
  });

  it("the result does not depend on input order", () => {
    fc.assert(
      fc.property(
        devicesArb.chain((d) => fc.tuple(fc.constant(d), fc.shuffledSubarray(d, { minLength: d.length }))),
        assetsArb.chain((a) => fc.tuple(fc.constant(a), fc.shuffledSubarray(a, { minLength: a.length }))),
        ([devices, shuffledDevices], [assets, shuffledAssets]) => {
          assert.deepEqual(plain(correlate(shuffledDevices, shuffledAssets)), plain(correlate(devices, assets)));
        },
      ),
      runs,
    );
  });

  it("a key carried by more than one physical device, or by more than one asset, never produces a match by itself", () => {
    fc.assert(
      fc.property(devicesArb, assetsArb, (devices, assets) => {
        const result = correlate(devices, assets);
        const deviceKeys = new Map(devices.map((d) => [d.id, keysOf(d)]));
        const assetKeys = assets.map((a) => ({ id: a.id, keys: keysOf(a) }));
        for (const match of result.byDevice.values()) {
          if (match.rule === "name+ip") continue; // two keys together: checked by the next property
          const sameDevice = new Set([match.deviceId, ...match.duplicates]);
          for (const key of match.keys) {
            for (const [id, keys] of deviceKeys) if (keys.has(key)) assert.ok(sameDevice.has(id), `${key} also on device ${id}`);
            for (const a of assetKeys) if (a.keys.has(key)) assert.equal(a.id, match.assetId, `${key} also on asset ${a.id}`);
          }
        }
      }),
      runs,
    );
  });

  it("a name+ip match rests on a name and an IP that no other physical device or asset carries together", () => {
    fc.assert(
      fc.property(devicesArb, assetsArb, (devices, assets) => {
        const result = correlate(devices, assets);
        for (const match of result.byDevice.values()) {
          if (match.rule !== "name+ip") continue;
          const names = match.keys.filter((k) => k.startsWith("name:"));
          const ips = match.keys.filter((k) => k.startsWith("ip:"));
          const sameDevice = new Set([match.deviceId, ...match.duplicates]);
          // The keys list every name and IP of the matching pairs; at least one (name, IP) pair must be carried by nobody else.
          const pairs = names.flatMap((n) => ips.map((ip) => [n, ip] as const));
          const unique = pairs.some(
            ([n, ip]) =>
              !devices.some((d) => !sameDevice.has(d.id) && keysOf(d).has(n) && keysOf(d).has(ip)) &&
              !assets.some((a) => a.id !== match.assetId && keysOf(a).has(n) && keysOf(a).has(ip)),
          );
          assert.ok(unique, `${match.keys.join(",")}: every name+IP pair is also carried elsewhere`);
        }
      }),
      runs,
    );
  });

  it("every match is backed by its keys, and one asset gets one physical device with exactly one live record", () => {
    fc.assert(
      fc.property(devicesArb, assetsArb, (devices, assets) => {
        const result = correlate(devices, assets);
        const deviceKeys = new Map<string, Set<string>>();
        for (const d of devices) deviceKeys.set(d.id, new Set([...(deviceKeys.get(d.id) ?? []), ...keysOf(d)]));
        const assetKeys = new Map(assets.map((a) => [a.id, keysOf(a)]));
        for (const [assetId, matches] of result.byAsset) {
          assert.equal(matches.filter((m) => m.live).length, 1);
          assert.equal(matches[0]?.live, true);
          const group = new Set([matches[0]?.deviceId, ...(matches[0]?.duplicates ?? [])]);
          assert.equal(matches.length, group.size);
          for (const m of matches) {
            assert.ok(group.has(m.deviceId));
            assert.equal(m.assetId, assetId);
            assert.equal(result.byDevice.get(m.deviceId), m);
            for (const key of m.keys) {
              assert.ok(assetKeys.get(assetId)?.has(key), `${key} not on asset`);
              assert.ok(
                [...group].some((id) => deviceKeys.get(id ?? "")?.has(key)),
                `${key} not on device`,
              );
            }
          }
        }
        assert.equal(result.byDevice.size + result.unmatched.size, new Set(devices.map((d) => d.id)).size);
        assert.equal(result.byAsset.size + result.unmatchedAssets.size, new Set(assets.map((a) => a.id)).size);
      }),
      runs,
    );
  });

  it("adding a second, unrelated device that carries a matched MAC removes that MAC match", () => {
    fc.assert(
      fc.property(devicesArb, assetsArb, (devices, assets) => {
        const result = correlate(devices, assets);
        for (const match of result.byDevice.values()) {
          if (match.rule !== "mac" || !match.live) continue;
          const mac = match.keys[0]?.slice(4) ?? "";
          const intruder: SourceDevice = {
            id: "intruder",
            names: [],
            macs: [mac],
            addresses: [],
            lastSeen: null,
            mergedIntoId: null,
            potentialDuplicate: false,
          };
          const after = correlate([...devices, intruder], assets);
          const still = after.byDevice.get(match.deviceId);
          assert.ok(still === undefined || !still.keys.includes(match.keys[0] ?? ""), `${mac} still matched ${match.deviceId}`);
          assert.equal(after.byDevice.has("intruder"), false);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("removing an asset never changes a decision outside the removed asset's connected evidence", () => {
    // Devices and assets are nodes; a common canonical key, or a mergedIntoId link, is an edge.
    // Removing an asset may settle an ambiguity it took part in (see the table test below);
    // it must never create or change a match anywhere it had no evidence in common.
    fc.assert(
      fc.property(devicesArb, assetsArb, fc.nat(), (devices, assets, pick) => {
        fc.pre(assets.length > 0);
        const removed = assets[pick % assets.length] as AssetEvidence;
        const reach = reachable(devices, assets, removed.id);
        const before = correlate(devices, assets);
        const after = correlate(
          devices,
          assets.filter((a) => a !== removed),
        );
        for (const a of assets) {
          if (reach.has(`a:${a.id}`)) continue;
          assert.deepEqual(after.byAsset.get(a.id), before.byAsset.get(a.id), `asset ${a.id}`);
          assert.equal(after.unmatchedAssets.get(a.id), before.unmatchedAssets.get(a.id), `asset ${a.id}`);
        }
        for (const d of devices) {
          if (reach.has(`d:${d.id}`)) continue;
          assert.deepEqual(after.byDevice.get(d.id), before.byDevice.get(d.id), `device ${d.id}`);
          assert.equal(after.unmatched.get(d.id), before.unmatched.get(d.id), `device ${d.id}`);
        }
      }),
      runs,
    );
  });

  it("removing an asset never moves a match it had no part in: every other match stays or the asset was in its evidence", () => {
    fc.assert(
      fc.property(devicesArb, assetsArb, fc.nat(), (devices, assets, pick) => {
        fc.pre(assets.length > 0);
        const removed = assets[pick % assets.length] as AssetEvidence;
        const before = correlate(devices, assets);
        const after = correlate(
          devices,
          assets.filter((a) => a !== removed),
        );
        const reach = reachable(devices, assets, removed.id);
        for (const match of after.byDevice.values()) {
          const was = before.byDevice.get(match.deviceId);
          if (was?.assetId === match.assetId) continue;
          assert.ok(
            reach.has(`a:${match.assetId}`) && reach.has(`d:${match.deviceId}`),
            `new match ${match.deviceId}→${match.assetId} unrelated to ${removed.id}`,
          );
        }
      }),
      runs,
    );
  });
});

describe("removing an asset can settle an ambiguity it was part of (why the property above is scoped)", () => {
  it("two assets share an IP: neither matches; remove one and the other does", () => {
    const d: SourceDevice = { id: "d1", names: [], macs: [], addresses: ["10.0.0.5"], lastSeen: null, mergedIntoId: null, potentialDuplicate: false };
    const n = neighbourAt("10.0.0.9", null);
    const both = correlate([d, n.device], [{ id: "a1", addresses: ["10.0.0.5"] }, { id: "a2", addresses: ["10.0.0.5"] }, n.asset]);
    const one = correlate([d, n.device], [{ id: "a1", addresses: ["10.0.0.5"] }, n.asset]);
    assert.equal(both.byDevice.get("d1"), undefined);
    assert.equal(one.byDevice.get("d1")?.assetId, "a1");
  });
});

/** Nodes connected to asset `startId` through common canonical keys, addresses in one subnet, or mergedIntoId links (`a:id`, `d:id`). */
function reachable(devices: readonly SourceDevice[], assets: readonly AssetEvidence[], startId: string): Set<string> {
  const byKey = new Map<string, string[]>();
  const keysOfNode = new Map<string, string[]>();
  const link = (node: string, key: string) => {
    byKey.set(key, [...(byKey.get(key) ?? []), node]);
    keysOfNode.set(node, [...(keysOfNode.get(node) ?? []), key]);
  };
  // An IP-only match also rests on the other matches of the network its address is in (site-evidence.ts): the subnet links its members.
  const withNetworks = (keys: Set<string>): Set<string> => {
    for (const key of [...keys]) if (key.startsWith("ip:")) keys.add(`net:${subnetOf(key.slice(3))}`);
    return keys;
  };
  for (const d of devices) {
    for (const key of withNetworks(keysOf(d))) link(`d:${d.id}`, key);
    link(`d:${d.id}`, `id:${d.id}`);
    if (d.mergedIntoId !== null) link(`d:${d.id}`, `id:${d.mergedIntoId}`);
  }
  for (const a of assets) for (const key of withNetworks(keysOf(a))) link(`a:${a.id}`, key);
  const seen = new Set([`a:${startId}`]);
  const queue = [`a:${startId}`];
  for (let node = queue.pop(); node !== undefined; node = queue.pop()) {
    for (const key of keysOfNode.get(node) ?? []) {
      for (const next of byKey.get(key) ?? []) {
        if (seen.has(next)) continue;
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}
