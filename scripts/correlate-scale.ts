/**
 * Shows that correlation cost grows linearly: builds N devices × N assets synthetically
 * (deterministic, seeded) and prints the time `correlate` takes for each N.
 *
 *   node --max-old-space-size=18000 --max-semi-space-size=64 --expose-gc --import tsx scripts/correlate-scale.ts [N …]
 *
 * Default sizes: 10 000, 100 000, 1 000 000. The data mimics a Defender tenant and a scan:
 * FQDNs and short names, Defender's bare uppercase MACs against the scanner's colon spelling,
 * loopback/link-local/ISATAP noise, a Docker bridge on every Linux host, a VPN MAC on every
 * laptop, re-imaged duplicates (same FQDN and MAC), merged records, DHCP reuse, assets seen
 * only by IP (remote subnets) and assets no device explains.
 */
import { PerformanceObserver } from "node:perf_hooks";
import { getHeapStatistics } from "node:v8";
import { correlate, type AssetEvidence, type SourceDevice } from "../src/correlate/index.js";

/** Total garbage-collection pause time (ms) seen since start. */
let gcMs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMs += entry.duration;
}).observe({ entryTypes: ["gc"] });

/** mulberry32: a small deterministic PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");
const macOf = (i: number) => `00155D${hex(i, 6)}`.toUpperCase(); // Defender spelling
const colonMac = (i: number) => `00:15:5d:${hex(i, 6).replace(/(..)(?=.)/g, "$1:")}`; // scanner spelling
const ipOf = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

/** N devices and N assets. */
function build(n: number): { devices: SourceDevice[]; assets: AssetEvidence[] } {
  const random = prng(n);
  const devices: SourceDevice[] = [];
  const assets: AssetEvidence[] = [];
  for (let i = 0; i < n; i++) {
    const linux = random() < 0.3;
    const laptop = !linux && random() < 0.5;
    const name = random() < 0.8 ? `host-${i}.corp.example` : `HOST-${i}`;
    const dhcpReuse = random() < 0.02 ? i + 1 : i; // takes the next device's address
    const macs = [macOf(i), "00000000000000E0", ...(laptop ? ["00FF7A3B9C01"] : []), ...(random() < 0.1 ? ["000000000000"] : [])];
    const addresses = [ipOf(dhcpReuse), `fe80::${hex(i & 0xffff, 4)}:1`, "127.0.0.1", "::1", ...(linux ? ["172.17.0.1"] : ["fe80::5efe:10.15.0.9"])];
    const duplicate = random() < 0.02;
    devices.push({
      id: `dev-${i}`,
      names: [name],
      macs,
      addresses,
      lastSeen: new Date(Date.UTC(2025, 5, 1) - Math.floor(random() * 30) * 86_400_000).toISOString(),
      mergedIntoId: null,
      potentialDuplicate: false,
    });
    if (duplicate) {
      devices.push({
        id: `dev-${i}-old`,
        names: [name],
        macs: [macOf(i)],
        addresses: [ipOf(i + 7)],
        lastSeen: "2024-12-01T00:00:00Z",
        mergedIntoId: random() < 0.5 ? `dev-${i}` : null,
        potentialDuplicate: true,
      });
    }
    const roll = random();
    if (roll < 0.45) assets.push({ id: `asset-${i}`, macs: [colonMac(i)], addresses: [ipOf(i)], names: [name.toLowerCase()] });
    else if (roll < 0.7) assets.push({ id: `asset-${i}`, addresses: [ipOf(i)], names: [name.split(".")[0] ?? name] });
    else if (roll < 0.9) assets.push({ id: `asset-${i}`, addresses: [`::ffff:${ipOf(i)}`] });
    else assets.push({ id: `asset-${i}`, addresses: [`192.168.${(i >> 8) & 255}.${i & 255}`], macs: [`02:00:00:${hex(i, 6).replace(/(..)(?=.)/g, "$1:")}`] });
  }
  return { devices, assets };
}

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((x) => Number.isInteger(x) && x > 0);
const plan = sizes.length > 0 ? sizes : [10_000, 100_000, 1_000_000];

console.log(`node ${process.version}, heap limit ${Math.round(getHeapStatistics().heap_size_limit / 2 ** 20)} MiB`);
console.log("N devices × N assets | records | correlate | of which GC | per 1k assets | matched | heap after");
for (const n of plan) {
  const { devices, assets } = build(n);
  globalThis.gc?.();
  await new Promise((resolve) => setImmediate(resolve)); // let the observer count that collection first
  const gcBefore = gcMs;
  const start = process.hrtime.bigint();
  const result = correlate(devices, assets);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  await new Promise((resolve) => setImmediate(resolve));
  const gc = gcMs - gcBefore;
  const heap = Math.round(process.memoryUsage().heapUsed / 2 ** 20);
  console.log(
    `${String(n).padStart(9)} × ${String(n).padEnd(9)} | ${String(devices.length).padStart(7)} | ${ms.toFixed(0).padStart(7)} ms | ${gc.toFixed(0).padStart(7)} ms | ${(ms / (n / 1000)).toFixed(2).padStart(6)} ms | ${String(result.summary.matchedAssets).padStart(7)} | ${heap} MiB`,
  );
  console.log(
    `    by rule ${JSON.stringify(result.summary.byRule)}; unmatched assets ${JSON.stringify(Object.fromEntries(Object.entries(result.summary.unmatchedAssets).filter(([, v]) => v > 0)))}`,
  );
}
