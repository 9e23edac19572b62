/** One Falcon host: EDR state, inactivity, identifiers, OS, decoding, and what an undecodable one could be. */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { edrState, isInactive, namesOf, osOf, sourceDeviceOf } from "../../../src/probes/crowdstrike/device.js";
import { decodeFalconItem, crowdstrikeSource } from "../../../src/probes/crowdstrike/index.js";
import { identifiersOfInvalidHost } from "../../../src/probes/crowdstrike/invalid-host.js";
import type { FalconItem, Host } from "../../../src/probes/crowdstrike/host.js";

const NOW = Date.parse("2026-06-01T12:00:00Z");
const DAY = 86_400_000;
const staleBefore = NOW - 7 * DAY;
const host = (fields: Partial<Host> = {}): Host => ({
  device_id: "4c1f0e6a9b2d4e8f8a7b6c5d4e3f2a1b",
  hostname: "FIN-LT-0421",
  machine_domain: "corp.example.com",
  local_ip: "10.20.30.41",
  connection_ip: "10.20.30.41",
  external_ip: "203.0.113.7",
  mac_address: "3c-22-fb-1a-2b-3c",
  connection_mac_address: "3c-22-fb-1a-2b-3d",
  last_seen: new Date(NOW - DAY).toISOString(),
  status: "normal",
  reduced_functionality_mode: "no",
  os_product_name: "Windows 11 Enterprise",
  ...fields,
});
const item = (fields: Partial<Host> = {}): FalconItem => ({ host: host(fields), staleBefore });

test("EDR state: protected only when reporting, not in RFM, status normal", () => {
  const cases: [Partial<Host>, "protected" | "unhealthy", boolean][] = [
    [{}, "protected", false],
    [{ reduced_functionality_mode: "yes" }, "unhealthy", false],
    [{ status: "contained" }, "unhealthy", false],
    [{ status: "containment_pending" }, "unhealthy", false],
    [{ last_seen: new Date(NOW - 8 * DAY).toISOString() }, "unhealthy", true],
    [{ last_seen: null }, "unhealthy", false],
    [{ last_seen: "not a date" }, "unhealthy", false],
    [{ status: undefined, reduced_functionality_mode: undefined }, "protected", false],
  ];
  for (const [fields, state, inactive] of cases) {
    assert.equal(edrState(item(fields)), state, JSON.stringify(fields));
    assert.equal(isInactive(item(fields)), inactive, JSON.stringify(fields));
  }
});

test("identifiers: names with the FQDN where sensible, both IPs and MACs once, external IP as egress", () => {
  const device = sourceDeviceOf(host(), "id-1");
  assert.deepEqual(device.names, ["FIN-LT-0421", "FIN-LT-0421.corp.example.com"]);
  assert.deepEqual(device.addresses, ["10.20.30.41"]);
  assert.deepEqual(device.macs, ["3c-22-fb-1a-2b-3c", "3c-22-fb-1a-2b-3d"]);
  assert.deepEqual(device.egress, ["203.0.113.7"]);
  assert.deepEqual(namesOf(host({ machine_domain: "CORP" })), ["FIN-LT-0421"]);
  assert.deepEqual(namesOf(host({ hostname: "web1.example.org" })), ["web1.example.org"]);
  assert.deepEqual(namesOf(host({ hostname: null })), []);
  assert.equal(osOf(host()), "Windows 11 Enterprise");
  assert.equal(osOf(host({ os_product_name: null, os_version: "Ubuntu 24.04" })), "Ubuntu 24.04");
  assert.equal(osOf(host({ os_product_name: undefined, os_version: undefined, platform_name: "Mac" })), "Mac");
});

test("decode: unknown fields kept, only device_id required; a broken host is a warning naming fields, never values", () => {
  const raw = { host: { device_id: "abc", slow_changing_modified_timestamp: "x", policies: [{ applied: true }] }, staleBefore };
  const ok = decodeFalconItem(raw, 1, 0);
  assert.ok("item" in ok && ok.item.host.device_id === "abc");
  assert.equal(crowdstrikeSource.idOf("item" in ok ? ok.item : (undefined as never)), "abc");
  const bad = decodeFalconItem({ host: { device_id: "abc", hostname: 42, last_seen: "SECRET-VALUE" }, staleBefore }, 3, 7);
  assert.ok("warning" in bad);
  assert.equal("warning" in bad && bad.warning.path, "page 3 › resources[7].hostname");
  assert.ok("warning" in bad && !bad.warning.message.includes("42"));
  fc.assert(fc.property(fc.jsonValue({ maxDepth: 3 }), (value) => void decodeFalconItem({ host: value, staleBefore }, 1, 0)));
  fc.assert(fc.property(fc.jsonValue({ maxDepth: 3 }), (value) => void identifiersOfInvalidHost(value)));
});

test("attributes: every host field, nested ones dotted", () => {
  const text =
    crowdstrikeSource.attributes?.({ host: { ...host(), device_policies: { prevention: { applied: true } } } as Host, staleBefore }, undefined) ?? "";
  const attributes = JSON.parse(text) as Record<string, unknown>;
  assert.equal(attributes["device_policies.prevention.applied"], true);
  assert.equal(attributes["hostname"], "FIN-LT-0421");
  assert.equal(attributes["staleBefore"], undefined);
});

test("identifiers of an undecodable host: read loosely; a field of the wrong kind makes it any asset's", () => {
  assert.deepEqual(
    identifiersOfInvalidHost({ host: { hostname: "a", local_ip: "10.0.0.1", mac_address: "aa-bb-cc-dd-ee-ff", connection_ip: null }, staleBefore }),
    {
      names: ["a"],
      addresses: ["10.0.0.1"],
      macs: ["aa-bb-cc-dd-ee-ff"],
    },
  );
  assert.equal(identifiersOfInvalidHost({ host: { hostname: 5 }, staleBefore }), null);
  assert.equal(identifiersOfInvalidHost({ host: "nope", staleBefore }), null);
});
