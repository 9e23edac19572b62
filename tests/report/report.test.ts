/**
 * `scan-probe report`: the view model (counts by OS and site, order, notes), escaping of
 * tenant data, the command's input errors, and the page in a real headless browser
 * (Debian's chromium) made from a run against the simulated tenant.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import type { ScannedAsset } from "../../src/engine/assets.js";
import type { AnyProbe, ControlState, CoverageStatus } from "../../src/contract.js";
import { createRegistry } from "../../src/engine/registry.js";
import { cliInProcess, type RanInProcess } from "../cli/run-cli.js";
import { writeRecords, writeSummary } from "../../src/cli/output.js";
import { defender365 } from "../../src/probes/defender365/index.js";
import { buildReportModel, labelsFor, osFamily, renderReport, type ReportInput, type ReportRecord, type ReportSummary } from "../../src/report/index.js";
import { generateTenant } from "../../src/simulator/index.js";
import { startHarness, type Harness } from "../integration/harness.js";

const ROOT = join(import.meta.dirname, "../..");
const BIN = join(ROOT, "src/cli/bin.ts");

// ---------------------------------------------------------------- builders

/** A record's fields, with `edr` for its state (`controls.edr`), `health` and `onboarding` for its attributes. */
type RecordFields = Partial<ReportRecord> & { health?: string; onboarding?: string; edr?: ControlState };

const record = (over: RecordFields = {}): ReportRecord => {
  const { health = "Active", onboarding = "Onboarded", edr = "protected", ...rest } = over;
  return {
    sourceId: "m-1",
    assetId: null,
    siteId: null,
    match: null,
    names: [],
    addresses: [],
    macs: [],
    os: null,
    lastSeen: "2025-06-01T10:00:00Z",
    controls: { edr },
    attributes: { healthStatus: health, onboardingStatus: onboarding, vmMetadata: null },
    ...rest,
  };
};

const matched = (assetId: string, over: RecordFields = {}): ReportRecord => record({ sourceId: `m-${assetId}`, assetId, match: { live: true }, ...over });

/** The summary's EDR coverage; a summary without one fails the test. */
const edrOf = (summary: ReportSummary) => {
  const coverage = summary.coverage["edr"];
  assert.ok(coverage !== undefined, "the summary has EDR coverage");
  return coverage;
};

const summaryOf = (byAsset: Record<string, CoverageStatus>, over: Partial<ReportSummary> = {}): ReportSummary => {
  const tally = (s: CoverageStatus) => Object.values(byAsset).filter((v) => v === s).length;
  return {
    probe: "defender365",
    mode: "probe",
    control: "edr",
    complete: true,
    counts: { fetched: 10, invalid: 0, inactiveSkipped: 1, unknownSkipped: 0, duplicates: 0, matched: 4, created: 1 },
    http: { requests: 1, retries: 0, throttled: 0 },
    coverage: { edr: { protected: tally("protected"), unhealthy: tally("unhealthy"), missing: tally("missing"), unknown: tally("unknown"), byAsset } },
    unmatched: {},
    errors: [],
    ...over,
  };
};

const input = (over: Partial<ReportInput> & Pick<ReportInput, "summary">): ReportInput => ({
  records: [],
  labels: labelsFor(over.summary, defender365),
  generatedAt: "2025-06-03T08:00:00Z",
  sources: { records: "records.jsonl", summary: "summary.json", assets: null },
  ...over,
});

/** Five assets: one of each story the report has to tell apart. */
const FIVE = (): ReportInput =>
  input({
    summary: summaryOf({ a1: "protected", a2: "unhealthy", a3: "missing", a4: "missing", a5: "missing" }),
    records: [
      matched("a1", { os: "Windows11 23H2", names: ["ws-1.corp.example"] }),
      matched("a2", {
        os: "WindowsServer2022 21H2",
        edr: "unhealthy",
        health: "ImpairedCommunication",
        names: ["srv-2.corp.example"],
        addresses: ["10.0.0.2"],
      }),
      matched("a4", { os: "Ubuntu 20.04", edr: "not-onboarded", onboarding: "CanBeOnboarded", names: ["nas-4"], addresses: ["10.0.0.40"] }),
      record({ sourceId: "new-1", siteId: "site-9", os: "macOS 14" }),
    ],
    assets: [
      { id: "a3", names: ["PRINTER-3.Corp.Example."], addresses: ["10.0.0.100"], macs: ["00-0C-29-92-A6-4D"], os: "Linux 5.15" },
      { id: "a4", names: ["nas-4"], addresses: ["10.0.0.9"] },
    ],
    sources: { records: "records.jsonl", summary: "summary.json", assets: "assets.jsonl" },
  });

// ---------------------------------------------------------------- model

test("model: totals and coverage by OS family and by site, from byAsset, records and scanned assets", () => {
  const m = buildReportModel(FIVE());
  assert.deepEqual({ ...m.totals }, { protected: 1, unhealthy: 1, missing: 3, unknown: 0, total: 5 });
  const os = Object.fromEntries(m.byOs.map((r) => [r.label, { ...r.tally }]));
  assert.deepEqual(os, {
    Linux: { protected: 0, unhealthy: 0, missing: 2, unknown: 0, total: 2 }, // a3 (scan: "Linux 5.15"), a4 (Defender: Ubuntu)
    "Windows 11": { protected: 1, unhealthy: 0, missing: 0, unknown: 0, total: 1 },
    "Windows Server": { protected: 0, unhealthy: 1, missing: 0, unknown: 0, total: 1 },
    "OS not known": { protected: 0, unhealthy: 0, missing: 1, unknown: 0, total: 1 }, // a5: no record, not in the assets file
  });
  assert.equal(m.byOs[0]?.label, "Linux", "most assets first");
  assert.deepEqual(
    m.bySite.map((r) => [r.label, r.tally.total]),
    [["site-9", 5]],
    "probe mode: the scan's site, carried by the new device",
  );
  assert.equal(m.newDevices, 1);
  assert.deepEqual(m.notes, []);
});

test("model: missing list merges the scan's and Defender's identifiers, canonical, servers first, then by address", () => {
  const m = buildReportModel(FIVE());
  assert.deepEqual(
    m.missing.map((r) => r.id),
    ["a4", "a3", "a5"],
    "Linux before OS-not-known; 10.0.0.9 before 10.0.0.100 numerically",
  );
  const [a4, a3, a5] = m.missing;
  assert.deepEqual(a3?.names, ["printer-3.corp.example"], "host name parsed: lowercased, trailing dot dropped");
  assert.deepEqual(a3?.macs, ["00:0c:29:92:a6:4d"], "MAC printed one way");
  assert.deepEqual(a3?.source, { _tag: "NotInSource" });
  assert.deepEqual(a4?.addresses, ["10.0.0.9", "10.0.0.40"], "scan's address first, then Defender's");
  assert.deepEqual(a4?.source, { _tag: "Discovered", onboarding: ["CanBeOnboarded"] });
  assert.equal(a4?.os, "Ubuntu 20.04", "Defender's OS wins over the scan's");
  assert.deepEqual([a5?.names, a5?.addresses, a5?.os], [[], [], null], "neither side knows a5: id only");
  assert.deepEqual(
    m.unhealthy.map((r) => [r.id, r.source]),
    [["a2", { _tag: "Unhealthy", health: ["ImpairedCommunication"] }]],
  );
});

test("model: a short name next to its FQDN is dropped; connector mode has no site for scanned assets", () => {
  const m = buildReportModel(
    input({
      summary: summaryOf({ x: "missing" }, { mode: "connector" }),
      records: [matched("x", { edr: "not-onboarded", names: ["srv-9.corp.example"] }), record({ siteId: "site-1" })],
      assets: [{ id: "x", names: ["SRV-9"] }],
    }),
  );
  assert.deepEqual(m.missing[0]?.names, ["srv-9.corp.example"]);
  assert.deepEqual(
    m.bySite.map((r) => r.label),
    ["(no site recorded)"],
  );
  assert.equal(m.assetsSupplied, true);
});

test("model: disagreeing files become notes on the page, never a throw", () => {
  const summary = summaryOf({ a: "protected" });
  const m = buildReportModel(
    input({
      summary: { ...summary, coverage: { edr: { ...edrOf(summary), protected: 7 } } },
      records: [matched("ghost")],
      assets: [{ id: "a" }, { id: "elsewhere" }],
    }),
  );
  assert.equal(m.totals.protected, 1, "counted from byAsset");
  assert.equal(m.notes.length, 3);
  assert.match(m.notes.join("\n"), /counts 7 protected but lists 1/);
  assert.match(m.notes.join("\n"), /1 record\(s\) name an asset that is not in/);
  assert.match(m.notes.join("\n"), /1 asset\(s\) in the assets file are not in/);
});

test("osFamily: Defender's and the scanner's spellings land in one family", () => {
  const cases: [string | null, string][] = [
    ["WindowsServer2022 21H2", "Windows Server"],
    ["Microsoft Windows Server 2019", "Windows Server"],
    ["Windows11 23H2", "Windows 11"],
    ["Microsoft Windows 11", "Windows 11"],
    ["Windows10 22H2", "Windows 10"],
    ["Windows7", "Windows (other)"],
    ["RedHatEnterpriseLinux 8.9", "Linux"],
    ["Linux 5.15", "Linux"],
    ["Ubuntu 22.4", "Linux"],
    ["macOS 14", "macOS"],
    ["Apple macOS", "macOS"],
    ["iOS 17", "iOS, Android"],
    ["Android 14", "iOS, Android"],
    ["HP JetDirect", "Other"],
    [null, "OS not known"],
    ["  ", "OS not known"],
  ];
  for (const [os, family] of cases) assert.equal(osFamily(os).label, family, String(os));
});

// ---------------------------------------------------------------- rendering

test("render: every value from the files is escaped; the page has no script and no external resource", () => {
  const evil = '<script>alert("x")</script>';
  const summary = summaryOf(
    { "<b>asset</b>": "missing", ok: "unhealthy" },
    {
      probe: "defender365<i>",
      errors: [{ code: "ERR_API_SERVER", message: `<img src=x onerror=alert(1)> ${evil}` }],
      unmatched: { [evil]: 1 },
    },
  );
  const m = buildReportModel(
    input({
      summary,
      records: [
        matched("<b>asset</b>", {
          edr: "not-onboarded",
          names: [evil],
          addresses: ['"><svg onload=alert(1)>'],
          os: "x' onmouseover='alert(1)",
          onboarding: evil,
        }),
        matched("ok", { edr: "unhealthy", health: evil, lastSeen: evil }),
        record({ siteId: `site ${evil}` }),
      ],
      sources: { records: `${evil}.jsonl`, summary: "s.json", assets: null },
    }),
  );
  const page = renderReport(m);
  assert.doesNotMatch(page, /<script/i, "no script element, whatever the data says");
  assert.doesNotMatch(page, /<img|<svg|<b>asset|<i>/i, "no element from tenant data");
  assert.doesNotMatch(page, /' onmouseover='/, "no way out of a quoted attribute");
  assert.match(page, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;/, "the name is shown, as text");
  assert.match(page, /&lt;b&gt;asset&lt;\/b&gt;/);
  assert.match(page, /Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"/);
  assert.doesNotMatch(page, /(src|href)="(https?:)?\/\//i, "nothing loaded from elsewhere");
  assert.equal((page.match(/<style>/g) ?? []).length, 1);
});

test("render: an incomplete run says coverage is unknown, not missing, and gives the errors", () => {
  const page = renderReport(
    buildReportModel(
      input({
        summary: summaryOf(
          { a: "protected", b: "unknown", c: "unknown" },
          { complete: false, errors: [{ code: "ERR_API_THROTTLED", message: "The API kept answering 429." }] },
        ),
      }),
    ),
  );
  assert.match(page, /Incomplete run: coverage of 2 asset\(s\) is unknown, not missing\./);
  assert.match(page, /ERR_API_THROTTLED/);
  assert.match(page, /No asset is called missing: the run was incomplete/);
  assert.match(page, /<strong class="unknown">2 of 3 scanned assets \(66\.7%\) have no verdict<\/strong>/);
});

test("render: an incremental sync (a summary field newer probes write) says unknown, not missing, too", () => {
  const page = renderReport(buildReportModel(input({ summary: { ...summaryOf({ a: "protected", b: "unknown" }), incremental: true } })));
  assert.match(page, /Incremental sync: coverage of 1 asset\(s\) is unknown, not missing\./);
  assert.match(page, /have no verdict<\/strong> because an incremental sync reads only devices seen since the last one/);
  assert.doesNotMatch(page, /Incomplete run/);
});

test("render: a summary that is incomplete yet calls assets missing (another tool's) lists none as missing: they show as unknown", () => {
  for (const over of [{ complete: false }, { incremental: true }] as const) {
    const m = buildReportModel(input({ summary: summaryOf({ a: "protected", b: "missing", c: "missing" }, over) }));
    assert.equal(m.missing.length, 0);
    assert.deepEqual({ missing: m.totals.missing, unknown: m.totals.unknown }, { missing: 0, unknown: 2 });
    assert.ok(m.notes.some((n) => /calls 2 asset\(s\) missing; a partial read cannot tell that/.test(n)));
    const page = renderReport(m);
    assert.doesNotMatch(page, /<table class="list missing">/);
    assert.match(page, /No asset is called missing/);
  }
});

test("render: a field of 2 million characters shows 200 of them in its cell, the whole value one click away; nothing else shows more than 4,096", () => {
  const huge = "x".repeat(2_000_000);
  const m = buildReportModel(
    input({
      summary: summaryOf({ [huge]: "missing", b: "unhealthy" }, { errors: [{ code: "ERR_X", message: huge }], unmatched: { [huge]: 1 } }),
      records: [matched("b", { edr: "unhealthy", health: huge, os: huge })],
      assets: [{ id: huge, names: [huge], addresses: [huge] }],
    }),
  );
  const page = renderReport(m);
  const cells = [...page.matchAll(/<details class="long"><summary>(x*)… \(2,000,000 characters\)<\/summary>(x*)<\/details>/g)];
  assert.ok(cells.length >= 4, `each long cell is cut, with the whole value in <details> (${cells.length})`);
  for (const [, shown, whole] of cells) {
    assert.equal(shown?.length, 200);
    assert.equal(whole?.length, 2_000_000);
  }
  const outsideCells = page.replace(/<details class="long">.*?<\/details>/gs, "");
  const longest = Math.max(...(outsideCells.match(/x+/g) ?? []).map((run) => run.length));
  assert.equal(longest, 4_096, "titles, errors and reasons are cut too");
});

test("render: bidi controls and invisible characters in a value are shown escaped, so they cannot reorder or hide text", () => {
  const name = "invoice\u202Egpj.exe";
  const m = buildReportModel(
    input({
      summary: summaryOf({ a: "missing" }, { errors: [{ code: "ERR_X", message: "zero\u200Bwidth\u2066isolate" }] }),
      assets: [{ id: "a", names: [name], os: "os\u0007bell" }],
    }),
  );
  const page = renderReport(m);
  assert.match(page, /invoice\\u202Egpj\.exe/);
  assert.match(page, /zero\\u200Bwidth\\u2066isolate/);
  assert.match(page, /os\\u0007bell/);
  // eslint-disable-next-line no-control-regex -- the bell must not reach the page raw
  assert.doesNotMatch(page, /[\u202A-\u202E\u2066-\u2069\u200B\u0007]/);
});

test("render: a complete run with assets a device that failed decoding could be says why they are unknown", () => {
  const summary = summaryOf({ a: "protected", b: "unknown", c: "missing" });
  const page = renderReport(buildReportModel(input({ summary: { ...summary, coverage: { edr: { ...edrOf(summary), unknownFromInvalidDevices: 1 } } } })));
  assert.match(page, /1 asset\(s\) are unknown, not missing, because a Defender device that could not be read could be theirs\./);
  const without = renderReport(buildReportModel(input({ summary })));
  assert.doesNotMatch(without, /could not be read could be theirs/);
});

test("render: without --assets the page says the missing list shows ids only", () => {
  const page = renderReport(buildReportModel(input({ summary: summaryOf({ a: "missing" }) })));
  assert.match(page, /No scanned-assets file was given/);
  assert.match(page, /<td>a<\/td>/);
  const withAssets = renderReport(buildReportModel(input({ summary: summaryOf({ a: "missing" }), assets: [{ id: "a", names: ["host-a"] }] })));
  assert.doesNotMatch(withAssets, /No scanned-assets file was given/);
});

test("render: headline numbers with percentages, one bar per status, print and dark styles", () => {
  const page = renderReport(buildReportModel(FIVE()));
  assert.match(page, /<strong>3 of 5 scanned assets \(60\.0%\)<\/strong> have no onboarded EDR sensor; 1 protected, 1 unhealthy\./);
  for (const status of ["protected", "unhealthy", "missing", "unknown"]) assert.match(page, new RegExp(`<div class="card s-${status}`));
  assert.match(page, /<span class="n">1<\/span><span class="pct">20\.0%<\/span>/);
  assert.match(page, /@media \(prefers-color-scheme: dark\)/);
  assert.match(page, /@media print/);
  assert.match(page, /discovered · <span class="onboard" title="onboardingStatus CanBeOnboarded">can be onboarded<\/span>/);
});

/** A second probe's summary and records: control `av`, no Defender attributes. */
const ACME = { title: "Acme Antivirus Cloud", shortTitle: "Acme", control: { id: "av", title: "Antivirus" } } as const;

const acmeInput = (): ReportInput => {
  const summary = summaryOf({ h1: "protected", h2: "missing", h3: "missing" }, { probe: "acme-av", control: "av" });
  return input({
    summary: { ...summary, coverage: { av: edrOf(summary) } },
    labels: labelsFor({ probe: "acme-av", control: "av" }, ACME),
    records: [
      matched("h1", { controls: { av: "protected" }, attributes: {} }),
      matched("h3", { controls: { av: "not-onboarded" }, attributes: {}, names: ["kiosk-3"] }),
    ],
    assets: [{ id: "h2", names: ["till-2.shop.example"] }],
  });
};

test("render: another probe's run is titled and labelled by that probe and its control, with no word of Defender or EDR", () => {
  const page = renderReport(buildReportModel(acmeInput()));
  assert.match(page, /<title>Antivirus coverage: 2 of 3 assets missing Antivirus<\/title>/);
  assert.match(page, /<h1>Antivirus coverage<\/h1>/);
  assert.match(page, /<div class="sub">Acme Antivirus Cloud · probe mode/);
  assert.match(page, /have no onboarded Antivirus sensor/);
  assert.match(page, /<h2>Assets missing Antivirus /);
  assert.match(page, /<th>In Acme<\/th>/);
  assert.match(page, /<td>not in Acme<\/td>/, "h2: the source does not know it");
  assert.match(page, /<h3>Acme devices<\/h3>/);
  assert.match(page, /<dt>Probe<\/dt><dd>Acme Antivirus Cloud \(acme-av\)<\/dd>/);
  assert.doesNotMatch(page, /defender/i);
  assert.doesNotMatch(page, /EDR/);
});

test("labels: a probe the caller does not know, or one measuring another control, is labelled by the summary's ids", () => {
  assert.deepEqual(labelsFor({ probe: "acme-av", control: "av" }, undefined), { probe: "acme-av", source: "acme-av", control: "av" });
  assert.deepEqual(labelsFor({ probe: "acme-av", control: "patching" }, ACME), { probe: "Acme Antivirus Cloud", source: "Acme", control: "patching" });
  assert.deepEqual(labelsFor({ probe: "defender365", control: "edr" }, defender365), {
    probe: "Microsoft 365 Defender (Defender for Endpoint)",
    source: "Defender",
    control: "EDR",
  });
  const page = renderReport(buildReportModel({ ...acmeInput(), labels: labelsFor({ probe: "acme-av", control: "av" }, undefined) }));
  assert.match(page, /<title>av coverage: 2 of 3 assets missing av<\/title>/);
  assert.match(page, /<td>not in acme-av<\/td>/);
  assert.doesNotMatch(page, /defender|EDR/i);
});

test("render: 100,000 assets, 30,000 missing: model and page in seconds, every missing asset listed", () => {
  const byAsset: Record<string, CoverageStatus> = {};
  const assets: ScannedAsset[] = [];
  const records: ReportRecord[] = [];
  const statuses: CoverageStatus[] = [
    "protected",
    "protected",
    "missing",
    "unhealthy",
    "protected",
    "missing",
    "protected",
    "protected",
    "missing",
    "protected",
  ];
  for (let i = 0; i < 100_000; i += 1) {
    const id = `asset-${String(i).padStart(6, "0")}`;
    const status = statuses[i % 10] ?? "protected";
    byAsset[id] = status;
    const address = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    assets.push({
      id,
      names: [`host-${i}.corp.example`],
      addresses: [address],
      macs: [`00:0c:29:${((i >> 16) & 255).toString(16)}:${((i >> 8) & 255).toString(16)}:${(i & 255).toString(16)}`],
      os: i % 3 === 0 ? "Linux 5.15" : "Microsoft Windows 11",
    });
    if (status !== "missing")
      records.push(
        matched(id, { edr: status === "unhealthy" ? "unhealthy" : "protected", os: "Windows11 23H2", names: [`host-${i}.corp.example`], addresses: [address] }),
      );
  }
  const started = Date.now();
  const model = buildReportModel(input({ summary: summaryOf(byAsset), records, assets }));
  const page = renderReport(model);
  const ms = Date.now() - started;
  assert.equal(model.missing.length, 30_000);
  const headerRows = 4; // two group tables, two lists
  assert.equal(
    (page.match(/<tr>/g) ?? []).length,
    30_000 + 10_000 + model.byOs.length + model.bySite.length + headerRows,
    "every missing and unhealthy asset has a row",
  );
  assert.ok(page.length < 12_000_000, `page of ${page.length} characters`);
  process.stdout.write(`# 100k-asset report: ${ms} ms, ${(page.length / 1e6).toFixed(1)} MB\n`);
});

// ---------------------------------------------------------------- the command

const cli = (args: string[]): Promise<RanInProcess> =>
  new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", BIN, ...args], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });

let dir: string;
let h: Harness;
let run: { records: string; summary: string; assets: string };

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "scan-probe-report-"));
  // A realistic run: the simulated tenant, the scan's assets, the probe in probe mode.
  const SEED = 7;
  const DEVICES = 2_000;
  h = await startHarness({ seed: SEED, devices: DEVICES });
  const assets = generateTenant({ seed: SEED, devices: DEVICES, assets: true }).assets as ScannedAsset[];
  const outcome = await defender365.run({ mode: "probe", credential: h.credential(), options: h.options(), assets, scanSiteId: "hq-campus" }, h.env)();
  if (outcome._tag === "Left") throw new Error(`the run failed: ${outcome.left.code}`);
  run = { records: join(dir, "records.jsonl"), summary: join(dir, "summary.json"), assets: join(dir, "assets.jsonl") };
  await writeRecords(outcome.right.records, run.records);
  writeSummary(outcome.right.summary, run.summary);
  writeFileSync(run.assets, assets.map((a) => JSON.stringify(a)).join("\n"));
});
after(async () => {
  await h.tenant.close();
  rmSync(dir, { recursive: true, force: true }); // runs whether the tests passed or not
});

test("cli: report from a run against the simulated tenant writes one self-contained page", async () => {
  const out = join(dir, "report.html");
  const ran = await cli(["report", "--records", run.records, "--summary", run.summary, "--assets", run.assets, "--out", out]);
  assert.equal(ran.code, 0, ran.stderr);
  assert.equal(ran.stderr, "", "nothing on stderr when it is not a terminal");
  const page = readFileSync(out, "utf8");
  const summary = JSON.parse(readFileSync(run.summary, "utf8")) as ReportSummary;
  assert.match(page, new RegExp(`<strong>${edrOf(summary).missing.toLocaleString("en-US")} of [\\d,]+ scanned assets`));
  const listed = Object.entries(edrOf(summary).byAsset).filter(([, status]) => status === "missing" || status === "unhealthy");
  assert.ok(listed.length > 0);
  for (const [id] of listed) assert.ok(page.includes(`<td>${id}</td>`), `${id} is listed`);
  assert.match(page, /hq-campus/);
  assert.doesNotMatch(page, /<script|<link|@import|url\(/i, "no script, stylesheet link, import or external URL");
});

const badInputs: [string, () => string[], RegExp][] = [
  ["missing --records", () => ["report", "--summary", run.summary], /--records is required/],
  ["missing --summary", () => ["report", "--records", run.records], /--summary is required/],
  ["unknown flag", () => ["report", "--records", run.records, "--summary", run.summary, "--colour"], /colour/],
  ["records file missing", () => ["report", "--records", join(dir, "nope.jsonl"), "--summary", run.summary], /cannot read .*nope\.jsonl \(no such file\)/],
  [
    "records line not JSON",
    () => {
      const f = join(dir, "bad.jsonl");
      writeFileSync(f, `${JSON.stringify(matched("a"))}\n{oops\n`);
      return ["report", "--records", f, "--summary", run.summary];
    },
    /bad\.jsonl line 2 is not valid JSON/,
  ],
  [
    "record with a bad field",
    () => {
      const f = join(dir, "badfield.jsonl");
      writeFileSync(f, `\n${JSON.stringify({ ...matched("a"), controls: { edr: "maybe" } })}\n`);
      return ["report", "--records", f, "--summary", run.summary];
    },
    /record in .*badfield\.jsonl line 2: controls\.edr: expected/,
  ],
  [
    "records as a JSON array",
    () => {
      const f = join(dir, "array.json");
      writeFileSync(f, "[]");
      return ["report", "--records", f, "--summary", run.summary];
    },
    /expected JSON lines/,
  ],
  [
    "summary not JSON",
    () => {
      const f = join(dir, "summary-bad.json");
      writeFileSync(f, "{ probe: ");
      return ["report", "--records", run.records, "--summary", f];
    },
    /summary-bad\.json is not valid JSON/,
  ],
  [
    "summary without coverage",
    () => {
      const f = join(dir, "summary-nocov.json");
      const s = JSON.parse(readFileSync(run.summary, "utf8")) as Record<string, unknown>;
      delete s["coverage"];
      writeFileSync(f, JSON.stringify(s));
      return ["report", "--records", run.records, "--summary", f];
    },
    /summary \(.*summary-nocov\.json\): coverage: expected/,
  ],
  [
    "summary with an unknown verdict",
    () => {
      const f = join(dir, "summary-verdict.json");
      writeFileSync(f, JSON.stringify(summaryOf({ a: "fine" as CoverageStatus })));
      return ["report", "--records", run.records, "--summary", f];
    },
    /coverage\.edr\.byAsset\.a: expected/,
  ],
  [
    "assets line not JSON",
    () => {
      const f = join(dir, "assets-bad.jsonl");
      writeFileSync(f, '{"id":"a"}\n{oops}\n');
      return ["report", "--records", run.records, "--summary", run.summary, "--assets", f];
    },
    /assets-bad\.jsonl line 2 is not valid JSON/,
  ],
];

const inProcess = cliInProcess;

for (const [name, args, pattern] of badInputs) {
  test(`cli: bad input exits 2 with the file and line, no stack trace, no page: ${name}`, async () => {
    const out = join(dir, `not-written-${name.replace(/\W+/g, "-")}.html`);
    const ran = await inProcess([...args(), "--out", out]);
    assert.equal(ran.code, 2, ran.stderr);
    assert.match(ran.stderr, pattern);
    assert.doesNotMatch(ran.stderr, /\n\s+at .+:\d+:\d+/, "no stack trace");
    assert.equal(existsSync(out), false, "nothing written");
  });
}

test("cli: --out - writes the page to stdout", async () => {
  const ran = await inProcess(["report", "--records", run.records, "--summary", run.summary, "--out", "-"]);
  assert.equal(ran.code, 0, ran.stderr);
  assert.match(ran.stdout, /^<!doctype html>/);
  assert.match(ran.stdout, /No scanned-assets file was given/);
  assert.match(ran.stdout, /<\/html>\n$/);
});

test("cli: the page takes its title and labels from the registry main was given, and the summary's ids for a probe it lacks", async () => {
  const { summary, records, assets } = acmeInput();
  const files = { records: join(dir, "acme.jsonl"), summary: join(dir, "acme-summary.json"), assets: join(dir, "acme-assets.json") };
  writeFileSync(files.records, records.map((r) => JSON.stringify(r)).join("\n"));
  writeFileSync(files.summary, JSON.stringify(summary));
  writeFileSync(files.assets, JSON.stringify(assets));
  const args = ["report", "--records", files.records, "--summary", files.summary, "--assets", files.assets, "--out", "-"];
  const acme: AnyProbe = { ...defender365, id: "acme-av", ...ACME };
  const known = await inProcess(args, createRegistry([acme]));
  assert.equal(known.code, 0, known.stderr);
  assert.match(known.stdout, /<title>Antivirus coverage: 2 of 3 assets missing Antivirus<\/title>/);
  assert.match(known.stdout, /<td>not in Acme<\/td>/);
  assert.doesNotMatch(known.stdout, /defender|EDR/i);
  const unknown = await inProcess(args);
  assert.equal(unknown.code, 0, unknown.stderr);
  assert.match(unknown.stdout, /<title>av coverage: 2 of 3 assets missing av<\/title>/, "the default registry has no acme-av");
  assert.doesNotMatch(unknown.stdout, /defender|EDR/i);
});

test("cli: the executable exits 2 on bad input, naming the file and line", async () => {
  const f = join(dir, "bad-exe.jsonl");
  writeFileSync(f, "{oops\n");
  const ran = await cli(["report", "--records", f, "--summary", run.summary, "--out", join(dir, "never.html")]);
  assert.equal(ran.code, 2);
  assert.match(ran.stderr, /error ERR_INPUT: .*bad-exe\.jsonl line 1 is not valid JSON/);
  assert.doesNotMatch(ran.stderr, /\n\s+at .+:\d+:\d+/);
});

// ---------------------------------------------------------------- a real browser

/** Debian's chromium on PATH, or undefined. */
const chromium = (process.env["PATH"] ?? "")
  .split(delimiter)
  .map((d) => join(d, "chromium"))
  .find((p) => existsSync(p));

/** Width and height from a PNG's IHDR chunk (bytes 16–23), after checking the signature. */
const pngSize = (png: Buffer): { width: number; height: number } => {
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "PNG signature");
  assert.equal(png.subarray(12, 16).toString("latin1"), "IHDR");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
};

test(
  "browser: headless chromium renders the report of a realistic run to a screenshot",
  { skip: chromium ? false : "chromium is not installed (apt-get install chromium); the browser check is skipped", timeout: 180_000 },
  async () => {
    const page = join(dir, "browser-report.html");
    const ran = await cli(["report", "--records", run.records, "--summary", run.summary, "--assets", run.assets, "--out", page]);
    assert.equal(ran.code, 0, ran.stderr);
    const png = join(dir, "report.png");
    const args = [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${join(dir, "chromium-profile")}`,
      `--screenshot=${png}`,
      "--window-size=1280,1600",
      `file://${page}`,
    ];
    const browser = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(chromium ?? "chromium", args, { timeout: 150_000 }, (error, _stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stderr }));
    });
    assert.equal(browser.code, 0, browser.stderr.slice(-2000));
    assert.ok(existsSync(png), "the screenshot exists");
    const bytes = readFileSync(png);
    assert.deepEqual(pngSize(bytes), { width: 1280, height: 1600 });
    assert.ok(statSync(png).size > 30_000, `a page with text and bars, not a blank one (${statSync(png).size} bytes)`);
    process.stdout.write(`# screenshot: ${png} (${bytes.length} bytes)\n`);
  },
);
