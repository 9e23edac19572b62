/**
 * A minimal scan engine: it reads a scan task (examples/scan-task.json), plans the probe
 * runs the task turns on, runs each one inside the "scan", merges the enrichment records
 * into its own asset list, and prints the assets that are missing EDR.
 *
 * Here the scan task's Azure credential and the Microsoft hosts are filled in from a
 * simulated tenant started on 127.0.0.1, and the "scan" result is the list of assets a
 * network scan of that tenant would find. Against a real tenant, put the app
 * registration's values in the task and drop the three simulator lines.
 *
 *   node --import tsx examples/minimal-engine.ts
 */
import { readFileSync } from "node:fs";
import {
  createEnvironment,
  defaultRegistry,
  planProbeRuns,
  ProbeRunError,
  runCoverage,
  type CoverageStatus,
  type EnrichmentRecord,
  type ScannedAsset,
} from "../src/index.js";
import { generateTenant, startSimulatedTenant } from "../src/simulator/index.js";

/** The engine's own asset: what the scan saw, plus what probes added. */
interface Asset {
  readonly id: string;
  readonly siteId: string;
  names: string[];
  addresses: string[];
  macs: string[];
  os: string | null;
  /** EDR verdict from the Defender probe, when it ran. */
  edr?: CoverageStatus;
  /** Attributes by source (`defender365` → every Defender field). */
  readonly sources: Record<string, Readonly<Record<string, unknown>>>;
}

type ScanTask = { siteId: string; credentials: Record<string, unknown>[] } & Record<string, unknown>;

const SEED = 11;
const DEVICES = 300;

const union = (a: readonly string[], b: readonly string[]): string[] => [...new Set([...a, ...b])];

/** An asset as the scan found it. */
const fromScan = (a: ScannedAsset, siteId: string): Asset => ({
  id: a.id,
  siteId,
  names: [...(a.names ?? [])],
  addresses: [...(a.addresses ?? [])],
  macs: [...(a.macs ?? [])],
  os: a.os ?? null,
  sources: {},
});

/** Merges one record: into the asset it matched, or as a new asset of the run's site. */
const merge = (assets: Map<string, Asset>, record: EnrichmentRecord, siteId: string): void => {
  const existing = record.assetId === null ? undefined : assets.get(record.assetId);
  if (existing === undefined) {
    const id = `${record.source}:${record.sourceId}`;
    assets.set(id, {
      id,
      siteId: record.siteId ?? siteId,
      names: [...record.names],
      addresses: [...record.addresses],
      macs: [...record.macs],
      os: record.os,
      sources: { [record.source]: record.attributes },
    });
    return;
  }
  // A re-imaged device leaves older records that matched the same asset: only the live one
  // contributes its identifiers and attributes.
  if (record.match?.live === false) return;
  existing.names = union(existing.names, record.names);
  existing.addresses = union(existing.addresses, record.addresses);
  existing.macs = union(existing.macs, record.macs);
  existing.os ??= record.os;
  existing.sources[record.source] = record.attributes;
};

const main = async (): Promise<number> => {
  const task = JSON.parse(readFileSync(new URL("scan-task.json", import.meta.url), "utf8")) as ScanTask;

  // --- simulator: a tenant on 127.0.0.1, its credential and hosts put into the task ---
  const tenant = await startSimulatedTenant({ seed: SEED, devices: DEVICES });
  try {
    task.credentials = task.credentials.map((c) => (c["MS365Defender"] === true ? { ...c, ...tenant.credential("azure-client-secret") } : c));
    const probes = task["probes"] as { Defender365: { options: Record<string, unknown> } };
    probes.Defender365.options = { ...probes.Defender365.options, apiBaseUrl: tenant.apiBaseUrl, authorityHost: tenant.authorityHost };
    const scanned = generateTenant({ seed: SEED, devices: DEVICES, assets: true }).assets as ScannedAsset[];
    // --- end of simulator setup ---

    const assets = new Map<string, Asset>(scanned.map((a) => [a.id, fromScan(a, task.siteId)]));
    console.log(`scan found ${assets.size} assets on site ${task.siteId}`);

    const plan = planProbeRuns(task, defaultRegistry, "probe");
    if (plan._tag === "Left") {
      console.error(plan.left.message);
      return 2;
    }
    for (const skipped of plan.right.skipped) console.log(`skipped ${skipped.probeId}: ${skipped.reason}`);

    // One environment per process: the HTTP stack (trusting the simulator's CA), sign-in, rate budgets.
    const env = createEnvironment({
      extraCaPem: tenant.caPem,
      taskLog: (e) => {
        if (e.code !== "DEFENDER_PAGE") console.log(`[task log] ${e.level} ${e.code}: ${e.message}${e.hint ? ` (${e.hint})` : ""}`);
      },
    });

    let failed = false;
    for (const run of plan.right.runs) {
      try {
        const result = await run.start({ assets: scanned }, env);
        for (const record of result.records) merge(assets, record, task.siteId);
        for (const [assetId, status] of Object.entries(runCoverage(result.summary).byAsset)) {
          const asset = assets.get(assetId);
          if (asset !== undefined) asset.edr = status;
        }
        const { counts } = result.summary;
        console.log(`${run.probe.id} (${run.credentialId}): ${counts.fetched} devices, ${counts.matched} matched, ${counts.created} new assets`);
      } catch (error) {
        if (!(error instanceof ProbeRunError)) throw error;
        // What was read before the failure is still usable, but it is never a "missing" verdict.
        console.error(`${run.probe.id} (${run.credentialId}) failed: ${error.code}: ${error.message} ${error.hint}`);
        failed = true;
      }
    }

    const missing = [...assets.values()].filter((a) => a.edr === "missing");
    console.log(`asset list: ${assets.size} assets after merging`);
    console.log(`Assets missing EDR (${missing.length}):`);
    for (const a of missing.slice(0, 10)) console.log(`  ${a.id}  ${a.names[0] ?? "(no name)"}  ${a.addresses.slice(0, 2).join(" ")}`);
    if (missing.length > 10) console.log(`  … and ${missing.length - 10} more`);
    return failed ? 1 : 0;
  } finally {
    await tenant.close();
  }
};

process.exitCode = await main();
