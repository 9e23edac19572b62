/**
 * An outside author's project, built against the packed package: the tarball `npm pack`
 * makes, unpacked into a fresh project's node_modules (its dependencies linked from this
 * repository's, so nothing is downloaded), a probe written with the public exports only
 * (`tests/package/consumer/src/`), type-checked strict with `nodenext` resolution, and run
 * with plain node: through the CLI's `main` with the consumer's
 * registry, through `planProbeRuns` beside the shipped Defender probe, and `checkProbe` on
 * both. The Acme API is a local HTTPS server with a CA of its own; needs a build first.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { makeTlsMaterial } from "../../src/simulator/ca.js";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "../..");
const FIXTURE = join(import.meta.dirname, "consumer");
const API_KEY = `acme-${randomBytes(16).toString("hex")}`;

/** The Acme API's devices, two pages behind a cursor. */
const PAGES: Readonly<Record<string, { devices: unknown[]; next: string | null }>> = {
  "": {
    devices: [
      { id: "d1", hostname: "web-01", ip: "10.0.0.11", mac: "00-0C-29-92-A6-4D", agent: "healthy", os: "Ubuntu", lastSeen: "2025-06-01T10:00:00Z" },
      { id: "d2", hostname: "DB-01.corp.example", agent: "degraded", lastSeen: "2025-06-02T10:00:00Z" },
    ],
    next: "page-2-token",
  },
  "page-2-token": { devices: [{ id: "d3", hostname: "build-01", agent: "absent" }], next: null },
};

const ASSETS = [
  { id: "a1", names: ["web-01"], addresses: ["10.0.0.11"] },
  { id: "a2", names: ["db-01.corp.example"] },
  { id: "a3", names: ["laptop-9"] },
];

/** Environment of the consumer's processes: no proxy, no tsx, the test's CA only where given. */
const childEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: "", ...extra };
  for (const name of ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy", "NODE_EXTRA_CA_CERTS"])
    if (!(name in extra)) delete env[name];
  return env;
};

let work = "";
let consumer = "";
let server: Server | undefined;
let baseUrl = "";
let caFile = "";
const requests: { readonly url: string; readonly authorized: boolean }[] = [];
const timings: string[] = [];

const timed = async <T>(what: string, step: () => Promise<T>): Promise<T> => {
  const started = performance.now();
  try {
    return await step();
  } finally {
    timings.push(`${what} ${Math.round(performance.now() - started)} ms`);
  }
};

before(async () => {
  assert.ok(existsSync(join(ROOT, "dist/sdk/index.js")), "build first: npm run build");
  work = mkdtempSync(join(tmpdir(), "scan-probes-consumer-"));
  consumer = join(work, "consumer");

  // The package as `npm publish` would ship it, unpacked where `npm install` puts it.
  const packed = await timed("npm pack", () => run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], { cwd: ROOT, env: childEnv() }));
  const tarball = join(work, (JSON.parse(packed.stdout) as { filename: string }[])[0]?.filename ?? assert.fail("npm pack named no tarball"));
  const installed = join(consumer, "node_modules/scan-probes");
  mkdirSync(installed, { recursive: true });
  await run("tar", ["-xzf", tarball, "-C", installed, "--strip-components=1"]);

  // Its dependencies (and Node's types) linked from this repository's node_modules: no network.
  const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  for (const name of [...Object.keys(manifest.dependencies), "@types/node"]) {
    const link = join(consumer, "node_modules", name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(realpathSync(join(ROOT, "node_modules", name)), link, "dir");
  }

  cpSync(join(FIXTURE, "src"), join(consumer, "src"), { recursive: true });
  writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "acme-scan-probe", private: true, type: "module" }));
  writeFileSync(
    join(consumer, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        module: "nodenext",
        moduleResolution: "nodenext",
        lib: ["ES2023"],
        types: ["node"],
        rootDir: "src",
        outDir: "dist",
        strict: true,
        noUncheckedIndexedAccess: true,
        verbatimModuleSyntax: true,
        // Checking every library's declarations (got, msal-node, Node's) takes most of a minute on a
        // busy machine and says nothing about this package; its own declarations are held to
        // importing only what a consumer has by the test below.
        skipLibCheck: true,
      },
      include: ["src"],
    }),
  );

  const tls = await makeTlsMaterial("acme");
  caFile = join(work, "acme-ca.pem");
  writeFileSync(caFile, tls.caPem);
  server = createServer({ key: tls.serverKeyPem, cert: tls.serverCertPem }, (request, response) => {
    const url = new URL(request.url ?? "/", "https://127.0.0.1");
    const authorized = request.headers.authorization === `Bearer ${API_KEY}`;
    requests.push({ url: url.pathname + url.search, authorized });
    const page = url.pathname === "/v1/devices" ? PAGES[url.searchParams.get("cursor") ?? ""] : undefined;
    response.setHeader("content-type", "application/json");
    if (!authorized) return void response.writeHead(401).end('{"error":"unauthorized"}');
    if (page === undefined) return void response.writeHead(404).end('{"error":"not found"}');
    response.end(JSON.stringify(page));
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server?.close();
  if (work !== "") rmSync(work, { recursive: true, force: true });
  if (timings.length > 0) console.log(`consumer: ${timings.join(", ")}`);
});

/** Every `.d.ts` file under `dir`. */
const declarations = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((path) => path.endsWith(".d.ts"))
    .map((path) => join(dir, path));

test("the package's declarations import only Node's modules and dependencies that ship their own types", () => {
  const installed = join(consumer, "node_modules/scan-probes");
  const { dependencies } = JSON.parse(readFileSync(join(installed, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  const typed = (name: string): boolean => {
    const manifest = JSON.parse(readFileSync(join(consumer, "node_modules", name, "package.json"), "utf8")) as Record<string, unknown>;
    const exportsTypes = JSON.stringify(manifest["exports"] ?? null).includes('"types"');
    return (
      typeof manifest["types"] === "string" ||
      typeof manifest["typings"] === "string" ||
      exportsTypes ||
      existsSync(join(consumer, "node_modules", name, "index.d.ts"))
    );
  };
  const wrong: string[] = [];
  for (const file of declarations(join(installed, "dist")))
    for (const [, specifier = ""] of readFileSync(file, "utf8").matchAll(/(?:from |import\()"([^"]+)"/g)) {
      if (specifier.startsWith(".") || specifier.startsWith("node:")) continue;
      const name = specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : (specifier.split("/")[0] ?? "");
      if (!Object.hasOwn(dependencies, name)) wrong.push(`${file.slice(installed.length + 1)}: "${specifier}" is no dependency`);
      else if (!typed(name)) wrong.push(`${file.slice(installed.length + 1)}: "${specifier}" ships no types (its @types package is not a dependency)`);
    }
  assert.deepEqual(wrong, []);
});

test("the consumer's probe type-checks against the packed package: strict, nodenext", async () => {
  const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
  await timed("tsc", () => run(process.execPath, [tsc, "-p", join(consumer, "tsconfig.json")], { cwd: consumer, env: childEnv() })).catch(
    (error: { stdout?: string }) => assert.fail(`tsc failed:\n${error.stdout ?? String(error)}`),
  );
  assert.ok(existsSync(join(consumer, "dist/acme.js")));
});

test("scan-probe run acme: main() with the consumer's registry reads both pages and covers every asset", async () => {
  const credential = join(work, "acme.json");
  const assets = join(work, "assets.json");
  writeFileSync(credential, JSON.stringify({ kind: "acme-api-key", apiKey: API_KEY }));
  writeFileSync(assets, JSON.stringify(ASSETS));
  const out = join(work, "records.jsonl");
  const summaryFile = join(work, "summary.json");
  requests.length = 0;
  const argv = ["run", "acme", "--credential", credential, "--options", JSON.stringify({ apiBaseUrl: baseUrl }), "--assets", assets, "--mode", "probe"];
  const ran = await timed("cli", () =>
    run(process.execPath, [join(consumer, "dist/cli.js"), ...argv, "--out", out, "--summary", summaryFile], {
      cwd: consumer,
      env: childEnv({ NODE_EXTRA_CA_CERTS: caFile }),
    }),
  );
  assert.doesNotMatch(ran.stdout + ran.stderr, new RegExp(API_KEY));

  const summary = JSON.parse(readFileSync(summaryFile, "utf8"));
  assert.equal(summary.probe, "acme");
  assert.equal(summary.control, "edr");
  assert.equal(summary.complete, true);
  assert.deepEqual(summary.coverage.edr.byAsset, { a1: "protected", a2: "unhealthy", a3: "missing" });
  assert.equal(summary.counts.fetched, 3);
  assert.equal(summary.http.requests, 2);
  const records = readFileSync(out, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));
  assert.deepEqual(
    records.map((r) => [r.sourceId, r.assetId, r.controls]),
    [
      ["d1", "a1", { edr: "protected" }],
      ["d2", "a2", { edr: "unhealthy" }],
      ["d3", null, { edr: "not-onboarded" }],
    ],
  );
  assert.deepEqual(requests, [
    { url: "/v1/devices", authorized: true },
    { url: "/v1/devices?cursor=page-2-token", authorized: true },
  ]);
});

test("the library: one scan task plans Defender and Acme; both runs complete; checkProbe passes for both", async () => {
  const config = join(work, "config.json");
  writeFileSync(config, JSON.stringify({ acmeBaseUrl: baseUrl, acmeCaPem: readFileSync(caFile, "utf8"), apiKey: API_KEY, acmeAssets: ASSETS }));
  requests.length = 0;
  const ran = await timed("library", () => run(process.execPath, [join(consumer, "dist/library.js"), config], { cwd: consumer, env: childEnv() }));
  assert.doesNotMatch(ran.stdout + ran.stderr, new RegExp(API_KEY));
  const { runs, problems } = JSON.parse(ran.stdout);
  assert.deepEqual(
    runs.map((r: { probe: string; credentialId: string; complete: boolean; control: string }) => [r.probe, r.credentialId, r.complete, r.control]),
    [
      ["defender365", "azure", true, "edr"],
      ["acme", "acme-prod", true, "edr"],
    ],
  );
  for (const r of runs) assert.equal(r.verdicts, r.assets, `${r.probe}: a verdict for every asset`);
  assert.ok(runs[0].records > 0);
  assert.deepEqual(problems, { defender365: [], acme: [] });
  assert.equal(requests.length, 2, "the Acme run read two pages; checkProbe's cancelled runs sent nothing");
  assert.ok(requests.every((r) => r.authorized));
});
