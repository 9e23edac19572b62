/**
 * Properties of correlation across sites: random branch offices (their own subnets and egress),
 * their PCs and unmanaged hosts, and a laptop that reported from elsewhere with addresses from
 * the same ranges.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { correlate, type AssetEvidence, type SourceDevice } from "../../src/correlate/index.js";
import { subnetOf } from "../../src/correlate/ip.js";
import { ipv4Subnet } from "../../src/correlate/site-evidence.js";
import { asset, device } from "./builders.js";

const SITES = 3;
const addressOf = (site: number, host: number): string => `192.168.${site}.${host}`;

/** An office PC: its site, host octet, and what the scan saw of it. */
const pcArb = fc.record({ site: fc.nat(SITES - 1), host: fc.integer({ min: 1, max: 40 }), named: fc.boolean(), mac: fc.boolean() });
/** An unmanaged host in a site. */
const strangerArb = fc.record({ site: fc.nat(SITES - 1), host: fc.integer({ min: 1, max: 40 }) });
/** The laptop elsewhere: addresses from the sites' ranges, maybe a tunnel, maybe no egress at all … */
const awayArb = fc.record({
  addresses: fc.uniqueArray(fc.tuple(fc.nat(SITES - 1), fc.integer({ min: 1, max: 40 })), { minLength: 1, maxLength: 3 }),
  tunnel: fc.boolean(),
  os: fc.constantFrom(null, "Windows11"),
});

/** A tenant: the PCs (each reporting from its site's egress) and their assets, the strangers' assets, with or without `site` on the assets. */
function estate(
  pcs: readonly { site: number; host: number; named: boolean; mac: boolean }[],
  strangers: readonly { site: number; host: number }[],
  withSite: boolean,
) {
  const devices: SourceDevice[] = [];
  const assets: AssetEvidence[] = [];
  const taken = new Set<string>();
  pcs.forEach((pc, k) => {
    const ip = addressOf(pc.site, pc.host);
    if (taken.has(ip)) return;
    taken.add(ip);
    const mac = `3C2AF4B8${(0x1000 + k).toString(16).toUpperCase()}`;
    devices.push(device(`pc${k}`, { names: [`pc${k}.corp.contoso.com`], macs: [mac], addresses: [ip], egress: [`198.51.100.${pc.site + 1}`] }));
    assets.push(
      asset(`a-pc${k}`, {
        addresses: [ip],
        ...(pc.named ? { names: [`pc${k}.contoso.local`] } : {}),
        ...(pc.mac ? { macs: [mac] } : {}),
        ...(withSite ? { site: `site${pc.site}` } : {}),
      }),
    );
  });
  strangers.forEach((s, k) => {
    const ip = addressOf(s.site, s.host);
    if (taken.has(ip)) return;
    taken.add(ip);
    assets.push(asset(`stranger${k}`, { addresses: [ip], ...(withSite ? { site: `site${s.site}` } : {}) }));
  });
  return { devices, assets };
}

const runs = { numRuns: 300, ...(process.env["FC_SEED"] ? { seed: Number(process.env["FC_SEED"]) } : {}) };

describe("estate properties", () => {
  it("a device whose only evidence is an address it reported from outside every scanned site never matches", () => {
    fc.assert(
      fc.property(fc.array(pcArb, { maxLength: 30 }), fc.array(strangerArb, { maxLength: 30 }), awayArb, fc.boolean(), (pcs, strangers, away, withSite) => {
        const { devices, assets } = estate(pcs, strangers, withSite);
        const laptop = device("away", {
          addresses: [...(away.tunnel ? ["10.250.0.7"] : []), ...away.addresses.map(([site, host]) => addressOf(site, host))],
          ...(away.tunnel ? { tunnelAddresses: ["10.250.0.7"] } : {}),
          egress: ["81.2.69.160"],
          os: away.os,
        });
        const r = correlate([...devices, laptop], assets);
        assert.equal(r.byDevice.get("away"), undefined, `matched ${r.byDevice.get("away")?.assetId}`);
        // Where it was, the PCs still are: every PC the scan found by name or MAC matches, whatever the laptop reported.
        const alone = correlate(devices, assets);
        for (const [id, match] of alone.byDevice) if (match.rule !== "ip") assert.equal(r.byDevice.get(id)?.assetId, match.assetId, id);
      }),
      runs,
    );
  });

  it("an office PC the scan found by its address alone matches, given one other PC matched on its site", () => {
    fc.assert(
      fc.property(fc.array(pcArb, { minLength: 1, maxLength: 20 }), fc.boolean(), (pcs, withSite) => {
        const first = pcs[0] as (typeof pcs)[number];
        // Known by name: the first PC of its site; the one to test sits on the same site, at an address no one else has.
        const known = { ...first, named: true };
        const quiet = { site: first.site, host: 200, named: false, mac: false };
        const { devices, assets } = estate([known, quiet, ...pcs.slice(1)], [], withSite);
        const r = correlate(devices, assets);
        assert.equal(r.byDevice.get("pc1")?.assetId, "a-pc1");
      }),
      runs,
    );
  });

  it("a NetBIOS name cut from a long short name never ties a device by itself", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 99 }), { minLength: 1, maxLength: 5 }), fc.nat(99), (numbers, pick) => {
        const devices = numbers.map((n) =>
          device(`ws${n}`, { names: [`accounting-ws-00${String(n).padStart(2, "0")}.corp.contoso.com`], addresses: [`10.20.0.${n + 1}`] }),
        );
        const r = correlate(devices, [
          asset("a", { names: [`accounting-ws-00${String(pick).padStart(2, "0")}`.toUpperCase().slice(0, 15)], addresses: ["10.30.0.1"] }),
        ]);
        assert.equal(r.byDevice.size, 0);
      }),
      runs,
    );
  });

  it("the numeric /24 of an IPv4 address is the subnet subnetOf prints; anything else is -1", () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        const [a, b, c] = subnetOf(ip).split(".").map(Number) as [number, number, number];
        assert.equal(ipv4Subnet(ip), a * 65536 + b * 256 + c);
      }),
      runs,
    );
    for (const other of ["fd12:3456:789a:1::5", "10.1.2", ""]) assert.equal(ipv4Subnet(other), -1, other);
  });
});
