/**
 * Managed identity through msal-node's ManagedIdentityApplication against the simulated
 * host endpoint (App Service shape: IDENTITY_ENDPOINT + IDENTITY_HEADER over https, trusted
 * through the environment's CA). msal reads those variables from process.env and keeps the
 * source it found for the life of the process: the host without an endpoint is
 * `managed-identity-absent.test.ts`, in a process of its own.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import got from "got";
import type { Logger, ProbeEnv } from "../../src/contract.js";
import { CredentialCodec, type Credential } from "../../src/azure/credentials.js";
import { createEnvironment } from "../../src/runtime/environment.js";
import { defender365 } from "../../src/probes/defender365/index.js";
import { verifyCommand, EXIT, type Terminal } from "../../src/cli/commands.js";
import { startSimulatedTenant, type SimulatedTenant } from "../../src/simulator/index.js";

const USER_ASSIGNED = randomUUID();
let tenant: SimulatedTenant;
let env: ProbeEnv;
const lines: string[] = [];
const everything: Logger = (namespace) =>
  Object.assign((format: string, ...args: unknown[]) => void lines.push(`${namespace} ${format} ${args.map(String).join(" ")}`), { enabled: true });

before(async () => {
  tenant = await startSimulatedTenant({
    devices: 6,
    clients: [
      { clientId: randomUUID(), managedIdentity: "system-assigned", roles: ["Machine.Read.All"] },
      { clientId: USER_ASSIGNED, managedIdentity: "user-assigned", roles: ["Machine.Read.All"] },
    ],
  });
  env = createEnvironment({ extraCaPem: tenant.caPem, log: everything });
  Object.assign(process.env, tenant.managedIdentityEnvironment); // what the host sets
});
after(async () => {
  delete process.env["IDENTITY_ENDPOINT"];
  delete process.env["IDENTITY_HEADER"];
  await tenant.close();
});

const credential = (extra: Record<string, unknown> = {}): Credential => {
  const r = CredentialCodec.decode({ ...tenant.credential("azure-managed-identity"), ...extra });
  if (r._tag === "Left") throw new Error("managed identity credential does not decode");
  return r.right;
};
const run = (c: Credential) => {
  const options = defender365.options.decode({});
  if (options._tag === "Left") throw new Error("options");
  return defender365.run({ mode: "connector", credential: c, options: options.right, assets: [] }, env)();
};

test("system-assigned: a token from the host's endpoint, and the device list read", async () => {
  const outcome = await run(credential());
  assert.equal(outcome._tag, "Right", outcome._tag === "Left" ? `${outcome.left.code} ${outcome.left.message}` : "");
  if (outcome._tag === "Right") assert.ok(outcome.right.summary.counts.fetched > 0);
  assert.ok(tenant.stats.tokenRequests >= 1);
});

test("user-assigned: asked for by client id", async () => {
  const outcome = await run(credential({ clientId: USER_ASSIGNED }));
  assert.equal(outcome._tag, "Right", outcome._tag === "Left" ? `${outcome.left.code} ${outcome.left.message}` : "");
});

test("a user-assigned identity the host does not have: refused with the endpoint's message", async () => {
  const outcome = await run(credential({ clientId: randomUUID() }));
  assert.equal(outcome._tag, "Left");
  if (outcome._tag !== "Left") return;
  assert.match(outcome.left.code, /^ERR_AUTH_/);
  assert.match(outcome.left.message, /No User Assigned or Delegated Managed Identity/);
  assert.match(outcome.left.hint, /Assign the user-assigned identity/);
});

test("verify says the managed identity signed in", async () => {
  let text = "";
  const stream = { write: (s: string) => ((text += s), true), isTTY: false } as unknown as NodeJS.WriteStream;
  const term: Terminal = { out: stream, err: stream };
  const dir = mkdtempSync(join(tmpdir(), "mi-"));
  const file = join(dir, "credential.json");
  writeFileSync(file, JSON.stringify(tenant.credential("azure-managed-identity")));
  const code = await verifyCommand(defender365, { credential: file }, env, term).finally(() => rmSync(dir, { recursive: true, force: true }));
  assert.equal(code, EXIT.complete, text);
  assert.match(text, /credential: system-assigned managed identity/);
  assert.match(text, /no secret is sent: the host's managed identity endpoint signs in/);
});

test("the endpoint answers as App Service does: 401 without the header, 400 for an unknown identity", async () => {
  const http = got.extend({ https: { certificateAuthority: tenant.caPem }, throwHttpErrors: false, retry: { limit: 0 } });
  const url = `${tenant.managedIdentityEnvironment.IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=https://api.securitycenter.microsoft.com`;
  const noHeader = await http(url);
  assert.equal(noHeader.statusCode, 401);
  const unknown = await http(`${url}&client_id=${randomUUID()}`, { headers: { "x-identity-header": tenant.managedIdentityEnvironment.IDENTITY_HEADER } });
  assert.equal(unknown.statusCode, 400);
  assert.match(unknown.body, /"statusCode":400,"message":"No User Assigned/);
});

test("secrets scan: no token and no IDENTITY_HEADER in any log line (every namespace on)", () => {
  const text = lines.join("\n");
  assert.ok(lines.some((l) => l.startsWith("scan-probes:auth:msal ")));
  assert.ok(!text.includes(tenant.managedIdentityEnvironment.IDENTITY_HEADER));
  assert.ok(!/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./.test(text));
});
