/**
 * The library API from the consumer: one scan task enabling Defender (against a simulated
 * tenant) and Acme (against the server the config file names), planned and started; then
 * `checkProbe` on both. Prints one JSON object.
 *
 * `node dist/library.js config.json` where the config is `{ acmeBaseUrl, acmeCaPem, apiKey }`.
 */
import { readFileSync } from "node:fs";
import { CredentialCodec, createEnvironment, createRegistry, defender365, planProbeRuns, runCoverage, type ScannedAsset } from "scan-probes";
import { checkProbe } from "scan-probes/sdk";
import { generateTenant, startSimulatedTenant } from "scan-probes/simulator";
import { acme } from "./acme.js";

interface Config {
  readonly acmeBaseUrl: string;
  readonly acmeCaPem: string;
  readonly apiKey: string;
  readonly acmeAssets: readonly ScannedAsset[];
}

const config = JSON.parse(readFileSync(process.argv[2] ?? "config.json", "utf8")) as Config;
const tenant = await startSimulatedTenant({ devices: 20, seed: 7 });
try {
  const env = createEnvironment({ extraCaPem: [tenant.caPem, config.acmeCaPem], proxy: () => undefined });
  const registry = createRegistry([defender365, acme]);
  const settings = {
    siteId: "hq",
    probes: { Defender365: { enabled: true }, Acme: { enabled: true, options: { apiBaseUrl: config.acmeBaseUrl } } },
    credentials: [
      { id: "azure", ...tenant.credential(), MS365Defender: true },
      { id: "acme-prod", kind: "acme-api-key", apiKey: config.apiKey, AcmeEdr: true },
    ],
  };
  const plan = planProbeRuns(settings, registry, "probe");
  if (plan._tag === "Left") throw new Error(plan.left.message);
  const defenderAssets = generateTenant({ seed: 7, devices: 20, assets: true }).assets as ScannedAsset[];
  const runs = [];
  for (const run of plan.right.runs) {
    const assets = run.probe.id === "acme" ? config.acmeAssets : defenderAssets;
    const result = await run.start({ assets }, env);
    const coverage = runCoverage(result.summary);
    runs.push({
      probe: result.summary.probe,
      credentialId: result.summary.credentialId,
      complete: result.summary.complete,
      control: result.summary.control,
      records: result.records.length,
      assets: assets.length,
      verdicts: Object.keys(coverage.byAsset).length,
    });
  }

  const azure = CredentialCodec.decode(tenant.credential());
  if (azure._tag === "Left") throw new Error("the simulated tenant's credential does not decode");
  const problems = {
    defender365: await checkProbe(defender365, { credential: azure.right, env }),
    acme: await checkProbe(acme, { credential: { kind: "acme-api-key", apiKey: "unused" }, env }),
  };
  process.stdout.write(JSON.stringify({ runs, problems }));
} finally {
  await tenant.close();
}
