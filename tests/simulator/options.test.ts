import { test } from "node:test";
import assert from "node:assert/strict";
import { startSimulatedTenant, type SimulatorOptions } from "../../src/simulator/index.js";

test("invalid options are refused with the field named; unknown keys too", async () => {
  const bad: [SimulatorOptions, RegExp][] = [
    [{ devices: -1 }, /devices/],
    [{ pageCap: 10_001 }, /pageCap/],
    [{ tenantId: "contoso" }, /tenantId: expected a GUID/],
    [{ rateLimit: { perMinute: 0, perHour: 5 } }, /rateLimit\.perMinute/],
    [{ now: "yesterday" }, /now/],
    [{ clients: [{ clientId: "nope", roles: [] }] }, /clients\[0\]\.clientId/],
    [
      {
        clients: [
          { clientId: "33333333-0000-4000-8000-000000000001", roles: [], certificatePem: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----" },
        ],
      },
      /certificatePem/,
    ],
    [{ devicess: 5 } as SimulatorOptions, /devicess/],
  ];
  for (const [options, message] of bad)
    await assert.rejects(startSimulatedTenant(options), (e: unknown) => e instanceof TypeError && message.test(e.message), JSON.stringify(options));
});

test("defaults: 200 devices, one secret and one certificate client with Machine.Read.All, the fixed tenant id", async () => {
  const tenant = await startSimulatedTenant();
  try {
    assert.equal(tenant.machines().length, 200);
    assert.equal(tenant.clients.length, 4);
    assert.ok(tenant.clients.every((c) => c.roles.join() === "Machine.Read.All"));
    assert.ok(
      tenant.clients.some((c) => c.clientSecret !== undefined) &&
        tenant.clients.some((c) => c.certificatePem !== undefined) &&
        tenant.clients.some((c) => c.federatedSubject !== undefined) &&
        tenant.clients.some((c) => c.managedIdentity === "system-assigned"),
    );
    assert.equal(tenant.tenantId, "8f3c2a71-5b6d-4e0f-9a1b-2c3d4e5f6a7b");
    assert.deepEqual(tenant.faults, { api: [], token: [] });
  } finally {
    await tenant.close();
  }
});
