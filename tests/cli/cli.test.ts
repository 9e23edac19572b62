/**
 * The CLI end to end: the built executable in a child process, against the simulated
 * tenant over HTTPS, trusting its CA through NODE_EXTRA_CA_CERTS as a user would.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSimulatedTenant, generateTenant, type SimulatedTenant } from "../../src/simulator/index.js";
import { MAX_PREFETCH } from "../../src/probes/defender365/pages.js";

const BIN = join(import.meta.dirname, "../../dist/cli/bin.js");
const DEVICES = 25_000;
const SEED = 3;
let tenant: SimulatedTenant;
let dir: string;
let caFile: string;
let credFile: string;
let optionsJson: string;

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

const cli = (args: string[], env: Record<string, string> = {}): Promise<Ran> =>
  new Promise((resolve) => {
    const started = Date.now();
    execFile(
      process.execPath,
      [BIN, ...args],
      // TMPDIR: what a child puts in its temporary folder (the demo's files, a spool) is removed with `dir`.
      { env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile, TMPDIR: dir, ...env }, maxBuffer: 512 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr, ms: Date.now() - started });
      },
    );
  });

before(async () => {
  tenant = await startSimulatedTenant({ seed: SEED, devices: DEVICES });
  dir = mkdtempSync(join(tmpdir(), "scan-probe-cli-"));
  caFile = join(dir, "ca.pem");
  writeFileSync(caFile, tenant.caPem);
  credFile = join(dir, "credential.json");
  writeFileSync(credFile, JSON.stringify(tenant.credential("azure-client-secret")));
  optionsJson = JSON.stringify({ apiBaseUrl: tenant.apiBaseUrl, authorityHost: tenant.authorityHost });
  const assets = generateTenant({ seed: SEED, devices: DEVICES, assets: true }).assets;
  writeFileSync(join(dir, "assets.jsonl"), assets.map((a) => JSON.stringify(a)).join("\n"));
});
after(async () => {
  await tenant.close();
  rmSync(dir, { recursive: true, force: true }); // runs whether the tests passed or not
});

test(`run: ${DEVICES.toLocaleString("en")} machines complete, every machine accounted for in the summary`, async () => {
  const out = join(dir, "records.jsonl");
  const summaryFile = join(dir, "summary.json");
  const ran = await cli([
    "run",
    "defender365",
    "--credential",
    credFile,
    "--options",
    optionsJson,
    "--assets",
    join(dir, "assets.jsonl"),
    "--mode",
    "probe",
    "--site",
    "s1",
    "--out",
    out,
    "--summary",
    summaryFile,
  ]);
  assert.equal(ran.code, 0, ran.stderr);
  const summary = JSON.parse(readFileSync(summaryFile, "utf8"));
  const c = summary.counts;
  assert.equal(summary.complete, true);
  const active = tenant.machines().filter((m) => m["healthStatus"] !== "Inactive").length;
  assert.equal(c.fetched, active, "every listed device that is not Inactive (the API leaves those out)");
  assert.equal(c.fetched, c.invalid + c.duplicates + c.inactiveSkipped + c.matched + c.created + c.unknownSkipped);
  const lines = readFileSync(out, "utf8").trim().split("\n");
  assert.equal(lines.length, c.matched + c.created);
  const pages = Math.ceil(active / 10_000); // + at most MAX_PREFETCH - 1 read ahead past the end if pages took over a second
  assert.ok(summary.http.requests >= pages && summary.http.requests <= pages + MAX_PREFETCH - 1, `${summary.http.requests} calls for ${pages} pages`);
  const record = JSON.parse(lines[0] ?? "{}");
  for (const key of ["source", "sourceId", "assetId", "siteId", "match", "names", "addresses", "macs", "os", "firstSeen", "lastSeen", "controls", "attributes"])
    assert.ok(key in record, key);
  assert.equal(ran.stderr, "", "nothing on stderr when it is not a terminal and all went well");
  process.stdout.write(`# 25,000-machine CLI run: ${ran.ms} ms\n`);
});

test("run: records go to stdout as JSON lines by default", async () => {
  const ran = await cli([
    "run",
    "defender365",
    "--credential",
    credFile,
    "--options",
    JSON.stringify({ apiBaseUrl: tenant.apiBaseUrl, authorityHost: tenant.authorityHost, excludeUnknown: true }),
  ]);
  assert.equal(ran.code, 0, ran.stderr);
  assert.equal(ran.stdout, "", "no assets and excludeUnknown: nothing to write");
});

const badInputs: [string, () => string[], RegExp][] = [
  ["no command", () => [], /Usage/],
  ["unknown command", () => ["scan"], /unknown command "scan"/],
  ["unknown probe", () => ["run", "sentinelone", "--credential", credFile], /unknown probe "sentinelone"/],
  ["missing --credential", () => ["run", "defender365"], /--credential is required/],
  ["unknown flag", () => ["run", "defender365", "--credential", credFile, "--colour"], /colour/],
  ["bad mode", () => ["run", "defender365", "--credential", credFile, "--mode", "sync"], /--mode must be connector or probe/],
  ["credential file missing", () => ["run", "defender365", "--credential", join(dir, "nope.json")], /no such file/],
  [
    "credential not JSON",
    () => {
      const f = join(dir, "bad.json");
      writeFileSync(f, "{ tenantId: ");
      return ["run", "defender365", "--credential", f];
    },
    /not valid JSON/,
  ],
  [
    "credential field invalid",
    () => {
      const f = join(dir, "badfield.json");
      writeFileSync(f, JSON.stringify({ ...tenant.credential(), clientId: "x" }));
      return ["run", "defender365", "--credential", f];
    },
    /clientId: expected a GUID/,
  ],
  ["unknown option key", () => ["run", "defender365", "--credential", credFile, "--options", '{"pagesize":5}'], /unknown option "pagesize"/],
  ["options inline not JSON", () => ["run", "defender365", "--credential", credFile, "--options", "{pageSize:5}"], /not valid JSON/],
  [
    "assets line not JSON",
    () => {
      const f = join(dir, "bad.jsonl");
      writeFileSync(f, '{"id":"a"}\n{oops}\n');
      return ["run", "defender365", "--credential", credFile, "--assets", f];
    },
    /line 2 is not valid JSON/,
  ],
  [
    "asset without id",
    () => {
      const f = join(dir, "noid.json");
      writeFileSync(f, '[{"addresses":["10.0.0.1"]}]');
      return ["run", "defender365", "--credential", credFile, "--assets", f];
    },
    /0\.id/,
  ],
  [
    "duplicate asset ids",
    () => {
      const f = join(dir, "dup.json");
      writeFileSync(f, '[{"id":"a"},{"id":"a"}]');
      return ["run", "defender365", "--credential", credFile, "--assets", f];
    },
    /appears twice/,
  ],
];

for (const [name, args, pattern] of badInputs) {
  test(`bad input exits 2 before any network call, without a stack trace: ${name}`, async () => {
    const before = tenant.stats.tokenRequests + tenant.stats.apiRequests;
    const ran = await cli(args());
    assert.equal(ran.code, 2, ran.stderr);
    assert.match(ran.stderr + ran.stdout, pattern);
    assert.doesNotMatch(ran.stderr, /\n\s+at .+:\d+:\d+/, "no stack trace");
    assert.equal(tenant.stats.tokenRequests + tenant.stats.apiRequests, before, "nothing was sent");
    assert.ok(!ran.stderr.includes(tenant.credential().clientSecret ?? "\u0000"), "the secret is never printed");
  });
}

test("a wrong secret exits 1 with the AADSTS code and the fix, never the secret", async () => {
  const f = join(dir, "wrong-secret.json");
  writeFileSync(f, JSON.stringify({ ...tenant.credential(), clientSecret: "definitely-the-wrong-secret" }));
  const ran = await cli(["run", "defender365", "--credential", f, "--options", optionsJson]);
  assert.equal(ran.code, 1);
  assert.match(ran.stderr, /ERR_AUTH_INVALID_SECRET/);
  assert.match(ran.stderr, /AADSTS7000215/);
  assert.match(ran.stderr, /hint: .*Value/);
  assert.ok(!ran.stderr.includes("definitely-the-wrong-secret"));
});

test("TLS verification cannot be switched off: NODE_TLS_REJECT_UNAUTHORIZED=0 does not make the untrusted tenant trusted", async () => {
  const ran = await cli(["run", "defender365", "--credential", credFile, "--options", optionsJson], {
    NODE_EXTRA_CA_CERTS: "",
    NODE_TLS_REJECT_UNAUTHORIZED: "0",
  });
  assert.equal(ran.code, 1, ran.stderr);
  assert.match(ran.stderr, /ERR_AUTH_UNAVAILABLE: .*(SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|self-signed certificate)/);
});

test("Ctrl-C: the CLI stops within a second, leaves nothing running (the process exits by itself), writes what it read, exit 1", async () => {
  const out = join(dir, "cancelled.jsonl");
  const summaryFile = join(dir, "cancelled.json");
  tenant.faults = { api: [{ at: 2, kind: "delay", ms: 30_000 }] };
  const before = tenant.stats.apiRequests;
  const child = spawn(
    process.execPath,
    [
      BIN,
      "run",
      "defender365",
      "--credential",
      credFile,
      "--options",
      JSON.stringify({ apiBaseUrl: tenant.apiBaseUrl, authorityHost: tenant.authorityHost, pageSize: 2_000 }),
      "--out",
      out,
      "--summary",
      summaryFile,
    ],
    {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile, TMPDIR: dir },
    },
  );
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number>((resolve) => child.on("exit", (code) => resolve(code ?? -1)));
  while (tenant.stats.apiRequests < before + 2) await new Promise((resolve) => setTimeout(resolve, 50)); // page 2 is being served (slowly)
  const interruptedAt = Date.now();
  child.kill("SIGINT");
  const code = await exited;
  const took = Date.now() - interruptedAt;
  tenant.faults = {};
  assert.equal(code, 1, stderr);
  assert.ok(took < 1_500, `exited ${took} ms after Ctrl-C`);
  assert.match(stderr, /ERR_CANCELLED/);
  const summary = JSON.parse(readFileSync(summaryFile, "utf8"));
  assert.equal(summary.complete, false);
  assert.equal(summary.coverage.edr.missing, 0);
  assert.ok(readFileSync(out, "utf8").trim().split("\n").length > 1_000, "the first page's records were written");
});

test("verify: signs in, shows the roles, makes one API call", async () => {
  const ran = await cli(["verify", "defender365", "--credential", credFile, "--options", optionsJson]);
  assert.equal(ran.code, 0, ran.stdout + ran.stderr);
  assert.match(ran.stdout, /roles in the token: Machine\.Read\.All/);
  assert.match(ran.stdout, /API reached/);
  assert.match(ran.stdout, /All checks passed/);
});

for (const command of ["run", "verify", "report", "list", "demo"]) {
  test(`${command} --help: its flags and an example, exit 0`, async () => {
    const ran = await cli([command, "--help"]);
    assert.equal(ran.code, 0);
    assert.match(ran.stdout, new RegExp(`^scan-probe ${command}`));
    if (command !== "list") assert.match(ran.stdout, /Example/);
  });
}

test("list: probes, credential kinds and options with defaults", async () => {
  const ran = await cli(["list"]);
  assert.equal(ran.code, 0);
  assert.match(ran.stdout, /defender365/);
  assert.match(ran.stdout, /includeInactive .*Default false/);
});

test("demo runs both probes as one scan task and shows the assets only the combined view calls protected", async () => {
  const ran = await cli(["demo", "--devices", "600"]);
  assert.equal(ran.code, 0, ran.stderr);
  assert.match(ran.stdout, /Assets missing EDR: on the network, no EDR of any vendor protects them \(\d+\)/);
  assert.match(ran.stdout, /^defender365\/microsoft: complete;/m);
  assert.match(ran.stdout, /^crowdstrike\/falcon: complete;/m);
  const claim = /Defender alone would call (\d+) assets missing EDR; with Falcon, (\d+) are\. (\d+) assets only the combined view calls protected/.exec(
    ran.stdout,
  );
  assert.ok(claim, ran.stdout);
  const [aloneMissing, combinedMissing, onlyCombined] = claim.slice(1).map(Number) as [number, number, number];
  assert.ok(onlyCombined > 0, "the simulated estate has servers only Falcon protects");
  assert.ok(combinedMissing <= aloneMissing - onlyCombined, `${combinedMissing} missing with Falcon, ${aloneMissing} without, ${onlyCombined} moved`);
  const truth = /ground truth\s+(\d+) of (\d+) combined verdicts right/.exec(ran.stdout);
  assert.ok(truth);
  assert.ok(Number(truth[1]) / Number(truth[2]) > 0.95, truth[0]);
  // What the demo wrote is what `run --task` writes: the combined summary holds both runs and the vendors.
  const dir = /are in (\S+)\/ \(task\.json/.exec(ran.stdout)?.[1];
  assert.ok(dir !== undefined, ran.stdout);
  const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")) as {
    complete: boolean;
    runs: { probe: string }[];
    coverage: { edr: { missing: number; vendorsByAsset: Record<string, string[]> } };
  };
  assert.equal(summary.complete, true);
  assert.deepEqual(summary.runs.map((r) => r.probe).sort(), ["crowdstrike", "defender365"]);
  assert.equal(summary.coverage.edr.missing, combinedMissing);
  assert.equal(Object.values(summary.coverage.edr.vendorsByAsset).filter((v) => v.length === 1 && v[0] === "crowdstrike").length >= onlyCombined, true);
});
