/**
 * `UndecodableDevices`: which scanned assets a device that failed decoding could be, from the
 * identifiers still readable in it. Errs towards "could be" (unknown), never towards missing.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { UndecodableDevices } from "../../src/sync/undecodable.js";
import { identifiersOfInvalidMachine } from "../../src/probes/defender365/invalid-machine.js";
import type { ScannedAsset } from "../../src/engine/assets.js";

const asset: ScannedAsset = { id: "a", names: ["Web-01.corp.example."], addresses: ["10.0.0.7"], macs: ["00-1A-2B-3C-4D-5E"] };

const cases: [string, unknown[], boolean][] = [
  ["no device failed decoding", [], false],
  ["its name, in another spelling (short name, upper case)", [{ computerDnsName: "WEB-01", healthStatus: 42 }], true],
  ["its IP as lastIpAddress", [{ lastIpAddress: "10.0.0.7", id: 5 }], true],
  ["its IP in ipAddresses", [{ ipAddresses: [{ ipAddress: "::ffff:10.0.0.7" }], osPlatform: [] }], true],
  ["its MAC, another spelling", [{ ipAddresses: [{ macAddress: "001a2b3c4d5e" }] }], true],
  ["other identifiers only", [{ computerDnsName: "db-02", lastIpAddress: "10.0.0.8", ipAddresses: [{ macAddress: "00:1a:2b:3c:4d:5f" }] }], false],
  ["no identifier field at all (keys renamed, say): could be anyone's", [{ id: "x", healthStatus: 1, ComputerDnsName: "db-02" }], true],
  ["identifier fields null: could be anyone's", [{ computerDnsName: null, lastIpAddress: null, ipAddresses: null }], true],
  [
    "only identifiers correlation would drop (loopback, an all-zero MAC): could be anyone's",
    [{ lastIpAddress: "127.0.0.1", ipAddresses: [{ macAddress: "000000000000" }] }],
    true,
  ],
  ["other identifiers, one of them readable: not this asset's", [{ lastIpAddress: "127.0.0.1", computerDnsName: "db-02" }], false],
  ["a name that is not a string: could be anyone's", [{ computerDnsName: 42 }], true],
  ["ipAddresses not a list: could be anyone's", [{ ipAddresses: "10.0.0.8" }], true],
  ["an adapter that is not an object: could be anyone's", [{ ipAddresses: [7] }], true],
  ["not an object: could be anyone's", [[1, 2]], true],
  ["an own field named __proto__ is not read as identifiers", [JSON.parse('{"__proto__": {"computerDnsName": "web-01"}, "computerDnsName": "db-02"}')], false],
];

for (const [name, items, expected] of cases) {
  test(`an undecodable device could be the asset: ${name} → ${expected}`, () => {
    const devices = new UndecodableDevices();
    for (const item of items) devices.add(identifiersOfInvalidMachine(item));
    assert.equal(devices.count, items.length);
    assert.equal(devices.couldBe(asset), expected);
  });
}

test("any JSON taken: never a throw, and an asset without identifiers is only anyone's when some device was unreadable", () => {
  fc.assert(
    fc.property(fc.array(fc.jsonValue(), { maxLength: 5 }), (items) => {
      const devices = new UndecodableDevices();
      for (const item of items) devices.add(identifiersOfInvalidMachine(item));
      assert.equal(devices.couldBe({ id: "bare" }), devices.anyAsset);
    }),
  );
});
