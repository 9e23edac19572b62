/**
 * Every example runs as a user would run it (`node --import tsx examples/x.ts`), in a child
 * process against its own simulated tenant, and must exit 0 with its key line of output.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../", import.meta.url));

/** Runs one example; resolves with its output, rejects (with the output) on a non-zero exit. */
const runExample = async (file: string, args: string[] = []): Promise<{ stdout: string; stderr: string }> => {
  // DEBUG off: the key lines are asserted on stdout, and a developer's DEBUG=* would flood it.
  const env = { ...process.env, DEBUG: "", NODE_OPTIONS: "" };
  return run(process.execPath, ["--import", "tsx", join(root, "examples", file), ...args], { cwd: root, env, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
};

test("examples/minimal-engine.ts plans, runs, merges and lists the assets missing EDR", async () => {
  const { stdout } = await runExample("minimal-engine.ts");
  assert.match(stdout, /^scan found \d+ assets on site site-hq$/m);
  assert.match(stdout, /^defender365 \(azure-prod\): \d+ devices, \d+ matched, \d+ new assets$/m);
  const missing = /^Assets missing EDR \((\d+)\):$/m.exec(stdout);
  assert.ok(missing, stdout);
  assert.ok(Number(missing[1]) > 0, "the simulated tenant has assets without a sensor");
  assert.doesNotMatch(stdout, /<the client secret's Value>/);
});

test("examples/connector-task.ts writes JSON lines and prints a complete summary", async () => {
  const dir = mkdtempSync(join(tmpdir(), "example-connector-"));
  try {
    const out = join(dir, "records.jsonl");
    const { stdout } = await runExample("connector-task.ts", [out]);
    const line = /^summary: (.*)$/m.exec(stdout);
    assert.ok(line?.[1], stdout);
    const summary = JSON.parse(line[1]) as { mode: string; complete: boolean; counts: { fetched: number; matched: number; created: number } };
    assert.equal(summary.mode, "connector");
    assert.equal(summary.complete, true);
    const records = readFileSync(out, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { assetId: string | null; siteId: string | null });
    assert.equal(records.length, summary.counts.matched + summary.counts.created);
    assert.ok(summary.counts.matched > 0 && summary.counts.created > 0);
    for (const r of records.filter((x) => x.assetId === null)) assert.equal(r.siteId, "site-endpoints", "new assets go to the siteId option");
    const next = /^next sync: (.*)$/m.exec(stdout);
    assert.ok(next?.[1], stdout);
    assert.equal((JSON.parse(next[1]) as { expectedDevices: number }).expectedDevices, summary.counts.fetched, "the count the next sync passes");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("examples/fp-ts.ts folds a Left (wrong secret) and a Right with TE.match", async () => {
  const { stdout } = await runExample("fp-ts.ts");
  assert.match(stdout, /^wrong secret: Left AuthError ERR_AUTH_INVALID_SECRET: /m);
  assert.match(stdout, /^right secret: Right complete=true, \d+ devices, \d+ records; /m);
  assert.doesNotMatch(stdout, /not-the-secret-value/, "a secret never reaches the output");
});
