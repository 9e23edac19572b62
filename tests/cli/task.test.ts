/**
 * `scan-probe run --task`: every planned run of a scan task against simulated clouds over
 * HTTPS, one combined EDR verdict per asset. Two Defender tenants (two subsidiaries of one
 * company) run through the built executable; the test-only Static EDR probe, registered
 * through `main(argv, { registry })`, stands for a second vendor.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CoverageStatus, RunSummary } from "../../src/contract.js";
import { generateTenant, startSimulatedTenant, type FaultPlan, type SimulatedTenant } from "../../src/simulator/index.js";
import { Writable } from "node:stream";
import { main } from "../../src/cli/main.js";
import { createRegistry } from "../../src/engine/registry.js";
import { BIN, scratchDir, type Ran } from "./run-cli.js";
import { staticEdr } from "./static-edr.js";

const scratch = scratchDir("scan-probe-task-");
const SEEDS = { a: 21, b: 22 } as const;
const DEVICES = 150;
let a: SimulatedTenant;
let b: SimulatedTenant;
let caFile: string;
let assetsFile: string;

/** The scan's assets: each subsidiary's, ids prefixed by it. */
const assets = (["a", "b"] as const).flatMap((sub) =>
  generateTenant({ seed: SEEDS[sub], devices: DEVICES, assets: true }).assets.map((asset) => ({ ...asset, id: `${sub}:${asset.id}` })),
);

before(async () => {
  [a, b] = await Promise.all([startSimulatedTenant({ seed: SEEDS.a, devices: DEVICES }), startSimulatedTenant({ seed: SEEDS.b, devices: DEVICES })]);
  caFile = join(scratch.path, "cas.pem");
  writeFileSync(caFile, `${a.caPem}\n${b.caPem}`);
  assetsFile = join(scratch.path, "assets.jsonl");
  writeFileSync(assetsFile, assets.map((asset) => JSON.stringify(asset)).join("\n"));
});
after(async () => {
  await Promise.all([a.close(), b.close()]);
  scratch.remove();
});

/** The combined summary as the CLI writes it. */
interface Combined {
  readonly complete: boolean;
  readonly runs: readonly RunSummary[];
  readonly coverage: Readonly<
    Record<
      string,
      {
        protected: number;
        unhealthy: number;
        missing: number;
        unknown: number;
        byAsset: Record<string, CoverageStatus>;
        vendorsByAsset: Record<string, string[]>;
      }
    >
  >;
}

/** The task's credential for a tenant: its id, kind, toggle and, inline, its secret and hosts. */
const credentialOf = (id: string, tenant: SimulatedTenant) => ({ id, MS365Defender: true, ...tenant.credential() });

/** A task enabling Defender with both subsidiaries' credentials (and `extra` merged in). */
const defenderTask = (options: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  siteId: "hq",
  probes: { Defender365: { enabled: true, options } },
  credentials: [credentialOf("sub-a", a), credentialOf("sub-b", b)],
  ...extra,
});

let files = 0;
/** Writes `content` (JSON unless a string) to a fresh file in the scratch folder; returns its path. */
const fileWith = (content: unknown, ext = "json"): string => {
  files += 1;
  const path = join(scratch.path, `file-${files}.${ext}`);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
};

/** Runs `node <script> args` trusting both tenants' CAs; `script`: the built executable, or the test registry's entry. */
const runWith = (script: readonly string[], args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<Ran> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      [...script, ...args],
      { env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile, TMPDIR: scratch.path, ...env }, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const failed = error as (Error & { code?: number | string; signal?: NodeJS.Signals | null }) | null;
        resolve({ code: failed === null ? 0 : typeof failed.code === "number" ? failed.code : null, signal: failed?.signal ?? null, stdout, stderr });
      },
    );
  });

/** The built `scan-probe` (default registry: Defender only). */
const scanProbe = (args: readonly string[], env?: Readonly<Record<string, string>>) => runWith([BIN], args, env);

/** `scan-probe` with Defender and the test-only Static EDR probe registered. */
const withStaticEdr = (args: readonly string[], env?: Readonly<Record<string, string>>) =>
  runWith(["--import", "tsx", join(import.meta.dirname, "task-main.ts")], args, env);

/** Runs a task file; returns what ran, the combined summary and the record lines. */
const runTask = async (task: unknown, run: typeof scanProbe = scanProbe, env?: Readonly<Record<string, string>>) => {
  const out = join(scratch.path, `records-${files}.jsonl`);
  const summaryFile = join(scratch.path, `combined-${files}.json`);
  const ran = await run(["run", "--task", fileWith(task), "--assets", assetsFile, "--mode", "probe", "--out", out, "--summary", summaryFile], env);
  const combined = existsSync(summaryFile) ? (JSON.parse(readFileSync(summaryFile, "utf8")) as Combined) : undefined;
  const lines = existsSync(out)
    ? readFileSync(out, "utf8")
        .split("\n")
        .filter((line) => line !== "")
    : [];
  return { ran, combined, lines, out, summaryFile };
};

/** The rule, written out on its own: protected if any run, else unhealthy if any, else missing when every run is complete and says so, else unknown. */
const expectedVerdict = (runs: readonly RunSummary[], id: string): CoverageStatus => {
  const verdicts = runs.map((run) => run.coverage["edr"]?.byAsset[id]);
  if (verdicts.includes("protected")) return "protected";
  if (verdicts.includes("unhealthy")) return "unhealthy";
  return runs.every((run, i) => run.complete && verdicts[i] === "missing") ? "missing" : "unknown";
};

test("two Defender tenants: every run runs, records of both in one file, one verdict per asset by the rule", async () => {
  const { ran, combined, lines, out, summaryFile } = await runTask(defenderTask());
  assert.equal(ran.code, 0, ran.stderr);
  assert.ok(combined !== undefined);
  assert.equal(combined.complete, true);
  assert.deepEqual(
    combined.runs.map((run) => [run.probe, run.credentialId, run.complete]),
    [
      ["defender365", "sub-a", true],
      ["defender365", "sub-b", true],
    ],
  );
  const edr = combined.coverage["edr"];
  assert.ok(edr !== undefined);
  for (const asset of assets) assert.equal(edr.byAsset[asset.id], expectedVerdict(combined.runs, asset.id), asset.id);
  const tally = (s: CoverageStatus) => Object.values(edr.byAsset).filter((v) => v === s).length;
  assert.deepEqual([edr.protected, edr.unhealthy, edr.missing, edr.unknown], [tally("protected"), tally("unhealthy"), tally("missing"), tally("unknown")]);
  for (const [id, verdict] of Object.entries(edr.byAsset))
    assert.deepEqual(edr.vendorsByAsset[id], verdict === "protected" || verdict === "unhealthy" ? ["defender365"] : [], id);
  // Each tenant protects its own subsidiary's assets: the combined view protects more than either run alone.
  for (const run of combined.runs) assert.ok(edr.protected > (run.coverage["edr"]?.protected ?? 0), `${run.credentialId} alone`);

  const records = lines.map((line) => JSON.parse(line) as { source: string; runId: string });
  for (const run of combined.runs) {
    const own = records.filter((r) => r.runId === run.runId);
    assert.equal(own.length, run.counts.matched + run.counts.created, `records of ${run.runId}`);
    assert.ok(own.every((r) => r.source === "defender365"));
  }
  assert.equal(records.length, lines.length);
  assert.equal(ran.stderr, "", "nothing on stderr when it is not a terminal and all went well");

  const page = join(scratch.path, "task-report.html");
  const reported = await scanProbe(["report", "--records", out, "--summary", summaryFile, "--assets", assetsFile, "--out", page]);
  assert.equal(reported.code, 0, reported.stderr);
  const html = readFileSync(page, "utf8");
  assert.match(html, /<section id="combined">/);
  assert.match(html, /Run 1: Microsoft 365 Defender[^<]*· credential sub-a/);
  assert.match(html, /Run 2: Microsoft 365 Defender[^<]*· credential sub-b/);
  const protectedId = Object.keys(edr.byAsset).find((id) => edr.byAsset[id] === "protected") ?? "";
  assert.match(html, new RegExp(`<td>${protectedId}</td>.*<td>Protected</td><td class="vendors">Defender</td>`), "the vendor of a protected asset is shown");
});

test("a tenant whose run fails (403 on a later page) leaves its assets unknown, never missing, and exits 1 with what was read written", async () => {
  b.faults = { api: [{ at: 2, kind: "status", status: 403, repeat: true }] } satisfies FaultPlan;
  try {
    const { ran, combined, lines } = await runTask(defenderTask({ pageSize: 40 }));
    assert.equal(ran.code, 1, ran.stderr);
    assert.match(ran.stderr, /\[defender365\/sub-b\] error ERR_API_FORBIDDEN/);
    assert.ok(combined !== undefined);
    assert.equal(combined.complete, false);
    const [runA, runB] = combined.runs;
    assert.equal(runA?.complete, true);
    assert.equal(runB?.complete, false);
    assert.ok((runB?.counts.fetched ?? 0) > 0, "the failed run read a page before it failed");
    const edr = combined.coverage["edr"];
    assert.ok(edr !== undefined);
    assert.equal(edr.missing, 0, "an incomplete run of a vendor makes no asset missing");
    for (const asset of assets) assert.equal(edr.byAsset[asset.id], expectedVerdict(combined.runs, asset.id), asset.id);
    assert.ok(
      assets.some((asset) => runA?.coverage["edr"]?.byAsset[asset.id] === "missing" && edr.byAsset[asset.id] === "unknown"),
      "what the complete run calls missing is unknown combined",
    );
    assert.ok(lines.length > 0, "the records read are written");
  } finally {
    b.faults = {};
  }
});

test("an asset only the other vendor protects is protected through it, and the vendors of each asset are named", async () => {
  const single = await runTask({ probes: { Defender365: { enabled: true } }, credentials: [credentialOf("sub-a", a)] }, withStaticEdr);
  assert.equal(single.ran.code, 0, single.ran.stderr);
  const alone = single.combined?.runs[0]?.coverage["edr"]?.byAsset ?? {};
  // Named assets of subsidiary A: the other subsidiary's assets reuse its addresses, so a device matches by its name.
  const ofA = assets.filter((asset) => asset.id.startsWith("a:") && (asset.names?.length ?? 0) > 0);
  const missing = ofA.filter((asset) => alone[asset.id] === "missing").slice(0, 6);
  const guarded = ofA.find((asset) => alone[asset.id] === "protected");
  assert.ok(missing.length === 6 && guarded !== undefined);
  const device = (asset: (typeof assets)[number], agent: string) => ({
    id: `s-${asset.id}`,
    hostname: asset.names?.[0] ?? "",
    ip: asset.addresses?.[0] ?? "",
    agent,
  });
  const devices = [
    ...missing.slice(0, 4).map((asset) => device(asset, "healthy")),
    device(missing[4] as (typeof assets)[number], "degraded"),
    device(guarded, "healthy"),
  ];
  const task = {
    probes: { Defender365: { enabled: true }, StaticEdr: { enabled: true, options: { devices } } },
    credentials: [credentialOf("sub-a", a)],
  };
  const { ran, combined } = await runTask(task, withStaticEdr);
  assert.equal(ran.code, 0, ran.stderr);
  const edr = combined?.coverage["edr"];
  assert.ok(edr !== undefined);
  for (const asset of missing.slice(0, 4)) {
    assert.equal(edr.byAsset[asset.id], "protected", `${asset.id}: missing in Defender, protected through Static EDR`);
    assert.deepEqual(edr.vendorsByAsset[asset.id], ["static-edr"]);
  }
  assert.equal(edr.byAsset[missing[4]?.id ?? ""], "unhealthy");
  assert.deepEqual(edr.vendorsByAsset[missing[4]?.id ?? ""], ["static-edr"]);
  assert.equal(edr.byAsset[missing[5]?.id ?? ""], "missing", "no vendor protects it, and both runs read everything");
  assert.deepEqual(edr.vendorsByAsset[guarded.id], ["defender365", "static-edr"]);
  assert.equal(edr.missing, (single.combined?.coverage["edr"]?.missing ?? 0) - 5, "five fewer assets missing than with Defender alone");

  const failing = await runTask({ ...task, probes: { ...task.probes, StaticEdr: { enabled: true, options: { devices, failAtPage: 3 } } } }, withStaticEdr);
  assert.equal(failing.ran.code, 1, failing.ran.stderr);
  assert.match(failing.ran.stderr, /\[static-edr\] error ERR_API_SERVER/);
  const partial = failing.combined?.coverage["edr"];
  assert.equal(partial?.missing, 0, "the other vendor's run failed: what Defender calls missing is unknown");
  assert.equal(partial?.byAsset[missing[0]?.id ?? ""], "protected", "what the failed run read before it failed still protects");
  assert.equal(partial?.byAsset[missing[5]?.id ?? ""], "unknown");
});

test("a probe enabled but not planned is named with why; a task where nothing would run exits 2", async () => {
  const noCredential = await runTask(
    { probes: { Defender365: { enabled: true }, StaticEdr: { enabled: true } }, credentials: [{ id: "x", kind: "azure-client-secret" }] },
    withStaticEdr,
  );
  assert.equal(noCredential.ran.code, 0, noCredential.ran.stderr);
  assert.match(noCredential.ran.stderr, /note: defender365 will not run: .*no credential has MS365Defender turned on/);
  const nothing = await runTask({ probes: {} });
  assert.equal(nothing.ran.code, 2);
  assert.match(nothing.ran.stderr, /no probe would run/);
  assert.match(nothing.ran.stderr, /probes\.Defender365\.enabled is not true/);
});

const badTasks: [string, () => unknown, RegExp][] = [
  [
    "a credential without its secret",
    () => ({ ...defenderTask(), credentials: [credentialOf("sub-a", a), { ...credentialOf("sub-b", b), clientSecret: undefined }] }),
    /credentials\[1\]\.clientSecret/,
  ],
  ["an option the probe refuses", () => defenderTask({ pageSize: "all" }), /probes\.Defender365\.options\.pageSize/],
  [
    "a credential of a kind the probe does not take",
    () => ({ ...defenderTask(), credentials: [{ ...credentialOf("sub-a", a), kind: "acme-api-key" }] }),
    /credentials\[0\]\.kind/,
  ],
  ["credentials that are not a list", () => ({ ...defenderTask(), credentials: { "sub-a": credentialOf("sub-a", a) } }), /credentials/],
  ["a file that is not JSON", () => "{ siteId: hq", /is not valid JSON/],
];

for (const [name, task, field] of badTasks) {
  test(`a bad task file exits 2 naming the field and the fix, with nothing sent: ${name}`, async () => {
    a.resetStats();
    b.resetStats();
    const content = task();
    const { ran, combined } = await runTask(content);
    assert.equal(ran.code, 2, ran.stderr);
    assert.match(ran.stderr, field);
    assert.match(ran.stderr, /hint: Correct the named fields and run again\. Nothing was sent\./);
    assert.equal(combined, undefined, "no summary written");
    for (const tenant of [a, b]) assert.equal(tenant.stats.tokenRequests + tenant.stats.metadataRequests + tenant.stats.apiRequests, 0, "no request");
    for (const tenant of [a, b]) assert.ok(!ran.stderr.includes(tenant.credential().clientSecret ?? "?"), "no secret echoed");
  });
}

test("--task and a probe, or --task and --credential, are refused naming both", async () => {
  const task = fileWith(defenderTask());
  const withProbe = await scanProbe(["run", "defender365", "--task", task]);
  assert.equal(withProbe.code, 2);
  assert.match(withProbe.stderr, /--task and <probe> \("defender365"\) are mutually exclusive/);
  const withCredential = await scanProbe(["run", "--task", task, "--credential", fileWith(a.credential())]);
  assert.equal(withCredential.code, 2);
  assert.match(withCredential.stderr, /--task and --credential are mutually exclusive: the task file holds its credentials/);
  const withOptions = await scanProbe(["run", "--task", task, "--options", "{}"]);
  assert.equal(withOptions.code, 2);
  assert.match(withOptions.stderr, /--task and --options are mutually exclusive: the task file holds its probes' options/);
});

test("DEBUG=*: no value of the task's credentials other than id and kind in stdout, stderr, records or summary", async () => {
  b.faults = { api: [{ at: 2, kind: "status", status: 500, repeat: true }] } satisfies FaultPlan;
  try {
    const task = defenderTask({ pageSize: 40 });
    const { ran, lines, combined } = await runTask(task, scanProbe, { DEBUG: "*", DEBUG_DEPTH: "10" });
    assert.equal(ran.code, 1);
    assert.ok(combined !== undefined);
    assert.ok(ran.stderr.includes("scan-probes:"), "debug logging was on");
    const everything = [ran.stdout, ran.stderr, lines.join("\n"), JSON.stringify(combined)].join("\n");
    const secrets = task.credentials.flatMap((c) =>
      Object.entries(c).flatMap(([field, value]) => (field === "id" || field === "kind" || typeof value !== "string" ? [] : [value])),
    );
    assert.ok(secrets.length >= 8, "secret, tenant and client ids, hosts of both credentials");
    for (const secret of secrets) assert.ok(!everything.includes(secret), `a credential value appears (${secret.length} characters)`);
    assert.doesNotMatch(everything, /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\./, "no token");
  } finally {
    b.faults = {};
  }
});

/** A terminal stream that says it is a TTY, keeping what is written to it. */
const ttyStream = (): { readonly stream: NodeJS.WriteStream; text(): string } => {
  let text = "";
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += String(chunk);
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  Object.assign(stream, { isTTY: true });
  return { stream, text: () => text };
};

test("on a terminal: progress and task-log lines name their run; the summary has each run's line and the combined counts", async () => {
  const named = assets.filter((asset) => (asset.names?.length ?? 0) > 0);
  const device = (asset: (typeof assets)[number], i: number) => ({
    id: `d${i}`,
    hostname: asset.names?.[0] ?? "",
    ip: asset.addresses?.[0] ?? "",
    agent: "healthy",
  });
  const twice = createRegistry([
    staticEdr,
    { ...staticEdr, id: "other-edr", title: "Other EDR", toggles: { probe: "OtherEdr", credential: "OtherEdrCredential" } },
  ]);
  const task = fileWith({
    probes: {
      StaticEdr: { enabled: true, options: { devices: named.slice(0, 3).map(device) } },
      OtherEdr: { enabled: true, options: { devices: named.slice(2, 4).map(device), failAtPage: 2 } },
    },
  });
  const err = ttyStream();
  const out = ttyStream();
  const code = await main(["run", "--task", task, "--assets", assetsFile, "--out", join(scratch.path, "tty.jsonl")], {
    registry: twice,
    term: { out: out.stream, err: err.stream },
  });
  assert.equal(code, 1, err.text());
  const text = err.text();
  assert.match(text, /\[static-edr\] page 3 {2}3 devices/, "a progress line names its run");
  assert.match(text, /^\[static-edr\] Read 3 devices in 3 pages/m, "a task-log line names its run");
  assert.match(text, /^static-edr: complete; 3 devices read, 3 matched; 3 protected, 0 unhealthy, \d+ missing, 0 unknown$/m);
  assert.match(text, /^other-edr: INCOMPLETE \(ERR_API_SERVER\); 1 devices read/m);
  assert.match(text, /^combined EDR coverage: 3 protected, 0 unhealthy, 0 missing, \d+ unknown \(not every run was complete/m);
  assert.match(text, /^\[other-edr\] error ERR_API_SERVER: Static EDR failed on page 2\./m);
});
