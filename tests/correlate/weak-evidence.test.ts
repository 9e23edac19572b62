/**
 * Weak evidence: an IP alone. Found with the labelled evaluation (scripts/correlation-eval.ts):
 * two more things block it, a stale report and a different OS family.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { correlate as correlateForStaleness } from "../../src/correlate/index.js";
import { isServerOs, osFamilyOf } from "../../src/correlate/os-family.js";
import { neighbourAt } from "./builders.js";

const ipOnlyDevice = (id: string, lastSeen: string, os: string | null = "Windows11") => ({
  id,
  names: [`${id}.corp.example.com`],
  macs: [],
  addresses: ["10.9.8.7"],
  lastSeen,
  mergedIntoId: null,
  potentialDuplicate: false,
  os,
});

test("trap: DHCP reuse after the laptop left — an IP whose device last reported days before the newest report is not evidence alone", () => {
  const fresh = {
    id: "fresh",
    names: ["other.corp.example.com"],
    macs: ["00:11:22:33:44:55"],
    addresses: ["10.1.1.1"],
    lastSeen: "2025-06-02T08:00:00Z",
    mergedIntoId: null,
    potentialDuplicate: false,
  };
  const result = correlateForStaleness([ipOnlyDevice("roamer", "2025-05-30T08:00:00Z"), fresh], [{ id: "printer", addresses: ["10.9.8.7"] }]);
  assert.equal(result.byDevice.get("roamer"), undefined);
  assert.equal(result.unmatched.get("roamer"), "stale-address");
});

test("an IP alone still matches a device that reported within two days of the newest report", () => {
  const n = neighbourAt("10.9.8.1", "2025-06-01T09:00:00Z");
  const result = correlateForStaleness([ipOnlyDevice("recent", "2025-06-01T09:00:00Z"), n.device], [{ id: "host", addresses: ["10.9.8.7"] }, n.asset]);
  assert.equal(result.byDevice.get("recent")?.assetId, "host");
  assert.equal(result.byDevice.get("recent")?.rule, "ip");
});

test("trap: an IP alone never ties a Windows device to an asset fingerprinted as Linux", () => {
  const result = correlateForStaleness([ipOnlyDevice("win", "2025-06-01T09:00:00Z")], [{ id: "camera", addresses: ["10.9.8.7"], os: "embedded Linux 3.x" }]);
  assert.equal(result.byDevice.get("win"), undefined);
  assert.equal(result.unmatched.get("win"), "contradiction");
});

test("OS families: Windows, Apple and Linux spellings from both sources; unknown stays unknown", () => {
  assert.equal(osFamilyOf("Windows11"), "windows");
  assert.equal(osFamilyOf("WindowsServer2022"), "windows");
  assert.equal(osFamilyOf("Microsoft Windows 10 Pro"), "windows");
  assert.equal(osFamilyOf("macOS"), "apple");
  assert.equal(osFamilyOf("Ubuntu"), "linux");
  assert.equal(osFamilyOf("RedHatEnterpriseLinux"), "linux");
  assert.equal(osFamilyOf("embedded Linux"), "linux");
  assert.equal(osFamilyOf("HP JetDirect"), "printer");
  assert.equal(osFamilyOf("Brother printer"), "printer");
  assert.equal(osFamilyOf("Microsoft Windows Server 2019"), "windows", "a Windows print server is Windows");
  assert.equal(osFamilyOf("Other"), null);
  assert.equal(osFamilyOf("Cisco IOS 15"), null, "Cisco IOS is not Apple iOS");
  assert.equal(osFamilyOf(null), null);
});

test("trap dhcp-impostor: an IP alone never ties a device to an asset fingerprinted as a printer's firmware of another family", () => {
  const table: { deviceOs: string | null; assetOs: string; matches: boolean }[] = [
    { deviceOs: "Windows11", assetOs: "HP JetDirect", matches: false },
    { deviceOs: "Ubuntu", assetOs: "Brother printer", matches: false },
    { deviceOs: "macOS", assetOs: "HP JetDirect", matches: false },
    { deviceOs: "Other", assetOs: "HP JetDirect", matches: true }, // a discovered printer: its family is unknown
    { deviceOs: null, assetOs: "HP JetDirect", matches: true },
    { deviceOs: "Windows11", assetOs: "Microsoft Windows 10", matches: true },
  ];
  for (const { deviceOs, assetOs, matches } of table) {
    const n = neighbourAt("10.9.8.1", "2025-06-01T09:00:00Z");
    const result = correlateForStaleness(
      [ipOnlyDevice("laptop", "2025-06-01T09:00:00Z", deviceOs), n.device],
      [{ id: "host", addresses: ["10.9.8.7"], os: assetOs }, n.asset],
    );
    const label = `${deviceOs} vs ${assetOs}`;
    assert.equal(result.byDevice.get("laptop")?.assetId, matches ? "host" : undefined, label);
    if (!matches) assert.equal(result.unmatched.get("laptop"), "contradiction", label);
  }
});

test("trap stale-address: a server edition's address is its own for seven days, a client's lease for two", () => {
  // The newest report in the data is the neighbour's, at 2025-06-02T08:00Z.
  const table: { os: string; lastSeen: string; matches: boolean }[] = [
    { os: "WindowsServer2022", lastSeen: "2025-05-29T08:00:00Z", matches: true }, // impaired sensor, 4 days
    { os: "Windows Server 2019", lastSeen: "2025-05-26T09:00:00Z", matches: true }, // just under 7 days
    { os: "WindowsServer2016", lastSeen: "2025-05-26T07:00:00Z", matches: false }, // over 7 days: Defender's Inactive
    { os: "Windows11", lastSeen: "2025-05-29T08:00:00Z", matches: false }, // a leased address moves on
    { os: "Windows11", lastSeen: "2025-06-01T09:00:00Z", matches: true },
  ];
  for (const { os, lastSeen, matches } of table) {
    const n = neighbourAt("10.9.8.1", "2025-06-02T08:00:00Z");
    const result = correlateForStaleness([ipOnlyDevice("srv", lastSeen, os), n.device], [{ id: "host", addresses: ["10.9.8.7"] }, n.asset]);
    const label = `${os} last seen ${lastSeen}`;
    assert.equal(result.byDevice.get("srv")?.assetId, matches ? "host" : undefined, label);
    if (!matches) assert.equal(result.unmatched.get("srv"), "stale-address", label);
  }
  assert.equal(isServerOs("WindowsServer2022"), true);
  assert.equal(isServerOs("Windows11"), false);
  assert.equal(isServerOs(null), false);
});
