/**
 * The decode's fast path, `isMachine`, agrees with `MachineCodec.is` on any JSON: on every
 * machine the simulated tenant makes, on each field of the codec (read from the codec itself,
 * so a field added there and not to the guard fails here) set to values of every JSON kind,
 * on the nested entries' fields, and on arbitrary objects with the machine's keys.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { IpAddressEntryCodec, MachineCodec, VmMetadataCodec } from "../../../src/probes/defender365/machine.js";
import { isMachine } from "../../../src/probes/defender365/machine-guard.js";
import { generateTenant } from "../../../src/simulator/index.js";

/** Values of every JSON kind, and the shapes the codec's array and object fields take. */
const VALUES: readonly unknown[] = [null, 0, -1.5, "", "x", true, false, [], ["a", "b"], [1], [null], {}, [{}], { vmId: "v" }, [{ ipAddress: "10.0.0.1" }]];

const agree = (value: unknown, what: string): void => {
  const guard = isMachine(value);
  const codec = MachineCodec.is(value);
  if (guard !== codec) assert.fail(`${what}: guard ${guard}, codec ${codec} for ${JSON.stringify(value)}`);
};

const tenant = generateTenant({ seed: 11, devices: 3_000 });
const machines = Array.from({ length: tenant.count }, (_, i) => JSON.parse(JSON.stringify(tenant.machineAt(i))) as Record<string, unknown>);

test("every machine the simulated tenant makes passes the guard (the fast path is the one taken)", () => {
  for (const machine of machines) {
    assert.equal(isMachine(machine), true, JSON.stringify(machine));
    agree(machine, "generated");
  }
});

test("each field of the codec, missing or set to a value of any JSON kind: the guard and the codec agree", () => {
  const cloud = machines.find((m) => m["vmMetadata"] !== null) ?? machines[0];
  for (const base of [machines[0], cloud]) {
    for (const field of Object.keys(MachineCodec.props)) {
      const { [field]: _dropped, ...missing } = base as Record<string, unknown>;
      agree(missing, `${field} missing`);
      for (const value of VALUES) agree({ ...base, [field]: value }, field);
    }
  }
});

test("each field of an address entry and of the VM metadata, missing or of any JSON kind: the guard and the codec agree", () => {
  const base = machines.find((m) => m["vmMetadata"] !== null && Array.isArray(m["ipAddresses"]) && m["ipAddresses"].length > 1);
  assert.ok(base, "a cloud machine with several addresses");
  const entries = base["ipAddresses"] as Record<string, unknown>[];
  for (const field of Object.keys(IpAddressEntryCodec.props)) {
    const { [field]: _dropped, ...missing } = entries[1] as Record<string, unknown>;
    agree({ ...base, ipAddresses: [entries[0], missing] }, `ipAddresses[1].${field} missing`);
    for (const value of VALUES) agree({ ...base, ipAddresses: [entries[0], { ...entries[1], [field]: value }] }, `ipAddresses[1].${field}`);
  }
  const vm = base["vmMetadata"] as Record<string, unknown>;
  for (const field of Object.keys(VmMetadataCodec.props)) {
    const { [field]: _dropped, ...missing } = vm;
    agree({ ...base, vmMetadata: missing }, `vmMetadata.${field} missing`);
    for (const value of VALUES) agree({ ...base, vmMetadata: { ...vm, [field]: value } }, `vmMetadata.${field}`);
  }
});

test("any JSON, and objects with the machine's keys holding any JSON: the guard and the codec agree", () => {
  const keys = Object.keys(MachineCodec.props);
  const machineLike = fc
    .tuple(fc.constantFrom(...machines.slice(0, 50)), fc.dictionary(fc.constantFrom(...keys), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }))
    .map(([machine, changes]) => ({ ...machine, ...changes }));
  fc.assert(
    fc.property(fc.oneof(fc.jsonValue({ maxDepth: 4 }), machineLike), (value) => agree(value, "arbitrary")),
    { numRuns: 2_000 },
  );
});
