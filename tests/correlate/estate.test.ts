/**
 * Correlation across an estate that is not one LAN: a headquarters, branch offices scanned
 * across routers, laptops at home and on the VPN; NetBIOS names and split DNS. Each test is
 * named after the trap it sets.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { correlate, type AssetEvidence, type SourceDevice } from "../../src/correlate/index.js";
import { asset, device, pairs } from "./builders.js";

const BRANCH_EGRESS = "198.51.100.20";
const HQ_EGRESS = "203.0.113.10";
const HOME_EGRESS = "81.2.69.160";

/** Branch A's devices matched by name and address (routed: no MACs), each reporting from the branch's egress: what shows who was there. */
const branchPcs = (count: number, egress = BRANCH_EGRESS): { devices: SourceDevice[]; assets: AssetEvidence[] } => {
  const devices: SourceDevice[] = [];
  const assets: AssetEvidence[] = [];
  for (let k = 1; k <= count; k++) {
    devices.push(device(`pc${k}`, { names: [`pc${k}.corp.contoso.com`], macs: [`3C2AF4B81E0${k}`], addresses: [`192.168.1.${k}`], egress: [egress] }));
    assets.push(asset(`a-pc${k}`, { names: [`pc${k}.corp.contoso.com`], addresses: [`192.168.1.${k}`], site: "branch-a" }));
  }
  return { devices, assets };
};

/** A printer the branch scan finds at 192.168.1.170: no MAC across the router, no name, no OS. */
const printer = (fields: Partial<AssetEvidence> = {}): AssetEvidence => asset("printer", { addresses: ["192.168.1.170"], site: "branch-a", ...fields });

/** A laptop at home, its router's address 192.168.1.170, reporting recently from its household's egress. */
const homeLaptop = (fields: Partial<SourceDevice> = {}): SourceDevice =>
  device("laptop", { names: ["SALES-LT-0042"], macs: ["DC215C000042"], addresses: ["192.168.1.170"], egress: [HOME_EGRESS], ...fields });

describe("1. a private address only means something on the network the device reported from", () => {
  it("trap: a laptop at home at 192.168.1.170 is not the unmanaged printer a branch scan finds at 192.168.1.170, however recent and uncontradicted", () => {
    const branch = branchPcs(3);
    const r = correlate([...branch.devices, homeLaptop()], [...branch.assets, printer()]);
    assert.equal(r.byDevice.get("laptop"), undefined);
    assert.equal(r.unmatched.get("laptop"), "off-site");
    assert.equal(r.unmatchedAssets.get("printer"), "off-site");
    assert.equal(r.byDevice.size, 3, "the branch's own PCs still match");
  });

  it("trap: the same without sites on the assets: the subnet stands for the site", () => {
    const branch = branchPcs(3);
    const noSite = (a: AssetEvidence): AssetEvidence => ({ ...a, site: undefined });
    const r = correlate([...branch.devices, homeLaptop()], [...branch.assets.map(noSite), noSite(printer())]);
    assert.equal(r.unmatched.get("laptop"), "off-site");
  });

  it("trap: with its VPN up, its home address matches nothing and its tunnel's address matches the VPN scan's asset", () => {
    const branch = branchPcs(3);
    const laptop = homeLaptop({ addresses: ["10.250.0.42", "192.168.1.170"], tunnelAddresses: ["10.250.0.42"], egress: [HQ_EGRESS] });
    const r = correlate([...branch.devices, laptop], [...branch.assets, printer(), asset("vpn-42", { addresses: ["10.250.0.42"], site: "vpn" })]);
    assert.equal(r.byDevice.get("laptop")?.assetId, "vpn-42");
    assert.equal(r.byDevice.get("laptop")?.rule, "ip");
    assert.equal(r.unmatchedAssets.get("printer"), "off-site");
  });

  it("trap: a Windows VPN (PPP) adapter with the VPN scan finding nothing: the home address still matches nothing", () => {
    const branch = branchPcs(2);
    const laptop = homeLaptop({ addresses: ["10.250.0.42", "192.168.1.170"], tunnelAddresses: ["10.250.0.42"], egress: [BRANCH_EGRESS] });
    const r = correlate([...branch.devices, laptop], [...branch.assets, printer()]);
    assert.equal(r.unmatched.get("laptop"), "off-site", "the tunnel says where it was, whatever its egress");
  });

  it("an office PC on a routed subnet whose scan found only its address matches: it reports from the egress the branch's matched PCs use", () => {
    const branch = branchPcs(3);
    const pc = device("pc9", { names: ["pc9.corp.contoso.com"], addresses: ["192.168.1.9"], egress: [BRANCH_EGRESS] });
    const r = correlate([...branch.devices, pc], [...branch.assets, asset("a-pc9", { addresses: ["192.168.1.9"], site: "branch-a" })]);
    assert.equal(r.byDevice.get("pc9")?.assetId, "a-pc9");
    assert.equal(r.byDevice.get("pc9")?.rule, "ip");
  });

  it("trap: an egress matched devices use at another site is no evidence for this one", () => {
    const branch = branchPcs(3);
    const hq = device("hq1", { names: ["hq1.corp.contoso.com"], addresses: ["10.20.0.1"], egress: [HQ_EGRESS] });
    const visitor = homeLaptop({ egress: [HQ_EGRESS] });
    const r = correlate(
      [...branch.devices, hq, visitor],
      [...branch.assets, asset("a-hq1", { names: ["hq1.corp.contoso.com"], addresses: ["10.20.0.1"], site: "hq" }), printer()],
    );
    assert.equal(r.unmatched.get("laptop"), "off-site");
  });

  it("a device that gives no egress (discovered, or a source that does not say): another device matched on that network is the evidence", () => {
    const branch = branchPcs(2);
    const discovered = device("disc", { names: ["NPI1A2B3C"], addresses: ["192.168.1.77"], egress: [] });
    const r = correlate([...branch.devices, discovered], [...branch.assets, asset("a-disc", { addresses: ["192.168.1.77"], site: "branch-a" })]);
    assert.equal(r.byDevice.get("disc")?.assetId, "a-disc");
  });

  it("trap: a device that gives no egress, on a network where nothing else matched: off-site", () => {
    const r = correlate([device("disc", { addresses: ["192.168.1.77"] })], [asset("a-disc", { addresses: ["192.168.1.77"], site: "branch-a" })]);
    assert.equal(r.byDevice.size, 0);
    assert.equal(r.unmatched.get("disc"), "off-site");
    assert.equal(r.unmatchedAssets.get("a-disc"), "off-site");
  });

  it("trap: a device that gives no egress, in a subnet of the site where nothing else matched: off-site (the site spans ranges home routers use)", () => {
    const branch = branchPcs(2);
    const r = correlate(
      [...branch.devices, device("quiet", { addresses: ["192.168.178.20"] })],
      [...branch.assets, asset("cam", { addresses: ["192.168.178.20"], site: "branch-a" })],
    );
    assert.equal(r.unmatched.get("quiet"), "off-site");
  });

  it("names still match a laptop at home: only an address alone needs it on the network", () => {
    const r = correlate(
      [homeLaptop({ names: ["sales-lt-0042.corp.contoso.com"] })],
      [asset("a-laptop", { names: ["sales-lt-0042.corp.contoso.com"], addresses: ["192.168.1.170"], site: "branch-a" })],
    );
    assert.equal(r.byDevice.get("laptop")?.rule, "name+ip");
  });
});

describe("2. routed scans see no MACs", () => {
  it("a branch PC across a router: no MAC on the asset, its name and address match it, and its MAC contradicts nothing", () => {
    const r = correlate(
      [device("pc1", { names: ["pc1.corp.contoso.com"], macs: ["3C2AF4B81E01"], addresses: ["192.168.1.1"], egress: [BRANCH_EGRESS] })],
      [asset("a-pc1", { names: ["PC1.corp.contoso.com."], addresses: ["192.168.1.1"], site: "branch-a" })],
    );
    assert.deepEqual(pairs(r), [["pc1", "a-pc1"]]);
    assert.equal(r.byDevice.get("pc1")?.rule, "name+ip");
  });
});

describe("3. NetBIOS names: the short name upper-cased, cut at 15 characters", () => {
  const pc42 = device("pc42", { names: ["accounting-ws-0042.corp.contoso.com"], addresses: ["192.168.1.42"], egress: [BRANCH_EGRESS] });
  const pc43 = device("pc43", { names: ["accounting-ws-0043.corp.contoso.com"], addresses: ["192.168.1.43"], egress: [BRANCH_EGRESS] });

  it("ACCOUNTING-WS-0 at the address accounting-ws-0042 reports is accounting-ws-0042, even with accounting-ws-0043 in the data", () => {
    const r = correlate([pc42, pc43], [asset("a42", { names: ["ACCOUNTING-WS-0"], addresses: ["192.168.1.42"] })]);
    assert.deepEqual(pairs(r), [["pc42", "a42"]]);
    assert.equal(r.byDevice.get("pc42")?.rule, "netbios+ip");
    assert.deepEqual(r.byDevice.get("pc42")?.keys, ["ip:192.168.1.42", "netbios:ACCOUNTING-WS-0"]);
  });

  it("trap: ACCOUNTING-WS-0 without an address in common, accounting-ws-0042 and -0043 both there: it names neither", () => {
    const r = correlate([pc42, pc43], [asset("a?", { names: ["ACCOUNTING-WS-0"], addresses: ["192.168.1.99"] })]);
    assert.equal(r.byDevice.size, 0);
    assert.equal(r.unmatchedAssets.get("a?"), "ambiguous-name");
  });

  it("trap: ACCOUNTING-WS-0 alone with only accounting-ws-0042 known: a cut name alone still names nothing (the host it was cut from may be unknown)", () => {
    const r = correlate([pc42], [asset("a?", { names: ["ACCOUNTING-WS-0"], addresses: ["192.168.1.99"] })]);
    assert.equal(r.byDevice.size, 0);
    assert.equal(r.unmatched.get("pc42"), "ambiguous-name");
  });

  it("a NetBIOS name is no contradiction of the full name: with the FQDN on the asset too, the FQDN and address match", () => {
    const r = correlate([pc42], [asset("a42", { names: ["accounting-ws-0042.contoso.local", "ACCOUNTING-WS-0"], addresses: ["192.168.1.42"] })]);
    assert.equal(r.byDevice.get("pc42")?.rule, "name+ip");
  });

  it("an uncut NetBIOS name (under 15 characters) is the short name: FIN-LT-0042 at its address matches fin-lt-0042", () => {
    const r = correlate(
      [device("fin", { names: ["fin-lt-0042.corp.contoso.com"], addresses: ["10.20.0.42"] })],
      [asset("a-fin", { names: ["FIN-LT-0042"], addresses: ["10.20.0.42"] })],
    );
    assert.equal(r.byDevice.get("fin")?.rule, "name+ip");
    assert.deepEqual(r.byDevice.get("fin")?.keys, ["ip:10.20.0.42", "name:fin-lt-0042"]);
  });

  it("trap: a 15-character name that is no cut of the device's short name contradicts it", () => {
    const branch = branchPcs(2);
    const r = correlate(
      [...branch.devices, pc42],
      [...branch.assets, asset("a42", { names: ["WAREHOUSE-WS-00"], addresses: ["192.168.1.42"], site: "branch-a" })],
    );
    assert.equal(r.unmatched.get("pc42"), "contradiction");
  });
});

describe("4. split DNS: reverse DNS under an internal suffix, the source under the AD domain", () => {
  const srv = device("srv", { names: ["srv-b-0001.corp.contoso.com"], addresses: ["192.168.1.10"], egress: [BRANCH_EGRESS] });

  it("srv-b-0001.contoso.local and srv-b-0001.corp.contoso.com on the same address: the same short name on the same address matches", () => {
    const r = correlate([srv], [asset("a-srv", { names: ["srv-b-0001.contoso.local"], addresses: ["192.168.1.10"] })]);
    assert.equal(r.byDevice.get("srv")?.rule, "name+ip");
    assert.deepEqual(r.byDevice.get("srv")?.keys, ["ip:192.168.1.10", "name:srv-b-0001"]);
  });

  it("reverse DNS in capitals with the root's dot, among the branch's PCs: still the same short name on the same address", () => {
    const branch = branchPcs(2);
    const r = correlate(
      [...branch.devices, srv],
      [...branch.assets, asset("a-srv", { names: ["SRV-B-0001.contoso.local."], addresses: ["192.168.1.10"], site: "branch-a" })],
    );
    assert.equal(r.byDevice.get("srv")?.assetId, "a-srv");
  });

  it("trap: two different short names on the same address still contradict", () => {
    const branch = branchPcs(2);
    const r = correlate(
      [...branch.devices, srv],
      [...branch.assets, asset("a-other", { names: ["srv-b-0002.contoso.local"], addresses: ["192.168.1.10"], site: "branch-a" })],
    );
    assert.equal(r.byDevice.get("srv"), undefined);
    assert.equal(r.unmatched.get("srv"), "contradiction");
  });

  it("trap: the short name alone in two domains, no address in common: it names nothing", () => {
    const r = correlate([srv], [asset("a-srv", { names: ["srv-b-0001.contoso.local"], addresses: ["192.168.7.7"] })]);
    assert.equal(r.byDevice.size, 0);
    assert.equal(r.unmatched.get("srv"), "ambiguous-name");
  });
});
