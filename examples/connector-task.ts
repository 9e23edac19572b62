/**
 * A scheduled connector task: no scan runs. The engine syncs the Defender device list into
 * its inventory, enriching the assets it already knows and putting new ones on the site
 * named by the `siteId` option. Records stream to a JSON-lines file through the run's
 * `recordSink` as they are written (a 500,000-device tenant never sits in memory); the
 * summary is printed, and what the scheduler keeps for the next sync (`expectedDevices`).
 *
 * The credential and hosts come from a simulated tenant started on 127.0.0.1.
 *
 *   node --import tsx examples/connector-task.ts [records.jsonl]
 */
import { once } from "node:events";
import { createWriteStream, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEnvironment, defaultRegistry, planProbeRuns, ProbeRunError, type RecordSink, type ScannedAsset } from "../src/index.js";
import { startSimulatedTenant } from "../src/simulator/index.js";

/** A JSON-lines record sink on a file, respecting back-pressure, and how to close it. */
const jsonLinesFile = (path: string): { sink: RecordSink; close: () => Promise<void> } => {
  const out = createWriteStream(path);
  return {
    sink: {
      format: "json-lines-utf8", // batches of records already serialised, one per line, as UTF-8 bytes
      write: async (lines) => {
        if (!out.write(lines)) await once(out, "drain");
      },
    },
    close: async () => {
      out.end();
      await once(out, "finish");
    },
  };
};

const main = async (): Promise<number> => {
  const recordsPath = process.argv[2] ?? join(mkdtempSync(join(tmpdir(), "connector-task-")), "records.jsonl");
  const tenant = await startSimulatedTenant({ seed: 5, devices: 250 });
  try {
    // The connector's settings: the Defender probe on, new devices go to site "site-endpoints".
    const settings = {
      probes: {
        Defender365: {
          enabled: true,
          options: { siteId: "site-endpoints", includeInactive: true, apiBaseUrl: tenant.apiBaseUrl, authorityHost: tenant.authorityHost },
        },
      },
      credentials: [{ id: "azure-prod", MS365Defender: true, ...tenant.credential("azure-client-certificate") }],
    };
    // What the inventory already holds (in a real engine: from its database).
    const known: ScannedAsset[] = tenant
      .machines()
      .slice(0, 40)
      .map((m, i) => ({ id: `inv-${i}`, names: typeof m["computerDnsName"] === "string" ? [m["computerDnsName"]] : [] }));

    const plan = planProbeRuns(settings, defaultRegistry, "connector");
    if (plan._tag === "Left") {
      console.error(plan.left.message);
      return 2;
    }
    const env = createEnvironment({ extraCaPem: tenant.caPem });
    let exitCode = 0;
    for (const run of plan.right.runs) {
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once("SIGTERM", stop); // a scheduler stopping the task: the run ends with ERR_CANCELLED and keeps what it read
      const file = jsonLinesFile(recordsPath);
      try {
        const result = await run.start({ assets: known, signal: controller.signal, recordSink: file.sink }, env);
        const { byAsset: _byAsset, ...coverage } = result.summary.coverage;
        console.log(`records: ${result.summary.counts.matched + result.summary.counts.created} written to ${recordsPath}`);
        console.log(`summary: ${JSON.stringify({ ...result.summary, coverage })}`);
        // What a scheduler keeps for the next sync of this task: the device count, so that a slow API is asked
        // for no page past the end of the list (and, for an incremental sync, the cursor as lastSeenAfter).
        const next = { expectedDevices: result.summary.counts.fetched, cursor: result.summary.cursor };
        console.log(`next sync: ${JSON.stringify(next)}`);
      } catch (error) {
        if (!(error instanceof ProbeRunError)) throw error;
        console.error(`${error.code}: ${error.message} ${error.hint}`);
        // A partial run still delivered what it read to the sink; its summary says complete: false.
        exitCode = 1;
      } finally {
        await file.close();
        process.off("SIGTERM", stop);
      }
    }
    return exitCode;
  } finally {
    await tenant.close();
  }
};

process.exitCode = await main();
