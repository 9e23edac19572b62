/**
 * Two simulated tenants at once, as an engine test sees them: each with its own CA subject
 * and its own tenant and client ids (from the seed), both trusted by one environment, and
 * each reached with its own credential.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { startSimulatedTenant, type SimulatedTenant } from "../../src/simulator/index.js";
import { createEnvironment } from "../../src/runtime/environment.js";
import { CredentialCodec } from "../../src/azure/credentials.js";
import { defender365 } from "../../src/probes/defender365/index.js";

let a: SimulatedTenant;
let b: SimulatedTenant;
before(async () => {
  [a, b] = await Promise.all([startSimulatedTenant({ seed: 11, devices: 3 }), startSimulatedTenant({ seed: 12, devices: 4 })]);
});
after(async () => {
  await Promise.all([a.close(), b.close()]);
});

test("tenants of different seeds differ in CA subject, tenant id and client ids", () => {
  assert.notEqual(new X509Certificate(a.caPem).subject, new X509Certificate(b.caPem).subject);
  assert.notEqual(a.tenantId, b.tenantId);
  const ids = (t: SimulatedTenant) => t.clients.map((c) => c.clientId);
  assert.equal(ids(a).filter((id) => ids(b).includes(id)).length, 0);
});

test("the same seed gives the same ids (a test can name them), and still its own CA subject", async () => {
  const again = await startSimulatedTenant({ seed: 11, devices: 1 });
  try {
    assert.equal(again.tenantId, a.tenantId);
    assert.deepEqual(
      again.clients.map((c) => c.clientId),
      a.clients.map((c) => c.clientId),
    );
    assert.notEqual(new X509Certificate(again.caPem).subject, new X509Certificate(a.caPem).subject);
  } finally {
    await again.close();
  }
});

test("one environment trusting both CAs reaches both tenants, each with its own credential", async () => {
  const env = createEnvironment({ extraCaPem: [a.caPem, b.caPem] });
  const options = defender365.options.decode({});
  assert.equal(options._tag, "Right");
  if (options._tag !== "Right") return;
  for (const tenant of [a, b]) {
    const listed = tenant.machines().filter((m) => m["healthStatus"] !== "Inactive").length;
    const credential = CredentialCodec.decode(tenant.credential());
    assert.equal(credential._tag, "Right");
    if (credential._tag !== "Right") return;
    const outcome = await defender365.run({ mode: "connector", credential: credential.right, options: options.right, assets: [] }, env)();
    assert.equal(outcome._tag, "Right", outcome._tag === "Left" ? outcome.left.message : "");
    if (outcome._tag === "Right") assert.equal(outcome.right.summary.counts.fetched, listed);
    assert.ok(tenant.stats.tokenRequests >= 1);
  }
});

test("a child process trusting both CAs in one NODE_EXTRA_CA_CERTS file reaches both", async () => {
  const dir = mkdtempSync(join(tmpdir(), "two-cas-"));
  try {
    const caFile = join(dir, "cas.pem");
    writeFileSync(caFile, `${a.caPem}\n${b.caPem}`);
    const script = `const urls = process.argv.slice(1); for (const u of urls) { const r = await fetch(u); console.log(r.status); }`;
    const urls = [a, b].map((t) => `${t.origin}/${t.tenantId}/v2.0/.well-known/openid-configuration`);
    const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script, ...urls], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile },
    });
    assert.deepEqual(stdout.trim().split("\n"), ["200", "200"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
