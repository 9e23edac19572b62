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
