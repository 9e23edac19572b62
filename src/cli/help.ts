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
  scan-probe verify <probe> --credential FILE [--options FILE|JSON]
  scan-probe report --records FILE --summary FILE [--assets FILE] [--out report.html]
  scan-probe list
  scan-probe demo [--devices N]

Probes: ${probeIds(registry)}. Help on one command: scan-probe <command> --help

Examples:
  scan-probe demo
  scan-probe verify defender365 --credential azure.json
  scan-probe run defender365 --credential azure.json --assets scan.jsonl --mode probe --out records.jsonl --summary summary.json

${FOOTER}`;

/** Help for each command. */
export const COMMAND_HELP: Readonly<Record<string, string>> = {
  run: `scan-probe run <probe> — read the source's devices and write enrichment records

  --credential FILE     the credential JSON (kind, tenantId, clientId, clientSecret | certificate + privateKey | …),
                        or env: for the AZURE_* variables (AZURE_CLIENT_SECRET, _CERTIFICATE_PATH or AZURE_FEDERATED_TOKEN_FILE)
  --options FILE|JSON   probe options, a file or inline JSON starting with { (see: scan-probe list)
  --assets FILE         the scan's assets: a JSON array or JSON lines of {id, addresses?, macs?, names?, os?}
  --mode MODE           connector (default: a scheduled sync) or probe (inside a scan)
  --site ID             the scan's site in probe mode (new assets go there)
  --out FILE            records as JSON lines (default: stdout)
  --summary FILE        the run summary as JSON (counts, coverage per asset, errors)

Examples:
  scan-probe run defender365 --credential azure.json --assets scan.jsonl --mode probe --site hq --out records.jsonl --summary summary.json
  scan-probe run defender365 --credential azure.json --options '{"cloud":"gcc-high","includeInactive":true}' > records.jsonl
  scan-probe run defender365 --credential azure.json --options '{"lastSeenAfter":"2025-06-01T00:00:00Z"}'   # incremental

${FOOTER}`,
  verify: `scan-probe verify <probe> — check a credential step by step (defender365: sign-in, roles in the token, one API call)

  --credential FILE     the credential JSON, or env: for the AZURE_* variables
  --options FILE|JSON   probe options (defender365: cloud, apiBaseUrl, authorityHost, scope)

Examples:
  scan-probe verify defender365 --credential azure.json
  scan-probe verify defender365 --credential azure.json --options '{"cloud":"gcc-high"}'

Exit 0 when the probe would work; 1 with what is wrong and how to fix it; 2 for bad input.`,
  report: `scan-probe report — one self-contained HTML page of a run's coverage (defender365: EDR)

  --records FILE        the run's records (JSON lines, from run --out)
  --summary FILE        the run's summary (from run --summary)
  --assets FILE         the scan's assets (names and addresses of assets the source does not know)
  --out FILE            the page (default report.html; - for stdout)

Example:
  scan-probe report --records records.jsonl --summary summary.json --assets scan.jsonl --out coverage.html`,
  list: `scan-probe list — the probes, the credential kinds they accept, and their options with defaults`,
  demo: `scan-probe demo — start a simulated Microsoft tenant on 127.0.0.1 and run the Defender365 probe in a scan of it

  --devices N           Defender devices in the simulated tenant (default 2000, at most 1000000)

Example:
  scan-probe demo --devices 25000`,
};
