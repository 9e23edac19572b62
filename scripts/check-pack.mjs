#!/usr/bin/env node
/**
 * `npm run pack:check`: what `npm publish` would ship, checked before it ships.
 *
 * Runs `npm pack --dry-run --json` and fails (exit 1, one line per problem) when the
 * tarball would hold a file outside dist/, README.md, CHANGELOG.md, LICENSE,
 * the user docs the README links (docs/adding-a-probe.md, docs/defender-attributes.md,
 * docs/logging.md) and package.json; a test, fixture, key or certificate, source map or TypeScript source;
 * build output with no source in src/ (a stale dist/: rebuild from clean); or when an
 * entry point named in package.json is missing. Build first (`npm run build`).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";

/** The user docs the README links to, shipped so that its links work in an installed package. */
const DOCS = ["docs/adding-a-probe.md", "docs/defender-attributes.md", "docs/logging.md"];
const TOP_LEVEL = new Set(["package.json", "README.md", "CHANGELOG.md", "LICENSE", ...DOCS]);

/** Each forbidden kind of file, as a test on its path and the reason printed. */
const FORBIDDEN = [
  [(p) => /\.map$/.test(p), "a source map"],
  [(p) => /(^|\/)(tests?|__tests__|fixtures?|__fixtures__|examples?)\//.test(p), "a test, fixture or example folder"],
  [(p) => /\.(test|spec)\.[cm]?[jt]sx?$/.test(p) || /\.(test|spec)\.d\.[cm]?ts$/.test(p), "a test file"],
  [(p) => /\.(pem|key|crt|cer|der|p12|pfx|jks|keystore)$/i.test(p) || /(^|\/)(id_rsa|id_ed25519|id_ecdsa)(\.pub)?$/.test(p), "a key or certificate"],
  [(p) => /(^|\/)\.env(\.|$)/.test(p) || /(^|\/)\.npmrc$/.test(p), "an environment or npm credentials file"],
  [(p) => /\.[cm]?ts$/.test(p) && !/\.d\.[cm]?ts$/.test(p), "TypeScript source"],
  [(p) => /\.(tgz|log)$/.test(p), "a tarball or log"],
];

const pkg = JSON.parse(readFileSync("package.json", "utf8"));

let report;
try {
  report = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }));
} catch (error) {
  console.error(`pack:check: npm pack --dry-run failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
const files = (report[0]?.files ?? []).map((f) => f.path);
const problems = [];

for (const path of files) {
  if (!path.startsWith("dist/") && !TOP_LEVEL.has(path))
    problems.push(`${path}: outside dist/, README.md, CHANGELOG.md, LICENSE, package.json, ${DOCS.join(", ")}`);
  for (const [test, what] of FORBIDDEN) if (test(path)) problems.push(`${path}: ${what} must not ship`);
  const js = /^dist\/(.+)\.(js|d\.ts)$/.exec(path);
  if (js !== null && !existsSync(`src/${js[1]}.ts`)) problems.push(`${path}: no src/${js[1]}.ts (stale build output; rm -rf dist && npm run build)`);
}

/** Every file package.json points at (main, types, bin, exports) must ship. */
const entryPoints = new Set([pkg.main, pkg.types]);
for (const target of Object.values(pkg.bin ?? {})) entryPoints.add(target);
const walk = (value) => {
  if (typeof value === "string") entryPoints.add(value);
  else if (value !== null && typeof value === "object") Object.values(value).forEach(walk);
};
walk(pkg.exports ?? {});
for (const entry of entryPoints) {
  if (typeof entry !== "string") continue;
  const path = entry.replace(/^\.\//, "");
  if (!files.includes(path))
    problems.push(`${path}: named in package.json but not in the package${path.startsWith("dist/") ? " (run npm run build first)" : ""}`);
}
for (const required of ["README.md", "LICENSE", "package.json", ...DOCS]) if (!files.includes(required)) problems.push(`${required}: missing from the package`);

if (problems.length > 0) {
  console.error(`pack:check: ${problems.length} problem(s) in the package ${report[0]?.id ?? ""}:`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log(`pack:check: ${files.length} files, ${report[0]?.size ?? "?"} bytes packed; only dist/ and the top-level docs ship.`);
