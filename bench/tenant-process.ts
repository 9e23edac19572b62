/**
 * The simulated service in a process of its own, so that the measured client's peak RSS
 * and CPU are its own: the Microsoft tenant, or with `--probe crowdstrike` the Falcon cloud.
 * Started by `main.ts`:
 *
 *   node --import tsx bench/tenant-process.ts --devices N --seed S --service-ms-per-device X [--probe crowdstrike --page-size P]
 *
 * Prints one JSON line when ready: `{ origin, tenantId, caPem, credential }`. Then reads
 * commands, one a line, on stdin and answers each with one JSON line on stdout:
 * `reset` (zero the counters; answers `{}`), `stats` (the counters, without the request
 * log, plus this process's CPU time and peak RSS) and `log` (`{ paths }`: path and query of
 * each API call answered 200 since the reset, in order: the floor replays them). Closes the tenant and exits when stdin
 * closes. The rate limiter is off: the bench measures the client, not the quota. The page
 * cache is on: a list page is rendered once (the bench's unmeasured first probe run renders
 * them) and then sent from memory, so that the tenant's CPU stays off the measured runs. The
 * Falcon cloud renders its combined pages of `--page-size` hosts before it says it is ready
 * (it has no request log: the floor follows `next` itself; it has no service delay).
 */
import { createInterface } from "node:readline";
import { startSimulatedFalcon, startSimulatedTenant } from "../src/simulator/index.js";
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

/** A simulated service as the bench drives it. */
interface BenchService {
  /** What the parent reads when the service is ready. */
  readonly ready: { origin: string; tenantId: string; caPem: string; credential: Record<string, string> };
  resetStats(): void;
  /** The counters, without CPU and RSS. */
  stats(): Omit<TenantStats, "cpuMs" | "peakRssKb">;
  /** Path and query of each list call answered 200 since the reset (empty when the service keeps no log). */
  log(): { paths: string[]; dropped: number };
  close(): Promise<void>;
}

const argv = process.argv.slice(2);
const number = (flag: string, fallback: number): number => {
  const raw = flagValue(argv, flag);
  return raw === undefined ? fallback : Number(raw);
};

const microsoftTenant = async (): Promise<BenchService> => {
  const tenant = await startSimulatedTenant({
    seed: number("--seed", 1),
    devices: number("--devices", 1000),
    serviceMsPerDevice: number("--service-ms-per-device", 0),
    rateLimit: false,
    requestLogLimit: 1000,
    pageCache: true,
  });
  return {
    ready: { origin: tenant.origin, tenantId: tenant.tenantId, caPem: tenant.caPem, credential: tenant.credential("azure-client-secret") },
    resetStats: () => tenant.resetStats(),
    stats: () => {
      const s = tenant.stats;
      return {
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
      };
    },
    // The machine-list calls answered 200 since the last reset, path and query as sent: the floor replays them.
    log: () => ({
      paths: tenant.stats.requestLog.filter((e) => e.path.startsWith("/api/") && e.status === 200).map((e) => e.path),
      dropped: tenant.stats.requestLogDropped,
    }),
    close: () => tenant.close(),
  };
};

const TOKEN_ENDPOINT = "POST /oauth2/token";

const falconCloud = async (): Promise<BenchService> => {
  const falcon = await startSimulatedFalcon({ seed: number("--seed", 1), hosts: number("--devices", 1000), knobs: { rateLimit: false } });
  falcon.prerenderCombined(number("--page-size", 10_000));
  return {
    ready: { origin: falcon.apiBaseUrl, tenantId: falcon.cid, caPem: falcon.caPem, credential: falcon.credential() },
    resetStats: () => falcon.resetStats(),
    stats: () => {
      const s = falcon.stats;
      const requests = Object.values(s.byEndpoint).reduce((sum, n) => sum + n, 0);
      const tokenRequests = s.byEndpoint[TOKEN_ENDPOINT] ?? 0;
      return {
        tokenRequests,
        tokensIssued: s.tokensIssued,
        metadataRequests: 0,
        apiRequests: requests - tokenRequests,
        throttled: s.throttled,
        byStatus: { ...s.byStatus },
        machinesServed: s.hostsServed,
        listPagesRendered: s.pagesRendered,
        listPagesFromCache: s.pagesFromCache,
        maxConcurrentApiRequests: 0,
      };
    },
    log: () => ({ paths: [], dropped: 0 }),
    close: () => falcon.close(),
  };
};

const service = flagValue(argv, "--probe") === "crowdstrike" ? await falconCloud() : await microsoftTenant();
let cpuAtReset = process.cpuUsage();

process.stdout.write(`${JSON.stringify(service.ready)}\n`);

const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  const command = line.trim();
  if (command === "reset") {
    service.resetStats();
    cpuAtReset = process.cpuUsage();
    process.stdout.write("{}\n");
  } else if (command === "stats") {
    const cpu = process.cpuUsage(cpuAtReset);
    const stats: TenantStats = { ...service.stats(), cpuMs: (cpu.user + cpu.system) / 1000, peakRssKb: process.resourceUsage().maxRSS };
    process.stdout.write(`${JSON.stringify(stats)}\n`);
  } else if (command === "log") {
    process.stdout.write(`${JSON.stringify(service.log())}\n`);
  } else {
    process.stdout.write(`${JSON.stringify({ error: `unknown command ${JSON.stringify(command)}` })}\n`);
  }
});
lines.on("close", () => {
  void service.close().then(() => process.exit(0));
});
