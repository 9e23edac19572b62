/**
 * No secret, private key or token in any output: every scenario runs the CLI with
 * DEBUG=* and every byte it writes (stdout, stderr, records, summary) is scanned.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { startSimulatedTenant, type SimulatedTenant, type FaultPlan } from "../../src/simulator/index.js";

const BIN = join(import.meta.dirname, "../../dist/cli/bin.js");
const SECRET = `s3cr3t-${randomUUID()}`;
const NO_ROLES = randomUUID();
let tenant: SimulatedTenant;
let dir: string;

before(async () => {
  tenant = await startSimulatedTenant({
    devices: 120,
    clients: [
      { clientId: randomUUID(), clientSecret: SECRET, roles: ["Machine.Read.All"] },
      { clientId: NO_ROLES, clientSecret: SECRET, roles: [] },
    ],
  });
  dir = mkdtempSync(join(tmpdir(), "scan-probe-secrets-"));
  writeFileSync(join(dir, "ca.pem"), tenant.caPem);
});
after(async () => {
  await tenant.close();
  rmSync(dir, { recursive: true, force: true }); // runs whether the tests passed or not
});

const JWT = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/;

const scenarios: { name: string; credential: () => Record<string, unknown>; faults?: FaultPlan; options?: Record<string, unknown>; command?: string }[] = [
  { name: "a complete run", credential: () => tenant.credential() },
  { name: "a wrong secret", credential: () => ({ ...tenant.credential(), clientSecret: `${SECRET}-wrong` }) },
  { name: "no permission (401 twice, with a token refresh)", credential: () => ({ ...tenant.credential(), clientId: NO_ROLES }) },
  { name: "a token revoked mid-run", credential: () => tenant.credential(), faults: { api: [{ at: 2, kind: "revoke-token" }] }, options: { pageSize: 50 } },
  { name: "a server error on every retry", credential: () => tenant.credential(), faults: { api: [{ at: 1, kind: "status", status: 500, repeat: true }] } },
  { name: "a token endpoint outage", credential: () => tenant.credential(), faults: { token: [{ at: 1, kind: "status", status: 503 }] } },
  { name: "verify", credential: () => tenant.credential(), command: "verify" },
];

for (const scenario of scenarios) {
  test(`DEBUG=* leaks nothing: ${scenario.name}`, async () => {
    tenant.faults = scenario.faults ?? {};
    const credFile = join(dir, `${randomUUID()}.json`);
    const credential = scenario.credential();
    writeFileSync(credFile, JSON.stringify(credential));
    const out = join(dir, `${randomUUID()}.jsonl`);
    const summary = join(dir, `${randomUUID()}.json`);
    const options = JSON.stringify({ apiBaseUrl: tenant.apiBaseUrl, authorityHost: tenant.authorityHost, ...scenario.options });
    const args =
      scenario.command === "verify"
        ? ["verify", "defender365", "--credential", credFile, "--options", options]
        : ["run", "defender365", "--credential", credFile, "--options", options, "--out", out, "--summary", summary];
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve) =>
      execFile(
        process.execPath,
        [BIN, ...args],
        { env: { ...process.env, DEBUG: "*", DEBUG_DEPTH: "10", NODE_EXTRA_CA_CERTS: join(dir, "ca.pem"), TMPDIR: dir }, maxBuffer: 64 * 1024 * 1024 },
        (_e, o, e) => resolve({ stdout: o, stderr: e }),
      ),
    );
    const everything = [stdout, stderr, existsSync(out) ? readFileSync(out, "utf8") : "", existsSync(summary) ? readFileSync(summary, "utf8") : ""].join("\n");
    assert.ok(stderr.includes("scan-probes:"), "debug logging was on");
    assert.ok(!everything.includes(SECRET), "the client secret appears nowhere");
    assert.doesNotMatch(everything, JWT, "no token appears anywhere");
    assert.doesNotMatch(everything, /Bearer\s+[A-Za-z0-9]/, "no bearer header appears");
    assert.doesNotMatch(everything, /client_secret=|client_assertion=/);
    tenant.faults = {};
  });
}

test("DEBUG=* with a certificate credential leaks no private key", async () => {
  const certTenant = await startSimulatedTenant({ devices: 20 });
  try {
    const credential = certTenant.credential("azure-client-certificate");
    const credFile = join(dir, "cert.json");
    writeFileSync(credFile, JSON.stringify(credential));
    writeFileSync(join(dir, "ca2.pem"), certTenant.caPem);
    const options = JSON.stringify({ apiBaseUrl: certTenant.apiBaseUrl, authorityHost: certTenant.authorityHost });
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve) =>
      execFile(
        process.execPath,
        [BIN, "run", "defender365", "--credential", credFile, "--options", options],
        { env: { ...process.env, DEBUG: "*", NODE_EXTRA_CA_CERTS: join(dir, "ca2.pem"), TMPDIR: dir }, maxBuffer: 64 * 1024 * 1024 },
        (_e, o, e) => resolve({ stdout: o, stderr: e }),
      ),
    );
    const keyBody = (credential["privateKey"] ?? "").split("\n").filter((l) => l && !l.startsWith("-----"))[0] ?? "";
    assert.ok(keyBody.length > 20);
    assert.ok(!(stdout + stderr).includes(keyBody), "no line of the private key appears");
    assert.doesNotMatch(stdout + stderr, /PRIVATE KEY/);
    assert.doesNotMatch(stdout + stderr, JWT);
  } finally {
    await certTenant.close();
  }
});
