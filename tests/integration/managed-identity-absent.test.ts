/**
 * A managed identity credential on a host without a managed identity endpoint (no
 * IDENTITY_ENDPOINT / IDENTITY_HEADER / MSI_ENDPOINT). In a process of its own: msal-node
 * keeps the managed identity source it found for the life of the process.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { CredentialCodec } from "../../src/azure/credentials.js";
import { createEnvironment } from "../../src/runtime/environment.js";
import { defender365 } from "../../src/probes/defender365/index.js";
import { startSimulatedTenant, type SimulatedTenant } from "../../src/simulator/index.js";

let tenant: SimulatedTenant;
before(async () => {
  for (const name of ["IDENTITY_ENDPOINT", "IDENTITY_HEADER", "MSI_ENDPOINT", "MSI_SECRET", "IMDS_ENDPOINT"]) delete process.env[name];
  tenant = await startSimulatedTenant({ devices: 1 });
});
after(() => tenant.close());

test("no managed identity endpoint on this host: ERR_CREDENTIAL_SOURCE naming the variables, nothing sent", async () => {
  const credential = CredentialCodec.decode(tenant.credential("azure-managed-identity"));
  const options = defender365.options.decode({});
  if (credential._tag === "Left" || options._tag === "Left") throw new Error("inputs do not decode");
  const env = createEnvironment({ extraCaPem: tenant.caPem });
  const outcome = await defender365.run({ mode: "connector", credential: credential.right, options: options.right, assets: [] }, env)();
  assert.equal(outcome._tag, "Left");
  if (outcome._tag !== "Left") return;
  assert.equal(outcome.left.code, "ERR_CREDENTIAL_SOURCE");
  assert.match(outcome.left.message, /IDENTITY_ENDPOINT and IDENTITY_HEADER/);
  assert.match(outcome.left.hint, /managed identity turned on/);
  assert.equal(tenant.stats.tokenRequests + tenant.stats.apiRequests, 0);
});
