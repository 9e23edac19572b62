/**
 * A device that fails decoding, end to end: the built CLI against the simulated tenant, one
 * record of a page broken by the simulator. The run is complete, but a scanned asset that
 * device could be is `unknown`, not `missing`: its sensor may be the device not read.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSimulatedTenant, type SimulatedTenant } from "../../src/simulator/index.js";
import { cli, scratchDir } from "./run-cli.js";

let tenant: SimulatedTenant;
const scratch = scratchDir("scan-probe-invalid-");
const dir = scratch.path;
let env: Record<string, string>;
let credFile: string;
/** Index, on the one page, of a protected device with a name no other device has, and that name. */
let target: { index: number; name: string };

/** The short name of a DNS name. */
const shortName = (name: string): string => (name.split(".")[0] ?? "").toLowerCase();

before(async () => {
  tenant = await startSimulatedTenant({ seed: 9, devices: 80 });
  writeFileSync(join(dir, "ca.pem"), tenant.caPem);
  env = { NODE_EXTRA_CA_CERTS: join(dir, "ca.pem"), TMPDIR: dir };
  credFile = join(dir, "credential.json");
  writeFileSync(credFile, JSON.stringify(tenant.credential()));
  const machines = tenant.machines();
  const names = machines.map((m) => (typeof m["computerDnsName"] === "string" ? shortName(m["computerDnsName"]) : ""));
  const index = machines.findIndex(
    (m, i) => m["healthStatus"] === "Active" && m["onboardingStatus"] === "Onboarded" && names[i] !== "" && names.filter((n) => n === names[i]).length === 1,
  );
  assert.ok(index >= 0, "the tenant has a protected device with a name of its own");
  target = { index, name: String(machines[index]?.["computerDnsName"]) };
});
after(async () => {
  await tenant.close();
  scratch.remove();
});

/** Runs the probe (every device on one page, inactive ones included, so that page index = tenant index) with `field` of the target broken. */
const runWithBroken = async (field: string, value: unknown) => {
  const assets = join(dir, "assets.jsonl");
  writeFileSync(
    assets,
    [
      { id: "only-the-broken-device", names: [target.name] },
      { id: "no-device-at-all", names: ["nowhere-near.example"], addresses: ["192.0.2.250"] },
    ]
      .map((a) => JSON.stringify(a))
      .join("\n"),
  );
  const summaryFile = join(dir, "summary.json");
  const options = JSON.stringify({ apiBaseUrl: tenant.apiBaseUrl, authorityHost: tenant.authorityHost, includeInactive: true });
  tenant.faults = { api: [{ at: 1, kind: "broken-record", index: target.index, field, value }] };
  const ran = await cli(
    ["run", "defender365", "--credential", credFile, "--options", options, "--assets", assets, "--out", "-", "--summary", summaryFile],
    env,
  );
  tenant.faults = {};
  assert.equal(ran.code, 0, ran.stderr);
  return JSON.parse(readFileSync(summaryFile, "utf8"));
};

test("an asset whose only candidate device failed decoding is unknown, not missing; an asset no device could be stays missing", async () => {
  const summary = await runWithBroken("healthStatus", 42); // its name is still readable
  assert.equal(summary.complete, true);
  assert.equal(summary.counts.invalid, 1);
  assert.equal(summary.coverage.edr.byAsset["only-the-broken-device"], "unknown");
  assert.equal(summary.coverage.edr.byAsset["no-device-at-all"], "missing");
  assert.equal(summary.coverage.edr.unknownFromInvalidDevices, 1);
});

test("a device that failed decoding with no readable identifier could be any asset's: no asset is missing", async () => {
  const summary = await runWithBroken("ipAddresses", "not a list");
  assert.equal(summary.complete, true);
  assert.equal(summary.counts.invalid, 1);
  assert.equal(summary.coverage.edr.missing, 0);
  assert.equal(summary.coverage.edr.byAsset["no-device-at-all"], "unknown");
  assert.equal(summary.coverage.edr.unknownFromInvalidDevices, 2);
});

test(
  "records that cannot all be written (a full disk): exit 1, and the summary says the run is incomplete, its error, no asset missing",
  { skip: !existsSync("/dev/full") && "no /dev/full here" },
  async () => {
    const assets = join(dir, "assets-full.jsonl");
    writeFileSync(assets, `${JSON.stringify({ id: "nowhere", names: ["nowhere-near.example"], addresses: ["192.0.2.250"] })}\n`);
    const summaryFile = join(dir, "summary-full.json");
    const options = JSON.stringify({ apiBaseUrl: tenant.apiBaseUrl, authorityHost: tenant.authorityHost });
    const ran = await cli(
      ["run", "defender365", "--credential", credFile, "--options", options, "--assets", assets, "--out", "/dev/full", "--summary", summaryFile],
      env,
    );
    assert.equal(ran.code, 1, ran.stderr);
    assert.match(ran.stderr, /ERR_RECORD_SINK: Could not finish writing the records to \/dev\/full \(ENOSPC\)/);
    const summary = JSON.parse(readFileSync(summaryFile, "utf8"));
    assert.equal(summary.complete, false);
    assert.deepEqual(
      summary.errors.map((e: { code: string }) => e.code),
      ["ERR_RECORD_SINK"],
    );
    assert.equal(summary.coverage.edr.missing, 0);
    assert.equal(summary.coverage.edr.byAsset["nowhere"], "unknown");
  },
);
