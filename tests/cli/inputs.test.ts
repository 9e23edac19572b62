/**
 * The CLI's input, end to end: the built executable against the simulated tenant. Bad input
 * (an empty flag, an endless or huge file, an output path that cannot be written) exits 2
 * naming the flag, before anything is sent; a byte order mark is accepted; asset ids that
 * are names of `Object.prototype` members are ids like any other, through the summary and
 * the report.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSimulatedTenant, type SimulatedTenant } from "../../src/simulator/index.js";
import * as t from "io-ts";
import { INPUT_LIMITS, loadCredential } from "../../src/cli/inputs.js";
import { cli, scratchDir } from "./run-cli.js";

let tenant: SimulatedTenant;
const scratch = scratchDir("scan-probe-inputs-");
const dir = scratch.path;
let env: Record<string, string>;
let credFile: string;
let optionsJson: string;

before(async () => {
  tenant = await startSimulatedTenant({ seed: 5, devices: 60 });
  writeFileSync(join(dir, "ca.pem"), tenant.caPem);
  env = { NODE_EXTRA_CA_CERTS: join(dir, "ca.pem"), TMPDIR: dir };
  credFile = join(dir, "credential.json");
  writeFileSync(credFile, JSON.stringify(tenant.credential()));
  optionsJson = JSON.stringify({ apiBaseUrl: tenant.apiBaseUrl, authorityHost: tenant.authorityHost });
});
after(async () => {
  await tenant.close();
  scratch.remove();
});

/** A file of `bytes` bytes that takes no disk space (sparse). */
const sparseFile = (name: string, bytes: number): string => {
  const path = join(dir, name);
  writeFileSync(path, "");
  truncateSync(path, bytes);
  return path;
};

/** A file holding `text`. */
const textFile = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const run = (...extra: string[]) => ["run", "defender365", "--credential", credFile, "--options", optionsJson, ...extra];

const badInputs: [string, () => string[], RegExp][] = [
  ["--site given empty", () => run("--mode", "probe", "--site", ""), /--site is empty/],
  ["--out given empty", () => run("--out", ""), /--out is empty/],
  ["--summary - (standard output carries the records)", () => run("--summary", "-"), /--summary - is not supported/],
  ["--credential /dev/zero (endless)", () => ["run", "defender365", "--credential", "/dev/zero"], /--credential: \/dev\/zero is larger than 1 MiB/],
  [
    "--options file /dev/zero (endless)",
    () => ["run", "defender365", "--credential", credFile, "--options", "/dev/zero"],
    /--options: \/dev\/zero is larger than 1 MiB/,
  ],
  [
    "--assets larger than its cap (refused from its size, unread)",
    () => run("--assets", sparseFile("huge-assets.jsonl", INPUT_LIMITS.assets + 1)),
    /--assets: .*huge-assets\.jsonl is larger than 500 MiB/,
  ],
  [
    "--assets with an address correlation cannot read (a prefix length): it would be left out of matching",
    () =>
      run(
        "--assets",
        textFile(
          "cidr-assets.jsonl",
          `${JSON.stringify({ id: "a", addresses: ["10.0.0.7"] })}\n${JSON.stringify({ id: "b", addresses: ["10.0.0.8/24"], macs: ["00:1a:2b:3c:4d"] })}\n`,
        ),
      ),
    /1\.addresses\.0: expected an IP address alone.*1\.macs\.0: expected a MAC address/,
  ],
  ["a word past the probe's name", () => ["run", "defender365", "extra", "--credential", credFile], /unexpected argument "extra"/],
  ["a flag given twice (the first would be dropped)", () => run("--out", join(dir, "a.jsonl"), "--out", join(dir, "b.jsonl")), /--out is given twice/],
  ["--site in connector mode (it would be ignored)", () => run("--site", "hq"), /--site is for --mode probe/],
  ["list with a flag it does not take", () => ["list", "--foo"], /Unknown option '--foo'/],
  ["report with a stray word", () => ["report", "stray", "--records", "r.jsonl", "--summary", "s.json"], /unexpected argument "stray"/],
  ["--credential is a directory", () => ["run", "defender365", "--credential", dir], /--credential: .* is a directory/],
  ["--out in a directory that does not exist", () => run("--out", join(dir, "no-such-dir", "records.jsonl")), /--out: cannot write .*no such directory/],
  [
    "--summary in a directory that does not exist",
    () => run("--summary", join(dir, "no-such-dir", "summary.json")),
    /--summary: cannot write .*no such directory/,
  ],
  ["--summary is a directory", () => run("--summary", dir), /--summary: .* is a directory/],
  ["--out under a file, as if it were a directory", () => run("--out", join(credFile, "records.jsonl")), /--out: cannot write .*is not a directory/],
  [
    "--summary the same file as --out (the summary would overwrite the records)",
    () => run("--out", join(dir, "same.json"), "--summary", join(dir, ".", "same.json")),
    /--summary: .*same\.json is the file --out names/,
  ],
  ["--out the credential file", () => run("--out", credFile), /--out: .*credential\.json is the file --credential names/],
];

for (const [name, args, pattern] of badInputs) {
  test(`bad input exits 2 naming the flag, before any network call: ${name}`, async () => {
    const sent = tenant.stats.tokenRequests + tenant.stats.apiRequests;
    const ran = await cli(args(), env);
    assert.equal(ran.code, 2, ran.stderr);
    assert.match(ran.stderr, pattern);
    assert.doesNotMatch(ran.stderr, /\n\s+at .+:\d+:\d+/, "no stack trace");
    assert.doesNotMatch(ran.stderr, /unexpected failure/);
    assert.equal(tenant.stats.tokenRequests + tenant.stats.apiRequests, sent, "nothing was sent");
  });
}

test("report: an --out that cannot be written exits 2 naming it, before the run's files are read", async () => {
  const ran = await cli(
    ["report", "--records", join(dir, "none.jsonl"), "--summary", join(dir, "none.json"), "--out", join(dir, "no-such-dir", "r.html")],
    env,
  );
  assert.equal(ran.code, 2, ran.stderr);
  assert.match(ran.stderr, /--out: cannot write .*no such directory/);
});

test("a UTF-8 byte order mark at the start of the credential, options and assets files is accepted", async () => {
  const BOM = "\uFEFF";
  const credential = join(dir, "bom-credential.json");
  writeFileSync(credential, BOM + JSON.stringify(tenant.credential()));
  const options = join(dir, "bom-options.json");
  writeFileSync(options, BOM + optionsJson);
  const lines = join(dir, "bom-assets.jsonl");
  writeFileSync(lines, `${BOM}{"id":"line-1"}\n{"id":"line-2"}\n`);
  const array = join(dir, "bom-assets.json");
  writeFileSync(array, `${BOM}[{"id":"array-1"}]`);
  for (const assets of [lines, array]) {
    const summaryFile = join(dir, "bom-summary.json");
    const ran = await cli(
      ["run", "defender365", "--credential", credential, "--options", options, "--assets", assets, "--out", "-", "--summary", summaryFile],
      env,
    );
    assert.equal(ran.code, 0, ran.stderr);
    const summary = JSON.parse(readFileSync(summaryFile, "utf8"));
    assert.equal(Object.keys(summary.coverage.edr.byAsset).length, assets === lines ? 2 : 1);
  }
});

test("asset ids __proto__, toString and constructor keep their verdicts through the summary and the report", async () => {
  const ids = ["__proto__", "toString", "constructor", "hasOwnProperty", "plain"];
  const assets = join(dir, "prototype-ids.jsonl");
  writeFileSync(assets, ids.map((id) => JSON.stringify({ id, names: [`${id.replace(/_/g, "")}-nowhere.example`] })).join("\n"));
  const records = join(dir, "prototype-records.jsonl");
  const summaryFile = join(dir, "prototype-summary.json");
  const ran = await cli(run("--assets", assets, "--out", records, "--summary", summaryFile), env);
  assert.equal(ran.code, 0, ran.stderr);
  const text = readFileSync(summaryFile, "utf8");
  for (const id of ids) assert.match(text, new RegExp(`"${id}": "missing"`), `${id} is in coverage.byAsset`);
  const summary = JSON.parse(text);
  assert.equal(summary.coverage.edr.missing, ids.length);

  const page = join(dir, "prototype-report.html");
  const reported = await cli(["report", "--records", records, "--summary", summaryFile, "--assets", assets, "--out", page], env);
  assert.equal(reported.code, 0, reported.stderr);
  const html = readFileSync(page, "utf8");
  for (const id of ids) assert.ok(html.includes(`>${id}<`), `${id} is listed in the report`);
});

test(
  "report: a records file with an endless line (/dev/zero) exits 2 naming it, no stack trace",
  { skip: !existsSync("/dev/zero") && "no /dev/zero here" },
  async () => {
    const summaryFile = join(dir, "endless-summary.json");
    const ran = await cli(run("--out", join(dir, "endless-records.jsonl"), "--summary", summaryFile), env);
    assert.equal(ran.code, 0, ran.stderr);
    const reported = await cli(["report", "--records", "/dev/zero", "--summary", summaryFile, "--out", join(dir, "endless.html")], env);
    assert.equal(reported.code, 2, reported.stderr);
    assert.match(reported.stderr, /--records: \/dev\/zero line 1 is over 64 MiB: expected JSON lines/);
    assert.doesNotMatch(reported.stderr, /\n\s+at /, "no stack trace");
  },
);

test("an output path that exists and is a file is fine (the check creates and truncates nothing)", async () => {
  const out = join(dir, "existing-records.jsonl");
  writeFileSync(out, "previous run\n");
  mkdirSync(join(dir, "sub"), { recursive: true });
  const ran = await cli(run("--out", out, "--summary", join(dir, "sub", "new-summary.json")), env);
  assert.equal(ran.code, 0, ran.stderr);
  assert.doesNotMatch(readFileSync(out, "utf8"), /previous run/);
});

test("--credential env: reads the variables with the probe's own kinds, and refuses kinds that have no reader", async () => {
  const codec = t.type({ kind: t.literal("acme-api-key"), apiKey: t.string });
  const reader = (env: Readonly<Record<string, string | undefined>>): t.Validation<{ kind: "acme-api-key"; apiKey: string }> =>
    env["ACME_KEY"] === undefined
      ? t.failure(undefined, [{ key: "ACME_KEY", type: t.string, actual: undefined }], "not set")
      : t.success({ kind: "acme-api-key", apiKey: env["ACME_KEY"] });
  const withReader = [{ kind: "acme-api-key", title: "API key", codec, fromEnvironment: reader }];
  const read = loadCredential("env:", { ACME_KEY: "k-1" }, withReader);
  assert.deepEqual(read, { _tag: "Right", right: { kind: "acme-api-key", apiKey: "k-1" } });
  const unset = loadCredential("env:", {}, withReader);
  assert.equal(unset._tag, "Left");
  const none = loadCredential("env:", { ACME_KEY: "k-1" }, [{ kind: "acme-api-key", title: "API key", codec }]);
  assert.equal(none._tag, "Left");
  assert.match(JSON.stringify(none), /give a credential file/);
});
