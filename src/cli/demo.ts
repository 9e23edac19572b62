/**
 * `scan-probe demo`: starts a simulated Microsoft tenant and a simulated CrowdStrike Falcon
 * cloud on loopback, over one scanned network (Defender on the Windows clients, Falcon on
 * servers, Macs and Linux, some hosts running both), writes the scan task a user would write
 * (both probes on, both credentials inline) and runs it exactly as `run --task` does. Then
 * it shows what a security team wants to see: which assets miss EDR, and how many of them a
 * Defender-only view would have called missing although Falcon protects them.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CoverageStatus, RunSummary } from "../contract.js";
import { parseHostname, parseIp, parseMac } from "../correlate/index.js";
import type { ScannedAsset } from "../engine/assets.js";
import type { CombinedRuns } from "../engine/combine.js";
import { runCoverage } from "../engine/coverage.js";
import { defaultRegistry } from "../engine/registry.js";
import { createEnvironment } from "../runtime/environment.js";
import { generateTenant, startSimulatedFalcon, startSimulatedTenant } from "../simulator/index.js";
import { EXIT, type Terminal } from "./commands.js";
import { combinedTable } from "./output.js";
import { taskCommand } from "./task.js";

const DEMO_SEED = 7;
const DEFAULT_DEVICES = 2_000;

/** An asset as a person reads it: its name and canonical identifiers. */
const describeAsset = (asset: ScannedAsset): string => {
  const name = asset.names?.map(parseHostname).find((h) => h !== null);
  const ips = (asset.addresses ?? []).map(parseIp).filter((ip): ip is string => ip !== null);
  const macs = (asset.macs ?? []).map(parseMac).filter((mac): mac is string => mac !== null);
  return [(name?.fqdn ?? name?.short ?? "(no name)").padEnd(34), ...ips.slice(0, 2), ...macs.slice(0, 1)].join("  ");
};

/** The assets whose verdict in `byAsset` is `verdict`, in the scan's order. */
const withVerdict = (assets: readonly ScannedAsset[], byAsset: Readonly<Record<string, CoverageStatus>>, verdict: CoverageStatus): ScannedAsset[] =>
  assets.filter((a) => byAsset[a.id] === verdict);

/** Prints up to `max` assets under a heading. */
const listAssets = (say: (text?: string) => void, heading: string, assets: readonly ScannedAsset[], max: number): void => {
  say();
  say(`${heading} (${assets.length})`);
  for (const a of assets.slice(0, max)) say(`  ${a.id}  ${describeAsset(a)}`);
  if (assets.length > max) say(`  … and ${assets.length - max} more`);
};

/** Runs the demo with the shipped probes (Defender365 and CrowdStrike); returns the exit code. */
export const demoCommand = async (term: Terminal, settings: { devices?: number | undefined }): Promise<number> => {
  const devices = settings.devices ?? DEFAULT_DEVICES;
  const say = (text = "") => term.out.write(`${text}\n`);
  say(`Starting, on 127.0.0.1, a simulated Microsoft tenant with ${devices} Defender devices and a simulated CrowdStrike Falcon cloud (seed ${DEMO_SEED})…`);
  const generated = generateTenant({ seed: DEMO_SEED, devices, assets: true });
  const tenant = await startSimulatedTenant({ seed: DEMO_SEED, devices });
  try {
    const falcon = await startSimulatedFalcon({ seed: DEMO_SEED, tenant: generated });
    try {
      const assets = generated.assets as ScannedAsset[];
      const dir = mkdtempSync(join(tmpdir(), "scan-probes-demo-"));
      const file = (name: string) => join(dir, name);
      const task = {
        siteId: "demo-site",
        probes: {
          Defender365: { enabled: true, options: { apiBaseUrl: tenant.apiBaseUrl, authorityHost: tenant.authorityHost } },
          CrowdStrike: { enabled: true },
        },
        credentials: [
          { id: "microsoft", MS365Defender: true, ...tenant.credential("azure-client-secret") },
          { id: "falcon", CrowdStrike: true, ...falcon.credential() },
        ],
      };
      writeFileSync(file("task.json"), `${JSON.stringify(task, null, 2)}\n`, { mode: 0o600 });
      writeFileSync(file("assets.jsonl"), assets.map((a) => `${JSON.stringify(a)}\n`).join(""));
      say(`A network scan of it found ${assets.length} assets (${falcon.hosts.count} hosts run Falcon). Running both probes as one scan task…`);
      say();
      const code = await taskCommand(
        { task: file("task.json"), assets: file("assets.jsonl"), mode: "probe", out: file("records.jsonl"), summary: file("summary.json") },
        defaultRegistry,
        (logs) => createEnvironment({ ...logs, extraCaPem: `${tenant.caPem}\n${falcon.caPem}` }),
        term,
      );
      if (code !== EXIT.complete) return code;

      const combined = JSON.parse(readFileSync(file("summary.json"), "utf8")) as CombinedRuns;
      const edr = combined.coverage["edr"];
      const defenderRun = combined.runs.find((run: RunSummary) => run.probe === "defender365");
      if (edr === undefined || defenderRun === undefined) throw new Error("the demo's task gave no combined EDR coverage");
      const defenderAlone = runCoverage(defenderRun).byAsset;
      const onlyCombined = assets.filter((a) => defenderAlone[a.id] === "missing" && edr.byAsset[a.id] === "protected");
      say(combinedTable(combined, (run) => run.runId.replace(/^\d+:/, "")));
      const right = assets.filter((a) => edr.byAsset[a.id] === falcon.truth.assets[a.id]?.combinedVerdict).length;
      say(`  ground truth     ${String(right).padStart(8)} of ${assets.length} combined verdicts right (the simulators know every host's true asset)`);
      say(
        `  Defender alone would call ${withVerdict(assets, defenderAlone, "missing").length} assets missing EDR; with Falcon, ${edr.missing} are. ${onlyCombined.length} assets only the combined view calls protected.`,
      );
      listAssets(say, "Protected by Falcon, missing by Defender alone: a Defender-only report would raise a false alarm for each", onlyCombined, 8);
      listAssets(say, "Assets missing EDR: on the network, no EDR of any vendor protects them", withVerdict(assets, edr.byAsset, "missing"), 12);
      listAssets(say, "Assets with an unhealthy sensor: an EDR knows them, none protects them now", withVerdict(assets, edr.byAsset, "unhealthy"), 5);
      say();
      say(`The task, both runs' records, the combined summary and the scan's assets are in ${dir}/ (task.json holds the simulators' secrets).`);
      say(
        `See it as a page: scan-probe report --records ${file("records.jsonl")} --summary ${file("summary.json")} --assets ${file("assets.jsonl")} --out report.html`,
      );
      say(
        "On your own tenants: scan-probe verify defender365 --credential azure.json, scan-probe verify crowdstrike --credential falcon.json (see README: Setup)",
      );
      return EXIT.complete;
    } finally {
      await falcon.close();
    }
  } finally {
    await tenant.close();
  }
};
