/**
 * HTTPS_PROXY / NO_PROXY through the one HTTP stack: sign-in and API calls alike go through a
 * local CONNECT proxy (TLS stays end to end), and NO_PROXY sends them direct.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSimulatedTenant, type SimulatedTenant } from "../../src/simulator/index.js";
import { startConnectProxy, type ConnectProxy } from "../integration/connect-proxy.js";

const BIN = join(import.meta.dirname, "../../dist/cli/bin.js");
let tenant: SimulatedTenant;
let proxy: ConnectProxy;
let proxyUrl: string;
let dir: string;

before(async () => {
  tenant = await startSimulatedTenant({ devices: 50 });
  proxy = await startConnectProxy();
  proxyUrl = proxy.url.replace("http://", "http://user:proxy-password@");
  dir = mkdtempSync(join(tmpdir(), "scan-probe-proxy-"));
  writeFileSync(join(dir, "ca.pem"), tenant.caPem);
  writeFileSync(join(dir, "credential.json"), JSON.stringify(tenant.credential()));
});
after(async () => {
  await proxy.close();
  await tenant.close();
  rmSync(dir, { recursive: true, force: true }); // runs whether the tests passed or not
});

const run = (env: Record<string, string>) =>
  new Promise<{ code: number; stderr: string }>((resolve) =>
    execFile(
      process.execPath,
      [
        BIN,
        "run",
        "defender365",
        "--credential",
        join(dir, "credential.json"),
        "--options",
        JSON.stringify({ apiBaseUrl: tenant.apiBaseUrl, authorityHost: tenant.authorityHost }),
        "--out",
        join(dir, "out.jsonl"),
      ],
      { env: { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, "ca.pem"), NO_PROXY: "", no_proxy: "", DEBUG: "scan-probes:*", ...env } },
      (error, _stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stderr }),
    ),
  );

test("HTTPS_PROXY: the token request and every API call go through the proxy; its password is never printed", async () => {
  proxy.tunnels.length = 0;
  const before = tenant.stats.tokenRequests;
  const ran = await run({ HTTPS_PROXY: proxyUrl });
  assert.equal(ran.code, 0, ran.stderr);
  const host = new URL(tenant.origin).host;
  assert.ok(proxy.tunnels.length >= 1 && proxy.tunnels.every((t) => t === host), `tunnels: ${proxy.tunnels.join(", ")}`);
  assert.equal(tenant.stats.tokenRequests - before, 1);
  assert.ok(!ran.stderr.includes("proxy-password"));
});

test("NO_PROXY: the same run goes direct", async () => {
  proxy.tunnels.length = 0;
  const ran = await run({ HTTPS_PROXY: proxyUrl, NO_PROXY: "127.0.0.1" });
  assert.equal(ran.code, 0, ran.stderr);
  assert.equal(proxy.tunnels.length, 0);
});
