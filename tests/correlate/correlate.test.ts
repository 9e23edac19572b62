/**
 * Table tests of correlation, one per trap seen in real inventories. Each names the trap.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { correlate, type SourceDevice } from "../../src/correlate/index.js";
import { asset, device, neighbourAt, pairs, plain } from "./builders.js";

describe("rule 1: MAC", () => {
  it("Defender's bare uppercase MAC matches the scanner's colon spelling", () => {
    const r = correlate([device("d1", { macs: ["000C2992A64D"] })], [asset("a1", { macs: ["00:0c:29:92:a6:4d"] })]);
    assert.deepEqual(r.byDevice.get("d1"), { deviceId: "d1", assetId: "a1", rule: "mac", keys: ["mac:00:0c:29:92:a6:4d"], live: true, duplicates: [] });
  });

  it("Cisco-dot MAC on the asset (switch CAM table) matches", () => {
    const r = correlate([device("d1", { macs: ["3C2AF4B81E07"] })], [asset("a1", { macs: ["3c2a.f4b8.1e07"] })]);
    assert.equal(r.byDevice.get("d1")?.rule, "mac");
  });

  it("MAC beats a name pointing elsewhere", () => {
    const r = correlate(
      [device("d1", { names: ["pc01.corp.example"], macs: ["000C2992A64D"] })],
      [asset("a-mac", { macs: ["00-0C-29-92-A6-4D"] }), asset("a-name", { names: ["pc01.corp.example"] })],
    );
    assert.deepEqual(pairs(r), [["d1", "a-mac"]]);
    assert.equal(r.unmatchedAssets.get("a-name"), "device-taken");
  });
});

describe("keys that identify nothing", () => {
  it("VPN adapter MAC on every laptop matches no laptop", () => {
    const vpn = "00FF7A3B9C01"; // TAP adapter, not in the known list: found from the data
    const r = correlate(
      [1, 2, 3].map((i) => device(`d${i}`, { names: [`lt-${i}.corp.example`], macs: [vpn, `00000000000${i}`.slice(-12).replace(/^0/, "a")] })),
      [asset("a-vpn", { macs: ["00:ff:7a:3b:9c:01"] })],
    );
    assert.equal(r.byDevice.size, 0);
    assert.equal(r.unmatchedAssets.get("a-vpn"), "shared-key");
    assert.equal(r.unmatched.get("d1"), "shared-key");
  });

  it("VPN adapter MAC on every laptop does not stop each laptop matching by its own MAC", () => {
    const vpn = "00FF7A3B9C01";
    const r = correlate(
      [device("d1", { macs: [vpn, "001122334401"] }), device("d2", { macs: [vpn, "001122334402"] })],
      [asset("a1", { macs: ["00:11:22:33:44:01", "00:ff:7a:3b:9c:01"] }), asset("a2", { macs: ["00:11:22:33:44:02"] })],
    );
    assert.deepEqual(pairs(r), [
      ["d1", "a1"],
      ["d2", "a2"],
    ]);
    assert.deepEqual(r.byDevice.get("d1")?.keys, ["mac:00:11:22:33:44:01"]);
  });

  it("Cisco AnyConnect's fixed MAC identifies nothing even when one laptop carries it", () => {
    const r = correlate([device("d1", { macs: ["00059A3C7A00"] })], [asset("a1", { macs: ["00:05:9a:3c:7a:00"] })]);
    assert.equal(r.byDevice.size, 0);
    assert.equal(r.unmatched.get("d1"), "shared-key");
  });

  it("VirtualBox host-only adapter MAC (0A-00-27-00-00-xx) identifies nothing", () => {
    const r = correlate([device("d1", { macs: ["0A002700000D"] })], [asset("a1", { macs: ["0a:00:27:00:00:0d"] })]);
    assert.equal(r.byDevice.size, 0);
  });

  it("docker bridge 172.17.0.1 on every Linux host matches no host, and each host still matches by its own IP", () => {
    const n = neighbourAt("10.1.0.9");
    const r = correlate(
      [...[1, 2, 3].map((i) => device(`linux${i}`, { addresses: ["172.17.0.1", `10.1.0.${i}`] })), n.device],
      [asset("a-docker", { addresses: ["172.17.0.1"] }), asset("a2", { addresses: ["10.1.0.2"] }), n.asset],
    );
    assert.deepEqual(pairs(r), [
      ["linux2", "a2"],
      ["n", "n-asset"],
    ]);
    assert.equal(r.unmatchedAssets.get("a-docker"), "shared-key");
  });

  it("docker bridge 172.17.0.1 on a single host is still not an identifier", () => {
    const r = correlate([device("linux1", { addresses: ["172.17.0.1"] })], [asset("a1", { addresses: ["172.17.0.1"] })]);
    assert.equal(r.byDevice.size, 0);
    assert.equal(r.unmatched.get("linux1"), "shared-key");
  });

  it("host-only adapter 192.168.56.1 shared by two workstations matches neither", () => {
    const r = correlate(
      [device("w1", { addresses: ["192.168.56.1"] }), device("w2", { addresses: ["192.168.56.1"] })],
      [asset("a1", { addresses: ["192.168.56.1"] })],
    );
    assert.equal(r.byDevice.size, 0);
  });

  it("a host-only address not in any list, shared by two devices, is found from the data", () => {
    const r = correlate(
      [device("w1", { addresses: ["192.168.137.1"] }), device("w2", { addresses: ["192.168.137.1"] })],
      [asset("a1", { addresses: ["192.168.137.1"] })],
    );
    assert.equal(r.byDevice.size, 0);
    assert.equal(r.unmatchedAssets.get("a1"), "shared-key");
  });

  it("an IP two scanned assets carry (overlapping sites) identifies neither", () => {
    const r = correlate(
      [device("d1", { addresses: ["10.0.0.5"] })],
      [asset("site1", { addresses: ["10.0.0.5"] }), asset("site2", { addresses: ["10.0.0.5"] })],
    );
    assert.equal(r.byDevice.size, 0);
    assert.equal(r.unmatched.get("d1"), "shared-key");
  });

  it("the router's MAC on every asset of a remote subnet neither matches nor contradicts", () => {
    const router = "00:1b:17:00:01:10";
    const n = neighbourAt("10.9.0.9");
    const r = correlate(
      [device("d1", { macs: ["001122334401"], addresses: ["10.9.0.11"] }), device("d2", { macs: ["001122334402"], addresses: ["10.9.0.12"] }), n.device],
      [asset("a1", { macs: [router], addresses: ["10.9.0.11"] }), asset("a2", { macs: [router], addresses: ["10.9.0.12"] }), n.asset],
    );
    assert.deepEqual(pairs(r), [
      ["d1", "a1"],
      ["d2", "a2"],
      ["n", "n-asset"],
    ]);
    assert.equal(r.byDevice.get("d1")?.rule, "ip");
  });

  it("tunnel pseudo-MAC 00000000000000E0 on every device is not a key", () => {
    const r = correlate(
      [device("d1", { macs: ["00000000000000E0"] }), device("d2", { macs: ["00000000000000E0"] })],
      [asset("a1", { macs: ["00-00-00-00-00-00-00-E0"] })],
    );
    assert.equal(r.byDevice.size, 0);
    assert.equal(r.unmatched.get("d1"), "no-evidence");
  });

  it("loopback, APIPA, link-local and ISATAP noise never matches", () => {
    const noise = ["127.0.0.1", "::1", "169.254.12.77", "fe80::9c41:2e7a:51bd:f3c", "fe80::5efe:10.15.0.9", "000000000000"];
    const r = correlate([device("d1", { addresses: noise, macs: ["000000000000", ""] })], [asset("a1", { addresses: noise })]);
    assert.equal(r.byDevice.size, 0);
    assert.equal(r.unmatched.get("d1"), "no-evidence");
    assert.equal(r.unmatchedAssets.get("a1"), "no-evidence");
  });
});

describe("rule 2: name and IP together", () => {
  it("two hosts called ubuntu: the one with the asset's IP matches", () => {
    const r = correlate(
      [device("u1", { names: ["ubuntu"], addresses: ["10.0.0.7"] }), device("u2", { names: ["ubuntu"], addresses: ["10.0.0.8"] })],
      [asset("a1", { names: ["UBUNTU"], addresses: ["10.0.0.8"] })],
    );
    assert.deepEqual(pairs(r), [["u2", "a1"]]);
    assert.deepEqual(r.byDevice.get("u2")?.keys, ["ip:10.0.0.8", "name:ubuntu"]);
    assert.equal(r.byDevice.get("u2")?.rule, "name+ip");
    assert.equal(r.unmatched.get("u1"), "ambiguous-name");
  });

  it("an FQDN and IP decide even when the IP alone is shared (DHCP reuse on two devices)", () => {
    const r = correlate(
      [device("d1", { names: ["pc01.corp.example"], addresses: ["10.0.0.5"] }), device("d2", { names: ["pc02.corp.example"], addresses: ["10.0.0.5"] })],
      [asset("a1", { names: ["pc01.corp.example"], addresses: ["10.0.0.5"] })],
    );
    assert.deepEqual(pairs(r), [["d1", "a1"]]);
    assert.equal(r.byDevice.get("d1")?.rule, "name+ip");
  });

  it("a short name in two domains cannot pair with an IP either", () => {
    const r = correlate(
      [device("d1", { names: ["pc01.a.example"], addresses: ["10.0.0.5"] }), device("d2", { names: ["pc01.b.example"], addresses: ["10.0.0.5"] })],
      [asset("a1", { names: ["PC01"], addresses: ["10.0.0.5"] })],
    );
    assert.equal(r.byDevice.size, 0);
  });
});

describe("rule 3: a name unique on both sides", () => {
  it("trailing-dot, upper-case FQDN matches its lowercase spelling", () => {
    const r = correlate([device("d1", { names: ["PC01.CORP.EXAMPLE."] })], [asset("a1", { names: ["pc01.corp.example"] })]);
    assert.deepEqual(r.byDevice.get("d1")?.keys, ["name:pc01.corp.example"]);
    assert.equal(r.byDevice.get("d1")?.rule, "name");
  });

  it("a device known only by its short name (VmExample) matches an asset's FQDN", () => {
    const r = correlate([device("d1", { names: ["VmExample"] })], [asset("a1", { names: ["vmexample.corp.example"] })]);
    assert.deepEqual(r.byDevice.get("d1")?.keys, ["name:vmexample"]);
  });

  it("short name in two domains: a NetBIOS-only asset matches neither device", () => {
    const r = correlate([device("d1", { names: ["pc01.a.example"] }), device("d2", { names: ["pc01.b.example"] })], [asset("a1", { names: ["PC01"] })]);
    assert.equal(r.byDevice.size, 0);
    assert.equal(r.unmatchedAssets.get("a1"), "ambiguous-name");
    assert.equal(r.unmatched.get("d1"), "ambiguous-name");
  });

  it("short name in two domains, one per side: pc01.a does not match pc01.b", () => {
    const r = correlate([device("d1", { names: ["pc01.a.example"] })], [asset("a1", { names: ["pc01.b.example"] })]);
    assert.equal(r.byDevice.size, 0);
    assert.equal(r.unmatched.get("d1"), "ambiguous-name");
  });

  it("the FQDN still decides when its short name is ambiguous across domains", () => {
    const r = correlate(
      [device("d1", { names: ["pc01.a.example"] }), device("d2", { names: ["pc01.b.example"] })],
      [asset("a1", { names: ["pc01.a.example"] })],
    );
    assert.deepEqual(pairs(r), [["d1", "a1"]]);
    assert.deepEqual(r.byDevice.get("d1")?.keys, ["name:pc01.a.example"]);
  });

  it("a name two unrelated devices carry is not an identifier", () => {
    const r = correlate(
      [device("u1", { names: ["ubuntu"], macs: ["001122334401"] }), device("u2", { names: ["ubuntu"], macs: ["001122334402"] })],
      [asset("a1", { names: ["ubuntu"] })],
    );
    assert.equal(r.byDevice.size, 0);
    assert.equal(r.unmatchedAssets.get("a1"), "ambiguous-name");
  });

  it("replaced laptop kept its name: the old record does not cover the new, unprotected laptop", () => {
    const r = correlate(
      [device("old", { names: ["pc01.corp.example"], macs: ["001122334401"] })],
      [asset("new", { names: ["pc01.corp.example"], macs: ["00:11:22:33:44:99"] })],
    );
    assert.equal(r.byDevice.size, 0);
    assert.equal(r.unmatched.get("old"), "contradiction");
    assert.equal(r.unmatchedAssets.get("new"), "contradiction");
  });
});

describe("rule 4: an IP alone, only when nothing contradicts", () => {
  it("same IP, asset without MAC (remote subnet): matches by IP", () => {
    const n = neighbourAt("10.0.0.9");
    const r = correlate([device("d1", { macs: ["001122334401"], addresses: ["10.0.0.5"] }), n.device], [asset("a1", { addresses: ["10.0.0.5"] }), n.asset]);
    assert.deepEqual(r.byDevice.get("d1")?.keys, ["ip:10.0.0.5"]);
    assert.equal(r.byDevice.get("d1")?.rule, "ip");
  });

  it("DHCP reuse: same IP but both sides carry MACs and they differ", () => {
    const r = correlate(
      [device("d1", { macs: ["001122334401"], addresses: ["10.0.0.5"] })],
      [asset("a1", { macs: ["00:11:22:33:44:99"], addresses: ["10.0.0.5"] })],
    );
    assert.equal(r.byDevice.size, 0);
    assert.equal(r.unmatched.get("d1"), "contradiction");
    assert.equal(r.unmatchedAssets.get("a1"), "contradiction");
  });

  it("same IP, names disagree", () => {
    const r = correlate(
      [device("d1", { names: ["pc01.corp.example"], addresses: ["10.0.0.5"] })],
      [asset("a1", { names: ["printer7.corp.example"], addresses: ["10.0.0.5"] })],
    );
    assert.equal(r.byDevice.size, 0);
    assert.equal(r.unmatched.get("d1"), "contradiction");
  });

  it("same IP, the asset knows only the short name of the device's FQDN, a short name two domains use: the name with the address matches", () => {
    const r = correlate(
      [device("d1", { names: ["pc01.a.example"], addresses: ["10.0.0.5"] }), device("d2", { names: ["pc01.b.example"] })],
      [asset("a1", { names: ["PC01"], addresses: ["10.0.0.5"] })],
    );
    assert.deepEqual(pairs(r), [["d1", "a1"]]);
    assert.equal(r.byDevice.get("d1")?.rule, "name+ip");
    assert.deepEqual(r.byDevice.get("d1")?.keys, ["ip:10.0.0.5", "name:pc01"]);
  });

  it("IPv4-mapped IPv6 on the device matches the asset's IPv4", () => {
    const n = neighbourAt("10.0.0.9");
    const r = correlate([device("d1", { addresses: ["::ffff:10.0.0.5"] }), n.device], [asset("a1", { addresses: ["10.0.0.5"] }), n.asset]);
    assert.deepEqual(r.byDevice.get("d1")?.keys, ["ip:10.0.0.5"]);
  });

  it("IPv6 in two spellings matches", () => {
    const n = neighbourAt("2001:db8::9");
    const r = correlate(
      [device("d1", { addresses: ["2001:0DB8:0000:0000:0000:0000:0000:0042"] }), n.device],
      [asset("a1", { addresses: ["2001:db8::42%eth0"] }), n.asset],
    );
    assert.deepEqual(r.byDevice.get("d1")?.keys, ["ip:2001:db8::42"]);
  });
});

describe("one device, one asset", () => {
  it("a device whose MAC sits on two assets matches neither (shared key)", () => {
    const r = correlate(
      [device("d1", { macs: ["001122334401"] })],
      [asset("a1", { macs: ["00:11:22:33:44:01"] }), asset("a2", { macs: ["00:11:22:33:44:01"] })],
    );
    assert.equal(r.byDevice.size, 0);
  });

  it("a device whose two MACs are two assets matches neither (ambiguous)", () => {
    const r = correlate(
      [device("d1", { macs: ["001122334401", "001122334402"] })],
      [asset("a1", { macs: ["00:11:22:33:44:01"] }), asset("a2", { macs: ["00:11:22:33:44:02"] })],
    );
    assert.equal(r.byDevice.size, 0);
    assert.equal(r.unmatched.get("d1"), "ambiguous-match");
    assert.equal(r.unmatchedAssets.get("a1"), "ambiguous-match");
  });

  it("two unrelated devices pointing at one asset: the asset gets neither", () => {
    const r = correlate(
      [device("d1", { macs: ["001122334401"] }), device("d2", { macs: ["001122334402"] })],
      [asset("a1", { macs: ["00:11:22:33:44:01", "00:11:22:33:44:02"] })],
    );
    assert.equal(r.byDevice.size, 0);
    assert.equal(r.unmatchedAssets.get("a1"), "ambiguous-match");
  });

  it("weaker evidence does not settle what stronger evidence left ambiguous", () => {
    const r = correlate(
      [device("d1", { names: ["pc01.corp.example"], macs: ["001122334401", "001122334402"] })],
      [asset("a1", { macs: ["00:11:22:33:44:01"] }), asset("a2", { macs: ["00:11:22:33:44:02"] }), asset("a3", { names: ["pc01.corp.example"] })],
    );
    assert.equal(r.byDevice.size, 0);
    assert.equal(r.unmatched.get("d1"), "ambiguous-match");
  });

  it("stale IP: a device matched by MAC does not also take the asset now at its old IP", () => {
    const r = correlate(
      [device("d1", { macs: ["001122334401"], addresses: ["10.0.0.5"] })],
      [asset("a1", { macs: ["00:11:22:33:44:01"], addresses: ["10.0.0.9"] }), asset("a2", { addresses: ["10.0.0.5"] })],
    );
    assert.deepEqual(pairs(r), [["d1", "a1"]]);
    assert.equal(r.unmatchedAssets.get("a2"), "device-taken");
  });

  it("asset-taken: a device whose only candidate was claimed by a stronger match", () => {
    const r = correlate(
      [device("d1", { macs: ["001122334401"] }), device("d2", { addresses: ["10.0.0.5"] })],
      [asset("a1", { macs: ["00:11:22:33:44:01"], addresses: ["10.0.0.5"] })],
    );
    assert.deepEqual(pairs(r), [["d1", "a1"]]);
    assert.equal(r.unmatched.get("d2"), "asset-taken");
  });

  it("a taken candidate frees the device for its next-best asset", () => {
    const n = neighbourAt("10.0.0.9");
    const r = correlate(
      [device("d1", { macs: ["001122334401"] }), device("d2", { names: ["pc02.corp.example"], addresses: ["10.0.0.5"] }), n.device],
      [asset("a1", { macs: ["00:11:22:33:44:01"], names: ["pc02.corp.example"] }), asset("a2", { addresses: ["10.0.0.5"] }), n.asset],
    );
    assert.deepEqual(pairs(r), [
      ["d1", "a1"],
      ["d2", "a2"],
      ["n", "n-asset"],
    ]);
  });
});

describe("duplicate records of one device", () => {
  it("trap: two laptops named alike, each with its own NIC and Cisco AnyConnect's fixed MAC, are two devices: one's sensor never covers the other's asset", () => {
    const anyConnect = "00059A3C7A00";
    const healthy = device("healthy", { names: ["SALES-LT"], macs: ["DC215C000001", anyConnect], lastSeen: "2025-06-01T09:00:00Z" });
    const other = device("other", { names: ["sales-lt"], macs: ["DC215C000002", anyConnect], lastSeen: "2025-05-30T09:00:00Z" });
    const r = correlate([healthy, other], [asset("a-other", { macs: ["dc:21:5c:00:00:02"] })]);
    assert.equal(r.summary.physicalDevices, 2, "the vendor's MAC groups nothing");
    assert.deepEqual(
      r.byAsset.get("a-other")?.map((m) => m.deviceId),
      ["other"],
    );
    assert.deepEqual(r.byDevice.get("other")?.duplicates, []);
    assert.equal(r.byDevice.get("healthy"), undefined);
  });

  it("re-imaged device: same FQDN and MAC, both records match, the newer lastSeen is live", () => {
    const r = correlate(
      [
        device("old", { names: ["pc01.corp.example"], macs: ["001122334401"], lastSeen: "2025-01-10T08:00:00.1234567Z" }),
        device("new", { names: ["PC01.corp.example"], macs: ["00-11-22-33-44-01"], lastSeen: "2025-06-01T07:41:55.108Z" }),
      ],
      [asset("a1", { macs: ["00:11:22:33:44:01"], names: ["pc01.corp.example"] })],
    );
    assert.deepEqual(r.byDevice.get("new"), { deviceId: "new", assetId: "a1", rule: "mac", keys: ["mac:00:11:22:33:44:01"], live: true, duplicates: ["old"] });
    assert.equal(r.byDevice.get("old")?.live, false);
    assert.deepEqual(
      r.byAsset.get("a1")?.map((m) => m.deviceId),
      ["new", "old"],
    );
    assert.equal(r.summary.physicalDevices, 1);
  });

  it("two reports in the same millisecond: the later by its 4th to 7th fractional digits is live, whichever id or order", () => {
    for (const [earlier, later] of [
      ["a", "b"],
      ["b", "a"],
    ] as const) {
      const records = [
        device(later, { names: ["pc01.corp.example"], macs: ["001122334401"], lastSeen: "2025-06-01T07:41:55.1080002Z" }),
        device(earlier, { names: ["pc01.corp.example"], macs: ["001122334401"], lastSeen: "2025-06-01T07:41:55.10800011Z" }),
      ];
      for (const devices of [records, [...records].reverse()]) {
        const r = correlate(devices, [asset("a1", { macs: ["00:11:22:33:44:01"] })]);
        assert.equal(r.byDevice.get(later)?.live, true, `${later} at .1080002 is live`);
        assert.equal(r.byDevice.get(earlier)?.live, false);
      }
    }
  });

  it("the same instant spelt two ways is a tie: the smaller id is live, in either order", () => {
    const records = [
      device("b", { names: ["pc01.corp.example"], macs: ["001122334401"], lastSeen: "2025-06-01T07:41:55.108Z" }),
      device("a", { names: ["pc01.corp.example"], macs: ["001122334401"], lastSeen: "2025-06-01T07:41:55.1080000Z" }),
    ];
    for (const devices of [records, [...records].reverse()]) {
      const r = correlate(devices, [asset("a1", { macs: ["00:11:22:33:44:01"] })]);
      assert.equal(r.byDevice.get("a")?.live, true);
      assert.equal(r.byDevice.get("b")?.live, false);
    }
  });

  it("re-imaged device whose old record has no MAC (2022 payload): same FQDN groups them", () => {
    const r = correlate(
      [
        device("old", { names: ["pc01.corp.example"], lastSeen: "2024-01-01T00:00:00Z" }),
        device("new", { names: ["pc01.corp.example"], macs: ["001122334401"] }),
      ],
      [asset("a1", { names: ["pc01.corp.example"] })],
    );
    assert.deepEqual(pairs(r), [
      ["new", "a1"],
      ["old", "a1"],
    ]);
    assert.equal(r.byDevice.get("new")?.live, true);
  });

  it("mergedIntoMachineId links records even when the hardware changed", () => {
    const r = correlate(
      [
        device("old", { names: ["pc01.corp.example"], macs: ["001122334401"], mergedIntoId: "new", lastSeen: "2024-01-01T00:00:00Z" }),
        device("new", { names: ["pc01.corp.example"], macs: ["001122334402"] }),
      ],
      [asset("a1", { macs: ["00:11:22:33:44:02"] })],
    );
    assert.deepEqual(pairs(r), [
      ["new", "a1"],
      ["old", "a1"],
    ]);
    assert.equal(r.byAsset.get("a1")?.[0]?.deviceId, "new");
  });

  it("two records merged into the same absent record are one device", () => {
    const r = correlate(
      [
        device("x1", { macs: ["001122334401"], mergedIntoId: "gone", lastSeen: "2024-01-01T00:00:00Z" }),
        device("x2", { macs: ["001122334401"], mergedIntoId: "gone" }),
      ],
      [asset("a1", { macs: ["00:11:22:33:44:01"] })],
    );
    assert.equal(r.byDevice.size, 2);
    assert.equal(r.byDevice.get("x2")?.live, true);
  });

  it("isPotentialDuplication: same FQDN with a replaced NIC is grouped", () => {
    const r = correlate(
      [
        device("old", { names: ["pc01.corp.example"], macs: ["001122334401"], lastSeen: "2024-01-01T00:00:00Z" }),
        device("new", { names: ["pc01.corp.example"], macs: ["001122334402"], potentialDuplicate: true }),
      ],
      [asset("a1", { names: ["pc01.corp.example"] })],
    );
    assert.equal(r.byDevice.size, 2);
    assert.equal(r.byDevice.get("old")?.live, false);
  });

  it("same FQDN, different hardware, nothing linking them: not grouped, the name is ambiguous", () => {
    const r = correlate(
      [device("p1", { names: ["pc01.corp.example"], macs: ["001122334401"] }), device("p2", { names: ["pc01.corp.example"], macs: ["001122334402"] })],
      [asset("a1", { names: ["pc01.corp.example"] })],
    );
    assert.equal(r.byDevice.size, 0);
    assert.equal(r.unmatchedAssets.get("a1"), "ambiguous-name");
    assert.equal(r.summary.physicalDevices, 2);
  });

  it("same short name only (no domain) is not enough to group", () => {
    const r = correlate([device("u1", { names: ["ubuntu"] }), device("u2", { names: ["ubuntu"] })], [asset("a1", { names: ["ubuntu"] })]);
    assert.equal(r.byDevice.size, 0);
  });

  it("same short name and same MAC is one device (cloned or re-imaged without a domain)", () => {
    const r = correlate(
      [
        device("v1", { names: ["VmExample"], macs: ["7C1E5218618A"], lastSeen: "2024-04-24T19:36:08.1494633Z" }),
        device("v2", { names: ["vmexample"], macs: ["7C1E5218618A"], lastSeen: "2024-04-25T19:36:08Z" }),
      ],
      [asset("a1", { macs: ["7c:1e:52:18:61:8a"] })],
    );
    assert.equal(r.byDevice.get("v2")?.live, true);
    assert.equal(r.byDevice.get("v1")?.live, false);
  });

  it("a VPN MAC shared by two records does not group records with different FQDNs", () => {
    const r = correlate(
      [device("d1", { names: ["pc01.a.example"], macs: ["00FF7A3B9C01"] }), device("d2", { names: ["pc01.b.example"], macs: ["00FF7A3B9C01"] })],
      [asset("a1", { names: ["pc01.b.example"] })],
    );
    assert.deepEqual(pairs(r), [["d2", "a1"]]);
    assert.equal(r.summary.physicalDevices, 2);
  });

  it("grouping by one FQDN does not depend on which FQDN is looked at first (all 24 input orders agree)", () => {
    // p and q carry both names and different hardware; r (flagged) joins them under pc02;
    // under pc01 they disagree, so s (no MAC) must stay alone whatever the order.
    const records = [
      device("p", { names: ["pc01.corp.example", "pc02.corp.example"], macs: ["001122334401"] }),
      device("q", { names: ["pc01.corp.example", "pc02.corp.example"], macs: ["001122334402"] }),
      device("r", { names: ["pc02.corp.example"], potentialDuplicate: true }),
      device("s", { names: ["pc01.corp.example"] }),
    ];
    const assets = [asset("a1", { macs: ["00:11:22:33:44:01"] })];
    const permutations = (xs: readonly number[]): number[][] =>
      xs.length <= 1 ? [[...xs]] : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]));
    const outcomes = new Set(
      permutations([0, 1, 2, 3]).map((order) =>
        JSON.stringify(
          plain(
            correlate(
              order.map((i) => records[i] as SourceDevice),
              assets,
            ),
          ),
        ),
      ),
    );
    assert.equal(outcomes.size, 1);
    const r = correlate(records, assets);
    assert.deepEqual(pairs(r), [
      ["p", "a1"],
      ["q", "a1"],
      ["r", "a1"],
    ]);
    assert.equal(r.summary.physicalDevices, 2);
  });

  it("the same id twice in the input is one record", () => {
    const r = correlate(
      [device("d1", { macs: ["001122334401"], lastSeen: "2025-01-01T00:00:00Z" }), device("d1", { addresses: ["10.0.0.5"], lastSeen: "2025-02-01T00:00:00Z" })],
      [asset("a1", { addresses: ["10.0.0.5"], macs: ["00:11:22:33:44:01"] })],
    );
    assert.equal(r.summary.devices, 1);
    assert.deepEqual(r.byDevice.get("d1")?.keys, ["mac:00:11:22:33:44:01"]);
  });
});

describe("explanations", () => {
  it("the summary counts matches by rule and the unmatched by reason, on both sides", () => {
    const r = correlate(
      [
        device("mac", { macs: ["001122334401"] }),
        device("dhcp", { macs: ["001122334402"], addresses: ["10.0.0.5"] }),
        device("vpn1", { macs: ["00FF7A3B9C01"] }),
        device("vpn2", { macs: ["00FF7A3B9C01"] }),
        device("lonely", { names: ["nowhere.corp.example"] }),
      ],
      [
        asset("a-mac", { macs: ["00:11:22:33:44:01"] }),
        asset("a-dhcp", { macs: ["00:11:22:33:44:99"], addresses: ["10.0.0.5"] }),
        asset("a-vpn", { macs: ["00:ff:7a:3b:9c:01"] }),
        asset("a-none"),
      ],
    );
    assert.equal(r.summary.matchedDevices, 1);
    assert.equal(r.summary.matchedAssets, 1);
    assert.equal(r.summary.byRule.mac, 1);
    assert.equal(r.summary.unmatchedDevices.contradiction, 1);
    assert.equal(r.summary.unmatchedDevices["shared-key"], 2);
    assert.equal(r.summary.unmatchedDevices["no-evidence"], 1);
    assert.equal(r.summary.unmatchedAssets.contradiction, 1);
    assert.equal(r.summary.unmatchedAssets["shared-key"], 1);
    assert.equal(r.summary.unmatchedAssets["no-evidence"], 1);
  });

  it("every device appears once, matched or unmatched; every asset likewise", () => {
    const devices = [device("d1", { macs: ["001122334401"] }), device("d2")];
    const assets = [asset("a1", { macs: ["00:11:22:33:44:01"] }), asset("a2")];
    const r = correlate(devices, assets);
    assert.equal(r.byDevice.size + r.unmatched.size, 2);
    assert.equal(r.byAsset.size + r.unmatchedAssets.size, 2);
  });

  it("empty inputs give an empty result", () => {
    const r = correlate([], []);
    assert.equal(r.byDevice.size + r.byAsset.size + r.unmatched.size + r.unmatchedAssets.size, 0);
  });

  it("no assets: every device is unmatched for lack of evidence (never an error)", () => {
    const r = correlate([device("d1", { macs: ["001122334401"] })], []);
    assert.equal(r.unmatched.get("d1"), "no-evidence");
  });
});
