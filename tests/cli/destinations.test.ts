/**
 * `run` and `verify` in process against a simulated tenant: an option naming a host the
 * credential does not allow is exit 2 naming the field, before any request; `verify`
 * says where the secret and the token go.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EXIT, runCommand, verifyCommand, type Terminal } from "../../src/cli/commands.js";
import { defender365 } from "../../src/probes/defender365/index.js";
import { startHarness, type Harness } from "../integration/harness.js";

let h: Harness;
let dir: string;
let credFile: string;
const EVIL = "https://collect.attacker.example";

const terminal = (): Terminal & { text: () => string } => {
  let text = "";
  const stream = { write: (s: string) => ((text += s), true), isTTY: false } as unknown as NodeJS.WriteStream;
  return { out: stream, err: stream, text: () => text };
};

before(async () => {
  h = await startHarness({ devices: 5 });
  dir = mkdtempSync(join(tmpdir(), "scan-probe-destinations-"));
  credFile = join(dir, "credential.json");
  writeFileSync(credFile, JSON.stringify(h.tenant.credential()));
});
after(async () => {
  rmSync(dir, { recursive: true, force: true });
  await h.tenant.close();
});

for (const [field, options] of [
  ["authorityHost", { authorityHost: EVIL }],
  ["apiBaseUrl", { apiBaseUrl: EVIL }],
  ["cloud", { cloud: "gcc-high" }],
] as const) {
  for (const command of ["run", "verify"] as const) {
    test(`${command}: options naming ${field} the credential does not allow → exit 2 naming it, no request sent`, async () => {
      const credential = field === "cloud" ? join(dir, "commercial.json") : credFile;
      if (field === "cloud") writeFileSync(credential, JSON.stringify({ ...h.tenant.credential(), cloud: "commercial" }));
      h.tenant.resetStats();
      const term = terminal();
      const args = { credential, options: JSON.stringify(options), mode: "connector" as const };
      const code = command === "run" ? await runCommand(defender365, args, h.env, term) : await verifyCommand(defender365, args, h.env, term);
      assert.equal(code, EXIT.badInput, term.text());
      assert.match(term.text(), new RegExp(`ERR_INPUT.*${field}`, "s"));
      assert.equal(h.tenant.stats.tokenRequests + h.tenant.stats.apiRequests + h.tenant.stats.metadataRequests, 0, "nothing was sent");
    });
  }
}

test("run: the hosts the credential names need no options", async () => {
  const term = terminal();
  const code = await runCommand(defender365, { credential: credFile, mode: "connector", out: join(dir, "records.jsonl") }, h.env, term);
  assert.equal(code, EXIT.complete, term.text());
});

test("verify: says where the secret and the token go, and who named each", async () => {
  const term = terminal();
  const code = await verifyCommand(defender365, { credential: credFile }, h.env, term);
  assert.equal(code, EXIT.complete, term.text());
  assert.ok(term.text().includes(`the client secret goes to ${h.tenant.authorityHost} (named by the credential; cloud commercial, the default)`), term.text());
  assert.ok(term.text().includes(`the token goes to ${h.tenant.apiBaseUrl} (named by the credential)`), term.text());
});
