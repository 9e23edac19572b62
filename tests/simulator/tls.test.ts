import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import got from "got";
import { startSimulatedTenant, type SimulatedTenant } from "../../src/simulator/index.js";

let tenant: SimulatedTenant;
let dir: string;
before(async () => {
  tenant = await startSimulatedTenant({ devices: 1 });
  dir = mkdtempSync(join(tmpdir(), "sim-ca-"));
});
after(async () => {
  await tenant.close();
  rmSync(dir, { recursive: true, force: true });
});

const metadata = (origin: string): string => `${origin}/${tenant.tenantId}/v2.0/.well-known/openid-configuration`;

test("the origin is https://127.0.0.1:PORT and its certificate chains to caPem for 127.0.0.1 and localhost", async () => {
  assert.match(tenant.origin, /^https:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(tenant.authorityHost, tenant.origin);
  assert.equal(tenant.apiBaseUrl, tenant.origin);
  assert.match(tenant.caPem, /^-----BEGIN CERTIFICATE-----/);
  for (const origin of [tenant.origin, tenant.origin.replace("127.0.0.1", "localhost")]) {
    const res = await got(metadata(origin), { https: { certificateAuthority: tenant.caPem }, retry: { limit: 0 } });
    assert.equal(res.statusCode, 200, origin);
  }
  await assert.rejects(got(metadata(tenant.origin), { retry: { limit: 0 } }), (e: Error & { code?: string }) =>
    /CERT|SELF_SIGNED|UNABLE_TO/.test(String(e.code)),
  );
});

test("a child process trusts the tenant through NODE_EXTRA_CA_CERTS (https.get and fetch)", async () => {
  const caFile = join(dir, "ca.pem");
  writeFileSync(caFile, tenant.caPem);
  const script = `
    const url = ${JSON.stringify(metadata(tenant.origin))};
    require("node:https").get(url, (r) => { r.resume(); r.on("end", () => console.log("https", r.statusCode)); }).on("error", (e) => console.log("https-error", e.code));
    fetch(url.replace("127.0.0.1", "localhost")).then((r) => console.log("fetch", r.status), (e) => console.log("fetch-error", e.cause?.code));`;
  const { stdout } = await promisify(execFile)(process.execPath, ["-e", script], { env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile }, timeout: 20_000 });
  assert.deepEqual(stdout.trim().split("\n").sort(), ["fetch 200", "https 200"]);
});

test("close() ends open keep-alive connections", async () => {
  const t = await startSimulatedTenant({ devices: 1 });
  const http = got.extend({ https: { certificateAuthority: t.caPem }, retry: { limit: 0 } });
  await http(`${t.origin}/${t.tenantId}/v2.0/.well-known/openid-configuration`);
  const started = Date.now();
  await t.close();
  assert.ok(Date.now() - started < 2_000);
  await assert.rejects(http(`${t.origin}/${t.tenantId}/v2.0/.well-known/openid-configuration`));
});

test("close() does not wait for a delayed response", async () => {
  const t = await startSimulatedTenant({ devices: 1 });
  t.faults = { api: [{ kind: "delay", ms: 30_000 }] };
  const pending = got(`${t.apiBaseUrl}/api/machines`, { https: { certificateAuthority: t.caPem }, retry: { limit: 0 } });
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(t.stats.concurrentApiRequests, 1);
  const started = Date.now();
  await t.close();
  await assert.rejects(pending);
  assert.ok(Date.now() - started < 2_000);
});
