/**
 * The package as either module system loads it: `import` and `require` of the built entry
 * points through the package's own `exports` (self-reference by name), as a consumer would.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "../..");

test("import: the main and simulator entry points load from the build, by package name", async () => {
  const main = (await import("scan-probes")) as Record<string, unknown>;
  const simulator = (await import("scan-probes/simulator")) as Record<string, unknown>;
  assert.equal(typeof main["defender365"], "object");
  assert.equal(typeof simulator["startSimulatedTenant"], "function");
});

test("require: a CommonJS consumer gets the same exports (plain node, Node's require of an ES module)", () => {
  const script = `const m = require("scan-probes"); const s = require("scan-probes/simulator");
    process.stdout.write(JSON.stringify([typeof m.defender365, typeof m.runProbe, typeof s.startSimulatedTenant]));`;
  const out = execFileSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } });
  assert.deepEqual(JSON.parse(out), ["object", "function", "function"]);
});
