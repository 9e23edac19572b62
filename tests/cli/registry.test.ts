/**
 * The CLI with a registry of its own, as an engine that ships its own probes calls it:
 * `main(argv, { registry })`. `list`, `run`, `verify` and the help know only that registry's
 * probes. The probes here are values built inline that send nothing: a wiring test.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { right } from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import type { AnyProbe, EnrichmentRecord, Probe, ProbeInput, ProbeResult, RecordSink, VerifyReport } from "../../src/contract.js";
import { createRegistry, type Registry } from "../../src/engine/registry.js";
import { cliInProcess, scratchDir } from "./run-cli.js";

const scratch = scratchDir("scan-probe-registry-");
after(() => scratch.remove());

const credentialFile = join(scratch.path, "credential.json");
writeFileSync(credentialFile, JSON.stringify({ kind: "acme-api-key", apiKey: "acme-key-that-must-not-show" }));

const assetsFile = join(scratch.path, "assets.json");
writeFileSync(assetsFile, JSON.stringify([{ id: "a1", names: ["host-1"] }, { id: "a2" }]));

/** Hands the records to the sink in the format it asks for. */
const writeTo = async (sink: RecordSink, records: readonly EnrichmentRecord[]): Promise<void> => {
  const lines = records.map((r) => `${JSON.stringify(r)}\n`).join("");
  if (sink.format === "objects") await sink.write(records);
  else if (sink.format === "json-lines") await sink.write(lines);
  else await sink.write(new TextEncoder().encode(lines));
};

/** A complete result that calls every asset protected: one record per asset, matched to it. */
const resultOf = (input: ProbeInput<unknown, unknown>): ProbeResult => {
  const records: EnrichmentRecord[] = input.assets.map((asset) => ({
    source: "acme",
    sourceId: `acme-${asset.id}`,
    assetId: asset.id,
    siteId: null,
    match: { rule: "name", keys: [], live: true },
    names: [...(asset.names ?? [])],
    addresses: [],
    macs: [],
    os: null,
    firstSeen: null,
    lastSeen: null,
    controls: { av: "protected" },
    attributes: {},
  }));
  const n = records.length;
  return {
    records: input.recordSink === undefined ? records : [],
    warnings: [],
    summary: {
      probe: "acme",
      runId: input.runId ?? "run-1",
      credentialId: input.credentialId ?? null,
      mode: input.mode,
      control: "av",
      complete: true,
      incremental: false,
      cursor: null,
      siteId: input.scanSiteId ?? null,
      counts: { fetched: n, invalid: 0, inactiveSkipped: 0, unknownSkipped: 0, duplicates: 0, matched: n, created: 0 },
      http: { requests: 0, retries: 0, throttled: 0 },
      coverage: {
        av: {
          protected: n,
          unhealthy: 0,
          missing: 0,
          unknown: 0,
          unknownFromInvalidDevices: 0,
          byAsset: Object.fromEntries(input.assets.map((a) => [a.id, "protected"])),
        },
      },
      unmatched: {},
      errors: [],
    },
  };
};

const VERIFIED: VerifyReport = {
  subject: "the eu region",
  credential: "API key from the credential file",
  steps: [
    { outcome: "info", text: "the key goes to acme.example" },
    { outcome: "passed", text: "signed in" },
    { outcome: "failed", text: "scope: read is missing", fix: "Grant read to the key." },
  ],
  ok: false,
};

/** Acme's own credential kind: an API key. */
const AcmeKey = t.exact(t.type({ kind: t.literal("acme-api-key"), apiKey: t.string }));

/** A probe of another source and control, with a credential kind of its own, built inline; it sends nothing. */
const acme: Probe<{ readonly region: string }, t.TypeOf<typeof AcmeKey>> = {
  id: "acme",
  title: "Acme Antivirus Cloud",
  toggles: { probe: "Acme", credential: "AcmeAv" },
  credentialKinds: [{ kind: "acme-api-key", title: "Acme API key", codec: AcmeKey }],
  control: { id: "av", title: "Antivirus" },
  options: t.exact(t.type({ region: t.string })),
  optionDocs: { region: "Where the tenant lives. Required." },
  run: (input) => async () => {
    const result = resultOf(input);
    if (input.recordSink !== undefined) await writeTo(input.recordSink, resultOf({ ...input, recordSink: undefined }).records);
    return right(result);
  },
  verify: () => async () => right(VERIFIED),
};

/** The same source without a `verify`. */
const quiet: AnyProbe = { ...acme, id: "quiet", title: "Quiet Probe", verify: undefined };

const registry: Registry = createRegistry([acme, quiet]);

/** Runs `main` in this process with `registry` (by default this file's) and a terminal the test reads. */
const inProcess = (args: string[], probes: Registry = registry) => cliInProcess(args, probes);

test("list names the registry's probes, and only those", async () => {
  const ran = await inProcess(["list"]);
  assert.equal(ran.code, 0, ran.stderr);
  assert.match(ran.stdout, /^acme {2}Acme Antivirus Cloud\n {2}credentials: acme-api-key\n/);
  assert.match(ran.stdout, /region +Where the tenant lives/);
  assert.match(ran.stdout, /^quiet {2}Quiet Probe/m);
  assert.doesNotMatch(ran.stdout, /defender365/);
});

test("the overview lists the registry's probes", async () => {
  const ran = await inProcess(["help"]);
  assert.equal(ran.code, 0);
  assert.match(ran.stdout, /^Probes: acme, quiet\. /m);
});

test("run of the registry's probe decodes its options and writes its records and summary", async () => {
  const out = join(scratch.path, "records.jsonl");
  const summary = join(scratch.path, "summary.json");
  const ran = await inProcess([
    "run",
    "acme",
    "--credential",
    credentialFile,
    "--options",
    '{"region":"eu"}',
    "--assets",
    assetsFile,
    "--out",
    out,
    "--summary",
    summary,
  ]);
  assert.equal(ran.code, 0, ran.stderr);
  const records = readFileSync(out, "utf8").trim().split("\n");
  assert.deepEqual(
    records.map((line) => (JSON.parse(line) as EnrichmentRecord).assetId),
    ["a1", "a2"],
  );
  const written = JSON.parse(readFileSync(summary, "utf8")) as { probe: string; coverage: Record<string, { protected: number }> };
  assert.equal(written.probe, "acme");
  assert.equal(written.coverage["av"]?.protected, 2);
});

test("run of the registry's probe with options its codec refuses exits 2 naming the field", async () => {
  const ran = await inProcess(["run", "acme", "--credential", credentialFile, "--options", "{}", "--out", join(scratch.path, "never.jsonl")]);
  assert.equal(ran.code, 2, ran.stderr);
  assert.match(ran.stderr, /region/);
});

test("run defender365 with a registry that lacks it exits 2 naming the known probes", async () => {
  const ran = await inProcess(["run", "defender365", "--credential", credentialFile]);
  assert.equal(ran.code, 2);
  assert.match(ran.stderr, /unknown probe "defender365"; known: acme, quiet/);
});

test("verify prints the probe's steps with the fix under a failed one, and exits 1 when a step failed", async () => {
  const ran = await inProcess(["verify", "acme", "--credential", credentialFile, "--options", '{"region":"eu"}']);
  assert.equal(ran.code, 1, ran.stderr);
  assert.doesNotMatch(ran.stdout + ran.stderr, /acme-key-that-must-not-show/);
  assert.equal(
    ran.stdout,
    [
      "Checking Acme Antivirus Cloud for the eu region",
      "  · credential: API key from the credential file",
      "  · the key goes to acme.example",
      "  ✔ signed in",
      "  ✘ scope: read is missing",
      "    fix: Grant read to the key.",
      "",
    ].join("\n"),
  );
});

test("verify of a probe without verify exits 2 saying so, before reading the credential", async () => {
  const ran = await inProcess(["verify", "quiet", "--credential", join(scratch.path, "absent.json")]);
  assert.equal(ran.code, 2);
  assert.match(ran.stderr, /the quiet probe has no verify/);
  assert.equal(ran.stdout, "");
});

test("the package's scan-probes/cli subpath exports main", async () => {
  const cli = (await import("scan-probes/cli")) as Record<string, unknown>;
  assert.equal(typeof cli["main"], "function");
  assert.equal(typeof cli["EXIT"], "object");
});
