/**
 * Runs the built `scan-probe` in a child process, as a user would, for the CLI's end-to-end
 * tests (or `main` in this process, where start-up time would dominate); and a temporary
 * folder that the test file removes again, also when a test fails.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { main } from "../../src/cli/main.js";
import type { Registry } from "../../src/engine/registry.js";

/** The built executable (`npm run build` makes it). */
export const BIN = join(import.meta.dirname, "../../dist/cli/bin.js");

/** What a finished child gave: its exit code (null when a signal ended it), the signal, and its output. */
export interface Ran {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `scan-probe args` with `env` over the test's environment; never rejects. */
export const cli = (args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<Ran> =>
  new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, maxBuffer: 512 * 1024 * 1024 }, (error, stdout, stderr) => {
      const failed = error as (Error & { code?: number | string; signal?: NodeJS.Signals | null }) | null;
      resolve({
        code: failed === null ? 0 : typeof failed.code === "number" ? failed.code : null,
        signal: failed?.signal ?? null,
        stdout,
        stderr,
      });
    });
  });

/**
 * A fresh folder under the system's temporary folder, named `prefix…`, and its removal: call
 * `remove` from the test file's `after`, which runs whether the tests passed or not.
 */
export const scratchDir = (prefix: string): { readonly path: string; remove(): void } => {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
};

/** What `main` gave when run in this process: its exit code and what it wrote. */
export interface RanInProcess {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A terminal stream that keeps what is written to it. */
const recordingStream = (): { readonly stream: NodeJS.WriteStream; text(): string } => {
  let text = "";
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => text };
};

/** Runs `main(args, { registry })` in this process (fast: no start-up per case) with a terminal the test reads. */
export const cliInProcess = async (args: string[], registry?: Registry): Promise<RanInProcess> => {
  const out = recordingStream();
  const err = recordingStream();
  const code = await main(args, { registry, term: { out: out.stream, err: err.stream } });
  return { code, stdout: out.text(), stderr: err.text() };
};
