/**
 * `npm run bench` end to end at a small size, in a child process: it exits 0 and writes a
 * result file with both sides measured, the probe from its tsc output and the floor in plain
 * JavaScript (neither under tsx), both reading pages the tenant rendered before the rounds.
 * No timing is asserted: timings are for reading, never for pass/fail.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "../..");

interface Side {
  side: string;
  ok: boolean;
  devices: number;
  clientRequests: number;
  peakRssKb: number;
  cpuUserMs: number;
  runtime?: { node: string; loader: string; script: string };
  tenant: { apiRequests: number; tokenRequests: number; listPagesRendered: number; listPagesFromCache: number };
}

test("bench: 2,000 devices, one round, writes a JSON result with the probe and the floor, from pre-rendered pages", { timeout: 240_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "scan-probes-bench-smoke-"));
  try {
    const out = join(dir, "result.json");
    const ran = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ["--import", "tsx", "bench/main.ts", "--devices", "2000", "--rounds", "1", "--out", out],
        { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => {
          resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
        },
      );
    });
    assert.equal(ran.code, 0, `${ran.stdout}\n${ran.stderr}`);
    // The table the README pastes: its header, and a row with both ratios.
    assert.match(
      ran.stdout,
      /\| case +\| probe \(median wall\) \| floor \(median wall\) \| ratio \(wall\) \| CPU ratio \(client CPU\) \| peak RSS +\| calls \(list \+ token\) \|/,
    );
    assert.match(ran.stdout, /\| Defender 2k × 2k, no service delay \| [\d.]+ s +\| [\d.]+ s +\| [\d.]+× +\| [\d.]+× +\| [\d,]+ MiB +\| \d+ \+ 1 +\|/);
    const result = JSON.parse(readFileSync(out, "utf8")) as {
      settings: { sizes: number[]; rounds: number };
      machine: { cpus: number; node: string };
      sizes: { devices: number; ratio: number; cpuRatio: number; rounds: { probe: Side; floor: Side }[] }[];
    };
    assert.deepEqual(result.settings.sizes, [2000]);
    assert.ok(result.machine.cpus > 0);
    assert.equal(result.machine.node, process.version);
    const size = result.sizes[0];
    assert.ok(size !== undefined);
    assert.equal(size.devices, 2000);
    assert.equal(size.rounds.length, 1);
    assert.ok(size.ratio > 0 && size.cpuRatio > 0);
    const round = size.rounds[0];
    assert.ok(round !== undefined);
    for (const side of [round.probe, round.floor]) {
      assert.equal(side.ok, true);
      assert.ok(side.devices > 0 && side.devices <= 2000 + 10, `${side.devices} devices read`); // a server-side $filter may leave some out
      assert.ok(side.peakRssKb > 0);
      assert.ok(side.cpuUserMs > 0);
      assert.ok(side.tenant.apiRequests >= 1);
      assert.equal(side.tenant.tokenRequests, 1);
      // Neither measured process runs under the TypeScript loader.
      assert.equal(side.runtime?.loader, "none", `${side.side}: ${JSON.stringify(side.runtime)}`);
      assert.equal(side.runtime.node, process.version);
    }
    assert.equal(round.probe.runtime?.script, "run-probe.js", "the probe runs from its tsc output");
    assert.equal(round.floor.runtime?.script, "floor.mjs");
    // The floor replays the probe's calls: the same pages, every one from the tenant's cache.
    assert.equal(round.floor.devices, round.probe.devices);
    assert.equal(round.floor.tenant.apiRequests, round.probe.tenant.apiRequests);
    assert.equal(round.floor.tenant.listPagesRendered, 0);
    assert.equal(round.floor.tenant.listPagesFromCache, round.floor.tenant.apiRequests);
    // The unmeasured run before the rounds rendered the probe's pages.
    assert.ok(round.probe.tenant.listPagesFromCache >= 1, JSON.stringify(round.probe.tenant));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Runs the bench with `args` in a child process; its exit code and output. */
const bench = (args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", "bench/main.ts", ...args], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });

test("bench --compare: another checkout's probe runs in the same round, with its wall ÷ this probe's", { timeout: 240_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "scan-probes-bench-compare-"));
  try {
    const out = join(dir, "result.json");
    const ran = await bench(["--devices", "1000", "--rounds", "1", "--compare", ROOT, "--out", out]);
    assert.equal(ran.code, 0, `${ran.stdout}\n${ran.stderr}`);
    assert.match(ran.stdout, /\| Defender 1k × 1k, no service delay \(--compare\) +\| /, "a row of the table for the other checkout's probe");
    const result = JSON.parse(readFileSync(out, "utf8")) as {
      settings: { compare: string };
      compareGit: { commit: string | null } | null;
      sizes: { rounds: { order: string[]; probe: Side; compare: Side }[]; compare: { pairedRatios: number[]; pairedCpuRatios: number[] } }[];
    };
    assert.equal(result.settings.compare, ROOT);
    assert.ok(result.compareGit !== null);
    const size = result.sizes[0];
    assert.ok(size !== undefined);
    const round = size.rounds[0];
    assert.ok(round !== undefined);
    assert.deepEqual([...round.order].sort(), ["compare", "floor", "probe"]);
    assert.equal(round.compare.ok, true);
    assert.equal(round.compare.devices, round.probe.devices, "both probes read the same devices");
    assert.equal(size.compare.pairedRatios.length, 1);
    assert.ok(size.compare.pairedRatios[0] !== undefined && size.compare.pairedRatios[0] > 0);
    assert.ok(size.compare.pairedCpuRatios[0] !== undefined && size.compare.pairedCpuRatios[0] > 0);
    assert.match(ran.stdout, /its probe's CPU ÷ this probe's/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("bench --compare with a folder that is no checkout of this project exits 2 and says what to give", async () => {
  const dir = mkdtempSync(join(tmpdir(), "scan-probes-bench-compare-"));
  try {
    const ran = await bench(["--compare", dir]);
    assert.equal(ran.code, 2);
    assert.match(ran.stderr, /--compare: .* has no bench\/run-probe\.ts; give the root of another checkout/);
    assert.doesNotMatch(ran.stderr, /\n\s+at /, "no stack trace");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("bench --readme runs its own cases: with --devices it exits 2 and says what to leave out", async () => {
  const ran = await bench(["--readme", "--devices", "5000"]);
  assert.equal(ran.code, 2);
  assert.match(ran.stderr, /--readme runs its own cases .*: leave out --devices, --sizes, --scale, --service-ms-per-device and --probe/);
});

test(
  "bench --probe crowdstrike: the CrowdStrike probe and the floor read the same Falcon hosts in the same calls, from pre-rendered pages",
  { timeout: 240_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), "scan-probes-bench-falcon-"));
    try {
      const out = join(dir, "result.json");
      const ran = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          ["--import", "tsx", "bench/main.ts", "--probe", "crowdstrike", "--devices", "3000", "--page-size", "1000", "--rounds", "1", "--out", out],
          { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
          (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
        );
      });
      assert.equal(ran.code, 0, `${ran.stdout}\n${ran.stderr}`);
      assert.match(ran.stdout, /\| Falcon 3k × 3k, no service delay \| [\d.]+ s +\| [\d.]+ s +\| [\d.]+× +\| [\d.]+× +\| [\d,]+ MiB +\| 3 \+ 1 +\|/);
      const result = JSON.parse(readFileSync(out, "utf8")) as { sizes: { probeName: string; rounds: { probe: Side; floor: Side }[] }[] };
      const size = result.sizes[0];
      assert.equal(size?.probeName, "crowdstrike");
      const round = size?.rounds[0];
      assert.ok(round !== undefined);
      assert.equal(round.probe.ok, true);
      assert.equal(round.floor.ok, true);
      assert.equal(round.probe.devices, 3000);
      assert.equal(round.floor.devices, 3000);
      for (const side of [round.probe, round.floor]) {
        assert.deepEqual([side.tenant.apiRequests, side.tenant.tokenRequests], [3, 1], side.side);
        assert.deepEqual([side.tenant.listPagesRendered, side.tenant.listPagesFromCache], [0, 3], `${side.side}: pages rendered before the rounds`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
