/** The CLI's help texts: one overview, and one per command with its flags and examples. */
import type { Registry } from "../engine/registry.js";

/** The ids of the registry's probes, for help and errors: `defender365, acme`. */
export const probeIds = (registry: Registry): string =>
  registry
    .list()
    .map((p) => p.id)
    .join(", ");

const FOOTER = `Exit codes: 0 complete, 1 failed or partial (what was read is still written), 2 bad input (nothing was sent).
Debug logs: DEBUG=scan-probes:* (never contains secrets or tokens). Proxy: HTTPS_PROXY / NO_PROXY. Extra CA: NODE_EXTRA_CA_CERTS.`;

/** The overview, for `scan-probe`, `scan-probe help` and usage errors; it lists the registry's probes. */
export const usage = (registry: Registry): string => `Usage:
  scan-probe run <probe> --credential FILE [--options FILE|JSON] [--assets FILE]
                         [--mode connector|probe] [--site ID] [--out FILE] [--summary FILE]
  scan-probe run --task FILE [--assets FILE] [--mode connector|probe] [--out FILE] [--summary FILE]
  scan-probe verify <probe> --credential FILE [--options FILE|JSON]
  scan-probe report --records FILE --summary FILE [--assets FILE] [--out report.html]
  scan-probe list
  scan-probe demo [--devices N]

Probes: ${probeIds(registry)}. Help on one command: scan-probe <command> --help

Examples:
  scan-probe demo
  scan-probe verify crowdstrike --credential falcon.json
  scan-probe run defender365 --credential azure.json --assets scan.jsonl --mode probe --out records.jsonl --summary summary.json
  scan-probe run --task task.json --assets scan.jsonl --mode probe --out records.jsonl --summary combined.json

${FOOTER}`;

/** An example task file for the help: Defender on the clients, Falcon on the servers, one scan. */
const TASK_EXAMPLE = `    { "siteId": "hq",
      "probes": { "Defender365": { "enabled": true, "options": { "includeInactive": false } },
                  "CrowdStrike": { "enabled": true, "options": { "cloud": "auto" } } },
      "credentials": [
        { "id": "entra-prod", "kind": "azure-client-secret", "MS365Defender": true,
          "tenantId": "…", "clientId": "…", "clientSecret": "…" },
        { "id": "falcon-prod", "kind": "crowdstrike-api-client", "CrowdStrike": true,
          "clientId": "…", "clientSecret": "…" } ] }`;

/** Help for each command. */
export const COMMAND_HELP: Readonly<Record<string, string>> = {
  run: `scan-probe run <probe> — read the source's devices and write enrichment records
scan-probe run --task FILE — run every probe a scan task enables, with each credential it enables, and combine their coverage

  --credential FILE     the credential JSON (its kind, then the kind's fields: see scan-probe list and the README),
                        or env: for the probe's variables (defender365: AZURE_TENANT_ID, AZURE_CLIENT_ID and
                        AZURE_CLIENT_SECRET, _CERTIFICATE_PATH or AZURE_FEDERATED_TOKEN_FILE; crowdstrike: FALCON_CLIENT_ID
                        and FALCON_CLIENT_SECRET)
  --options FILE|JSON   probe options, a file or inline JSON starting with { (see: scan-probe list)
  --assets FILE         the scan's assets: a JSON array or JSON lines of {id, addresses?, macs?, names?, os?}
  --mode MODE           connector (default: a scheduled sync) or probe (inside a scan)
  --site ID             the scan's site in probe mode (new assets go there)
  --out FILE            records as JSON lines (default: stdout)
  --summary FILE        the run summary as JSON (counts, coverage per asset, errors)
  --task FILE           instead of <probe>, --credential, --options and --site: a scan task's settings (siteId, probes
                        with their toggles and options, credentials inline with their kind and toggles). Every planned
                        run runs at once; every run's records go to --out (each record names its probe in "source" and
                        its run in "runId"); --summary gets { complete, runs: [each run's summary], coverage: { edr:
                        { protected, unhealthy, missing, unknown, byAsset, vendorsByAsset } } }. Per asset: protected
                        if any run says so, else unhealthy if any run says so, else missing only when every run was
                        complete and says so, else unknown (a failed run never makes an asset missing). Exit 0 only
                        when every run was complete. The file holds secrets: keep it private; no value of a credential
                        other than its id and kind is ever printed. Example task file:
${TASK_EXAMPLE}

Examples:
  scan-probe run defender365 --credential azure.json --assets scan.jsonl --mode probe --site hq --out records.jsonl --summary summary.json
  scan-probe run defender365 --credential azure.json --options '{"cloud":"gcc-high","includeInactive":true}' > records.jsonl
  scan-probe run defender365 --credential azure.json --options '{"lastSeenAfter":"2025-06-01T00:00:00Z"}'   # incremental
  scan-probe run crowdstrike --credential falcon.json --assets scan.jsonl --mode probe --out records.jsonl --summary summary.json
  scan-probe run --task task.json --assets scan.jsonl --mode probe --out records.jsonl --summary combined.json

${FOOTER}`,
  verify: `scan-probe verify <probe> — check a credential step by step (defender365: sign-in, roles in the token, one API
call; crowdstrike: sign-in and the cloud reached, the Hosts: Read scope, one page)

  --credential FILE     the credential JSON, or env: for the probe's variables (AZURE_* or FALCON_*)
  --options FILE|JSON   probe options (defender365: cloud, apiBaseUrl, authorityHost, scope; crowdstrike: cloud, apiBaseUrl)

Examples:
  scan-probe verify defender365 --credential azure.json
  scan-probe verify defender365 --credential azure.json --options '{"cloud":"gcc-high"}'
  scan-probe verify crowdstrike --credential falcon.json --options '{"cloud":"us-gov-1"}'

Exit 0 when the probe would work; 1 with what is wrong and how to fix it; 2 for bad input.`,
  report: `scan-probe report — one self-contained HTML page of a run's coverage (or a task's, across its probes)

  --records FILE        the run's records (JSON lines, from run --out; with --task, every run's)
  --summary FILE        the run's summary (from run --summary), or a task's combined summary (from run --task --summary):
                        then the page shows the combined verdict and the vendor(s) per asset first, then each run
  --assets FILE         the scan's assets (names and addresses of assets the source does not know)
  --out FILE            the page (default report.html; - for stdout)

Example:
  scan-probe report --records records.jsonl --summary summary.json --assets scan.jsonl --out coverage.html`,
  list: `scan-probe list — the probes, the credential kinds they accept, and their options with defaults`,
  demo: `scan-probe demo — start a simulated Microsoft tenant and a simulated CrowdStrike Falcon cloud on 127.0.0.1 over one
scanned network, and run both probes as one scan task (as run --task does): which assets miss EDR, and which only
Falcon protects

  --devices N           Defender devices in the simulated tenant (default 2000, at most 1000000); the Falcon hosts
                        follow from the scanned network

Example:
  scan-probe demo --devices 25000`,
};
