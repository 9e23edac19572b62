/**
 * No Falcon secret or token in any output: every scenario runs the CLI (the built `dist/`)
 * with DEBUG=* against a simulated Falcon customer and scans every byte it writes (stdout,
 * stderr, records, summary); the same runs in process with every debug namespace on and the
 * task log kept.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import type { FalconFaultPlan } from "../../src/simulator/index.js";
import { startFalconHarness, type FalconHarness } from "./falcon-harness.js";

const BIN = join(import.meta.dirname, "../../dist/cli/bin.js");
const JWT = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/;
let h: FalconHarness;
let dir: string;

before(async () => {
  h = await startFalconHarness({ hosts: 120, homeRegion: "us-2" });
  dir = mkdtempSync(join(tmpdir(), "scan-probe-falcon-secrets-"));
  writeFileSync(join(dir, "ca.pem"), h.falcon.caPem);
});
after(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every secret of the simulated customer. */
const secrets = (): string[] => h.falcon.clients.map((c) => c.clientSecret);

const assertClean = (everything: string, what: string): void => {
  for (const secret of secrets()) assert.ok(!everything.includes(secret), `${what}: a client secret appears`);
  assert.doesNotMatch(everything, JWT, `${what}: a token appears`);
  assert.doesNotMatch(everything, /Bearer\s+[A-Za-z0-9]/, `${what}: a bearer header appears`);
  assert.doesNotMatch(everything, /client_secret=|access_token/, `${what}: a token request or answer appears`);
};

const scenarios: {
  name: string;
  credential?: () => Record<string, string>;
  fromEnvironment?: boolean;
  faults?: FalconFaultPlan;
  options?: Record<string, unknown>;
  command?: "verify";
}[] = [
  { name: "a complete run, redirected to the client's cloud", credential: () => h.falcon.credential("us-1") },
  { name: "the credential from FALCON_* variables", fromEnvironment: true },
  { name: "a wrong secret", credential: () => ({ ...h.falcon.credential(), clientSecret: `${h.falcon.credential().clientSecret}x` }) },
  { name: "no Hosts: Read scope", credential: () => h.falcon.credential({ client: "no-scope" }) },
  { name: "a token revoked mid-run", faults: [{ kind: "revoke-tokens", at: 2 }], options: { pageSize: 40 } },
  { name: "a server error on every retry", faults: [{ kind: "status", status: 500, repeat: true }] },
  { name: "a data call redirected elsewhere", faults: [{ kind: "redirect", at: 1 }] },
  { name: "errors in a 200's body", faults: [{ kind: "errors-on-200", at: 1 }] },
  { name: "a token endpoint outage", faults: [{ kind: "status", status: 503, target: "token", repeat: true }] },
  { name: "verify", command: "verify" },
];

for (const scenario of scenarios) {
  test(`DEBUG=* leaks no Falcon secret or token: ${scenario.name}`, async () => {
    h.falcon.setFaults(scenario.faults ?? []);
    const credential = scenario.credential?.() ?? h.falcon.credential();
    const credFile = join(dir, `${randomUUID()}.json`);
    writeFileSync(credFile, JSON.stringify(credential));
    const out = join(dir, `${randomUUID()}.jsonl`);
    const summary = join(dir, `${randomUUID()}.json`);
    const credentialArg = scenario.fromEnvironment === true ? "env:" : credFile;
    const options = JSON.stringify(scenario.options ?? {});
    const args =
      scenario.command === "verify"
        ? ["verify", "crowdstrike", "--credential", credentialArg, "--options", options]
        : ["run", "crowdstrike", "--credential", credentialArg, "--options", options, "--out", out, "--summary", summary];
    const variables =
      scenario.fromEnvironment === true
        ? { FALCON_CLIENT_ID: credential["clientId"], FALCON_CLIENT_SECRET: credential["clientSecret"], FALCON_API_BASE_URL: credential["apiBaseUrl"] }
        : {};
    const { stdout, stderr, code } = await new Promise<{ stdout: string; stderr: string; code: number | null }>((resolve) =>
      execFile(
        process.execPath,
        [BIN, ...args],
        {
          env: { ...process.env, ...variables, DEBUG: "*", DEBUG_DEPTH: "10", NODE_EXTRA_CA_CERTS: join(dir, "ca.pem"), TMPDIR: dir },
          maxBuffer: 64 * 1024 * 1024,
        },
        (error, o, e) => resolve({ stdout: o, stderr: e, code: error === null ? 0 : typeof error.code === "number" ? error.code : null }),
      ),
    );
    const everything = [stdout, stderr, existsSync(out) ? readFileSync(out, "utf8") : "", existsSync(summary) ? readFileSync(summary, "utf8") : ""].join("\n");
    assert.ok(stderr.includes("scan-probes:"), "debug logging was on");
    if (scenario.faults === undefined && scenario.credential === undefined) assert.equal(code, 0, `${stdout}\n${stderr.slice(-2000)}`);
    assert.doesNotMatch(stderr, /\n\s+at .+:\d+:\d+\)?\n/, "no stack trace");
    assertClean(everything, scenario.name);
    h.falcon.setFaults([]);
  });
}

test("in process, every debug namespace and the task log: no secret or token", async () => {
  h.logs.length = 0;
  h.events.length = 0;
  h.falcon.setFaults([{ kind: "revoke-tokens", at: 2 }]);
  const result = await h.run({ credential: h.credential("us-1"), options: { pageSize: 30, filter: "platform_name:'Windows'" } });
  h.falcon.setFaults([]);
  assert.equal(result._tag, "Right");
  const verify = await h.verify({ credential: h.credential({ client: "no-scope" }) });
  const everything = [...h.logs, JSON.stringify(h.events), JSON.stringify(result), JSON.stringify(verify)].join("\n");
  assert.ok(
    h.logs.some((line) => line.startsWith("scan-probes:crowdstrike:http")),
    "the http log was on",
  );
  assert.ok(!h.logs.some((line) => line.includes("platform_name")), "the filter stays out of the debug log");
  assertClean(everything, "in process");
});
