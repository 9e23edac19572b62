/**
 * `scan-probe demo`: starts the simulated tenant on loopback, builds the scanned assets a
 * network scan of it would find, runs the Defender365 probe inside that "scan", and shows
 * what a security team wants to see: what matched, what is new, which assets miss EDR.
 */
import { runCoverage } from "../engine/coverage.js";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ScannedAsset } from "../engine/assets.js";
import { parseHostname, parseIp, parseMac } from "../correlate/index.js";
import { CredentialCodec } from "../azure/credentials.js";
import { createEnvironment } from "../runtime/environment.js";
import { defender365 } from "../probes/defender365/index.js";
import { generateTenant, startSimulatedTenant } from "../simulator/index.js";
import { EXIT, printError, type Terminal } from "./commands.js";
import { summaryTable, writeRecords, writeSummary } from "./output.js";
import { cliTaskLog } from "./progress.js";

const DEMO_SEED = 7;
const DEFAULT_DEVICES = 2_000;

/** An asset as a person reads it: its name and canonical identifiers. */
const describeAsset = (asset: ScannedAsset): string => {
  const name = asset.names?.map(parseHostname).find((h) => h !== null);
  const ips = (asset.addresses ?? []).map(parseIp).filter((ip): ip is string => ip !== null);
  const macs = (asset.macs ?? []).map(parseMac).filter((mac): mac is string => mac !== null);
  return [(name?.fqdn ?? name?.short ?? "(no name)").padEnd(34), ...ips.slice(0, 2), ...macs.slice(0, 1)].join("  ");
};

/** Runs the demo; returns the exit code. */
export const demoCommand = async (term: Terminal, settings: { devices?: number | undefined }): Promise<number> => {
  const devices = settings.devices ?? DEFAULT_DEVICES;
  const say = (text = "") => term.out.write(`${text}\n`);
  say(`Starting a simulated Microsoft tenant on 127.0.0.1 with ${devices} Defender devices (seed ${DEMO_SEED})…`);
  const tenant = await startSimulatedTenant({ seed: DEMO_SEED, devices });
  try {
    const generated = generateTenant({ seed: DEMO_SEED, devices, assets: true });
    const assets = generated.assets as ScannedAsset[];
    say(`A network scan of it found ${assets.length} assets. Running the Defender365 probe inside that scan…`);
    say();
    const credential = CredentialCodec.decode(tenant.credential("azure-client-secret"));
    const options = defender365.options.decode({ apiBaseUrl: tenant.apiBaseUrl, authorityHost: tenant.authorityHost });
    if (credential._tag === "Left" || options._tag === "Left") throw new Error("the simulated tenant gave an invalid credential or options");
    const env = createEnvironment({ extraCaPem: tenant.caPem, taskLog: cliTaskLog(term.err) });
    const outcome = await defender365.run({ mode: "probe", credential: credential.right, options: options.right, assets, scanSiteId: "demo-site" }, env)();
    if (outcome._tag === "Left") {
      printError(term, outcome.left);
      return EXIT.failed;
    }
    const result = outcome.right;
    say(summaryTable(result));

    const byAsset = runCoverage(result.summary).byAsset;
    const right = assets.filter((a) => byAsset[a.id] === generated.truth.assets[a.id]?.verdict).length;
    say(`  ground truth     ${String(right).padStart(8)} of ${assets.length} verdicts right (the simulator knows every device's true asset)`);
    say(`  (new assets: Defender devices the scan did not find, e.g. roaming laptops; they go to the scan's site)`);
    const missing = assets.filter((a) => byAsset[a.id] === "missing");
    const unhealthy = assets.filter((a) => byAsset[a.id] === "unhealthy");
    say();
    say(`Assets missing EDR (${missing.length}): on the network, no onboarded Defender sensor`);
    for (const a of missing.slice(0, 12)) say(`  ${a.id}  ${describeAsset(a)}`);
    if (missing.length > 12) say(`  … and ${missing.length - 12} more`);
    say();
    say(`Assets with an unhealthy sensor (${unhealthy.length}): onboarded, but not reporting as Active`);
    for (const a of unhealthy.slice(0, 5)) say(`  ${a.id}  ${describeAsset(a)}`);
    if (unhealthy.length > 5) say(`  … and ${unhealthy.length - 5} more`);

    const dir = mkdtempSync(join(tmpdir(), "scan-probes-demo-"));
    await writeRecords(result.records, join(dir, "records.jsonl"));
    writeSummary(result.summary, join(dir, "summary.json"));
    writeFileSync(join(dir, "assets.jsonl"), assets.map((a) => `${JSON.stringify(a)}\n`).join(""));
    say();
    say(`Records, summary and the scan's assets written to ${dir}/ (records.jsonl, summary.json, assets.jsonl).`);
    say(
      `See it as a page: scan-probe report --records ${join(dir, "records.jsonl")} --summary ${join(dir, "summary.json")} --assets ${join(dir, "assets.jsonl")} --out report.html`,
    );
    say("On your own tenant: scan-probe verify defender365 --credential azure.json  (see README: Azure setup)");
    return EXIT.complete;
  } finally {
    await tenant.close();
  }
};
