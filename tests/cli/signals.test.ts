/**
 * Signals and pipes, end to end: the built CLI in a child process against the simulated
 * tenant. A hang-up cancels like Ctrl-C and leaves no temporary file; an input that blocks
 * (a FIFO with no writer) cannot make the process deaf to SIGTERM; a reader that closes the
 * pipe early (`| head -1`) is not a failure.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { closeSync, constants, existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { startSimulatedTenant, type SimulatedTenant } from "../../src/simulator/index.js";
import { BIN, scratchDir } from "./run-cli.js";

/** Enough devices that a run cancelled on page 8 of 2,000 has spilled its records to the spool file. */
const DEVICES = 20_000;
/** Longest wait for a child that should already have ended: past it the child hangs, and is killed. */
const HANG_GUARD_MS = 20_000;

let tenant: SimulatedTenant;
const scratch = scratchDir("scan-probe-signals-");
const dir = scratch.path;
let env: NodeJS.ProcessEnv;
let credFile: string;
let optionsJson: string;

before(async () => {
  tenant = await startSimulatedTenant({ seed: 11, devices: DEVICES });
  writeFileSync(join(dir, "ca.pem"), tenant.caPem);
  credFile = join(dir, "credential.json");
  writeFileSync(credFile, JSON.stringify(tenant.credential()));
  optionsJson = JSON.stringify({ apiBaseUrl: tenant.apiBaseUrl, authorityHost: tenant.authorityHost, pageSize: 2_000 });
  env = { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, "ca.pem") };
});
after(async () => {
  await tenant.close();
  scratch.remove();
});

/** The child's exit, or a failure (the child killed) when it has not ended within {@link HANG_GUARD_MS}. */
const exitOf = (child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> =>
  new Promise((resolve, reject) => {
    const guard = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error("the CLI did not end: it hangs"));
    }, HANG_GUARD_MS);
    child.on("exit", (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal });
    });
  });

/** Waits until `ready()` holds, checking every 50 ms. */
const until = async (ready: () => boolean): Promise<void> => {
  while (!ready()) await sleep(50);
};

test("SIGHUP cancels like Ctrl-C: what was read is written, the summary says incomplete with no missing verdict, and no spool file is left", async () => {
  const tmp = join(dir, "tmp-hangup");
  mkdirSync(tmp);
  const out = join(dir, "hangup.jsonl");
  const summaryFile = join(dir, "hangup.json");
  tenant.faults = { api: [{ at: 8, kind: "delay", ms: 60_000 }] };
  const sent = tenant.stats.apiRequests;
  const child = spawn(
    process.execPath,
    [BIN, "run", "defender365", "--credential", credFile, "--options", optionsJson, "--out", out, "--summary", summaryFile],
    {
      env: { ...env, TMPDIR: tmp },
    },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = exitOf(child);
  await until(() => tenant.stats.apiRequests >= sent + 8 && readdirSync(tmp).length > 0); // page 8 is held back; the pages before it spilled to the spool
  child.kill("SIGHUP");
  const { code } = await exited;
  tenant.faults = {};
  assert.equal(code, 1, stderr);
  assert.match(stderr, /ERR_CANCELLED/);
  const summary = JSON.parse(readFileSync(summaryFile, "utf8"));
  assert.equal(summary.complete, false);
  assert.equal(summary.coverage.edr.missing, 0);
  const lines = readFileSync(out, "utf8").trim().split("\n");
  assert.ok(summary.counts.fetched >= 5 * 2_000, `${summary.counts.fetched} devices read before the hang-up`);
  assert.equal(lines.length, summary.counts.matched + summary.counts.created, "a record for every device kept: the file is not cut short");
  assert.deepEqual(readdirSync(tmp), [], "the spool's folder is removed from TMPDIR");
});

test("a credential path that is a FIFO nobody writes: SIGTERM ends the CLI, nothing is sent and no file is made", async () => {
  const fifo = join(dir, "credential.fifo");
  execFileSync("mkfifo", [fifo]);
  const out = join(dir, "fifo-records.jsonl");
  const sent = tenant.stats.tokenRequests + tenant.stats.apiRequests;
  const child = spawn(process.execPath, [BIN, "run", "defender365", "--credential", fifo, "--options", optionsJson, "--out", out], { env, stdio: "ignore" });
  const exited = exitOf(child);
  // Opening the FIFO's other end without blocking succeeds only once the CLI has it open for reading: from then
  // on the CLI waits inside its read of the credential, for bytes this end never writes.
  let writer: number | undefined;
  while (writer === undefined) {
    try {
      writer = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    } catch {
      await sleep(50);
    }
  }
  child.kill("SIGTERM");
  const { code, signal } = await exited.finally(() => closeSync(writer));
  assert.ok(signal === "SIGTERM" || code !== 0, `ended by ${signal ?? code}`);
  assert.equal(tenant.stats.tokenRequests + tenant.stats.apiRequests, sent, "nothing was sent");
  assert.equal(existsSync(out), false, "no records file was made");
});

for (const args of [["list"], ["run", "--help"], ["--help"]]) {
  test(`scan-probe ${args.join(" ")} into a pipe its reader has closed (| head -1): exit 0, no stack trace`, async () => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout?.destroy(); // the reader is gone before the CLI writes a line
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const { code } = await exitOf(child);
    assert.equal(code, 0, stderr);
    assert.equal(stderr, "");
  });
}

test("run with its records going into a pipe its reader has closed: the summary file is still written, exit 0", async () => {
  const summaryFile = join(dir, "closed-pipe.json");
  const child = spawn(process.execPath, [BIN, "run", "defender365", "--credential", credFile, "--options", optionsJson, "--summary", summaryFile], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.destroy();
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const { code } = await exitOf(child);
  assert.equal(code, 0, stderr);
  const summary = JSON.parse(readFileSync(summaryFile, "utf8"));
  assert.equal(summary.complete, true);
  assert.equal(summary.counts.fetched > 0, true);
});
