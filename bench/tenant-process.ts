/**
 * The simulated tenant in a process of its own, so that the measured client's peak RSS
 * and CPU are its own. Started by `main.ts`:
 *
 *   node --import tsx bench/tenant-process.ts --devices N --seed S --service-ms-per-device X
 *
 * Prints one JSON line when ready: `{ origin, tenantId, caPem, credential }`. Then reads
 * commands, one a line, on stdin and answers each with one JSON line on stdout:
 * `reset` (zero the counters; answers `{}`), `stats` (the counters, without the request
 * log, plus this process's CPU time and peak RSS) and `log` (`{ paths }`: path and query of
 * each API call answered 200 since the reset, in order: the floor replays them). Closes the tenant and exits when stdin
 * closes. The rate limiter is off: the bench measures the client, not the quota. The page
 * cache is on: a list page is rendered once (the bench's unmeasured first probe run renders
 * them) and then sent from memory, so that the tenant's CPU stays off the measured runs.
 */
import { createInterface } from "node:readline";
import { startSimulatedTenant } from "../src/simulator/index.js";
import { flagValue } from "./common.js";

/** Counters the parent reads around each measured run. */
export interface TenantStats {
  readonly tokenRequests: number;
  readonly tokensIssued: number;
  readonly metadataRequests: number;
  readonly apiRequests: number;
  readonly throttled: number;
  readonly byStatus: Record<string, number>;
  readonly machinesServed: number;
  /** List pages rendered from the device list, and sent from the page cache. */
  readonly listPagesRendered: number;
  readonly listPagesFromCache: number;
  readonly maxConcurrentApiRequests: number;
  /** CPU time of the tenant process since the last `reset`, ms. */
  readonly cpuMs: number;
  /** Peak RSS of the tenant process, KiB. */
  readonly peakRssKb: number;
}

const argv = process.argv.slice(2);
const number = (flag: string, fallback: number): number => {
  const raw = flagValue(argv, flag);
  return raw === undefined ? fallback : Number(raw);
};

const tenant = await startSimulatedTenant({
  seed: number("--seed", 1),
  devices: number("--devices", 1000),
  serviceMsPerDevice: number("--service-ms-per-device", 0),
  rateLimit: false,
  requestLogLimit: 1000,
  pageCache: true,
});
let cpuAtReset = process.cpuUsage();

process.stdout.write(
  `${JSON.stringify({ origin: tenant.origin, tenantId: tenant.tenantId, caPem: tenant.caPem, credential: tenant.credential("azure-client-secret") })}\n`,
);

const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  const command = line.trim();
  if (command === "reset") {
    tenant.resetStats();
    cpuAtReset = process.cpuUsage();
    process.stdout.write("{}\n");
  } else if (command === "stats") {
    const s = tenant.stats;
    const cpu = process.cpuUsage(cpuAtReset);
    const stats: TenantStats = {
      tokenRequests: s.tokenRequests,
      tokensIssued: s.tokensIssued,
      metadataRequests: s.metadataRequests,
      apiRequests: s.apiRequests,
      throttled: s.throttled,
      byStatus: { ...s.byStatus },
      machinesServed: s.machinesServed,
      listPagesRendered: s.listPagesRendered,
      listPagesFromCache: s.listPagesFromCache,
      maxConcurrentApiRequests: s.maxConcurrentApiRequests,
      cpuMs: (cpu.user + cpu.system) / 1000,
      peakRssKb: process.resourceUsage().maxRSS,
    };
    process.stdout.write(`${JSON.stringify(stats)}\n`);
  } else if (command === "log") {
    // The machine-list calls answered 200 since the last reset, path and query as sent: the floor replays them.
    const paths = tenant.stats.requestLog.filter((e) => e.path.startsWith("/api/") && e.status === 200).map((e) => e.path);
    process.stdout.write(`${JSON.stringify({ paths, dropped: tenant.stats.requestLogDropped })}\n`);
  } else {
    process.stdout.write(`${JSON.stringify({ error: `unknown command ${JSON.stringify(command)}` })}\n`);
  }
});
lines.on("close", () => {
  void tenant.close().then(() => process.exit(0));
});
