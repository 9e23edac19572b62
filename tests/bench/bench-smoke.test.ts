/**
 * `npm run bench` end to end at a small size, in a child process: it exits 0 and writes a
 * result file with both sides measured. No timing is asserted: timings are for reading,
 * never for pass/fail.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "../..");

interface Side {
  ok: boolean;
  devices: number;
  clientRequests: number;
  peakRssKb: number;
  tenant: { apiRequests: number; tokenRequests: number };
}

test("bench: 2,000 devices, one round, writes a JSON result with the probe and the baseline", { timeout: 180_000 }, async () => {
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
    assert.match(ran.stdout, /probe/);
    assert.match(ran.stdout, /baseline/);
    const result = JSON.parse(readFileSync(out, "utf8")) as {
      settings: { sizes: number[]; rounds: number };
      machine: { cpus: number; node: string };
      sizes: { devices: number; rounds: { probe: Side; baseline: Side }[] }[];
    };
    assert.deepEqual(result.settings.sizes, [2000]);
    assert.ok(result.machine.cpus > 0);
    assert.equal(result.machine.node, process.version);
    const size = result.sizes[0];
    assert.ok(size !== undefined);
    assert.equal(size.devices, 2000);
    assert.equal(size.rounds.length, 1);
    const round = size.rounds[0];
    assert.ok(round !== undefined);
    for (const side of [round.probe, round.baseline]) {
      assert.equal(side.ok, true);
      assert.ok(side.devices > 0 && side.devices <= 2000 + 10, `${side.devices} devices read`); // a server-side $filter may leave some out
      assert.ok(side.peakRssKb > 0);
      assert.ok(side.tenant.apiRequests >= 1);
      assert.equal(side.tenant.tokenRequests, 1);
    }
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

test("bench --compare: another checkout's probe runs in the same round, with its wall ÷ this probe's", { timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "scan-probes-bench-compare-"));
  try {
    const out = join(dir, "result.json");
    const ran = await bench(["--devices", "1000", "--rounds", "1", "--compare", ROOT, "--out", out]);
    assert.equal(ran.code, 0, `${ran.stdout}\n${ran.stderr}`);
    assert.match(ran.stdout, /probe of --compare/);
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
    assert.deepEqual([...round.order].sort(), ["baseline", "compare", "probe"]);
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
