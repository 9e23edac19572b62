/**
 * Shows that correlation cost grows linearly: builds N devices × N assets synthetically
 * (deterministic, seeded) and prints, for each N, the time and memory correlation takes.
 *
 *   node --max-old-space-size=18000 --expose-gc --import tsx scripts/correlate-scale.ts [--mode=incremental|oneshot|interner] [N …]
 *
 * (The Defender probe runs with Node's default young generation; `--max-semi-space-size=64`
 * trades memory for fewer scavenges and is worth comparing.)
 *
 * Default sizes: 10 000, 100 000, 1 000 000; each runs in a child process of its own, so that
 * its peak RSS is its own. Modes:
 * - `incremental` (default), as the Defender probe runs it: `createCorrelator(assets)`, then
 *   `addDevice` for each device of a page (pages of 10 000 devices, generated on the fly and
 *   dropped afterwards, as downloaded pages are), then `finish()`. Timed step by step.
 * - `oneshot`: every device in one array, then `correlate(devices, assets)` (parsing included).
 * - `interner`: the key interners alone, `Interner` against a `Map<string, number>`, on the
 *   keys of N rows (MACs, IPs, FQDNs, short names of both sides): interning every key once
 *   (`insert`), then once more (`repeat`, as device keys meet asset keys), and the heap each
 *   structure keeps (key strings excluded).
 *
 * Memory: `rss peak` is the process's peak resident set (inputs included); `heap peak` is the
 * largest JS heap seen between pages and before each collection during `finish` (incremental
 * only; typed arrays live outside the JS heap and count in `rss peak` only); `retained` is the
 * heap after `finish` and a full collection, result still held, minus the heap before
 * correlation began.
 *
 * The data mimics a Defender tenant and a scan: FQDNs and short names, Defender's bare
 * uppercase MACs against the scanner's colon spelling, loopback/link-local/ISATAP noise, a
 * Docker bridge on every Linux host, a VPN MAC on every laptop, re-imaged duplicates (same FQDN
 * and MAC), merged records, DHCP reuse, assets seen only by IP (remote subnets) and assets no
 * device explains.
 */
import { spawnSync } from "node:child_process";
import { PerformanceObserver } from "node:perf_hooks";
import { GCProfiler, getHeapStatistics } from "node:v8";
import { Interner } from "../src/correlate/interner.js";
import { correlate, createCorrelator, type AssetEvidence, type CorrelationResult, type SourceDevice } from "../src/correlate/index.js";

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

/** Row `i` of the data: one or two device records and one asset. Drawn in sequence from one PRNG, so rows must be read in order. */
function* rows(n: number): Generator<{ devices: SourceDevice[]; asset: AssetEvidence }> {
  const random = prng(n);
  for (let i = 0; i < n; i++) {
    const devices: SourceDevice[] = [];
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
    let asset: AssetEvidence;
    if (roll < 0.45) asset = { id: `asset-${i}`, macs: [colonMac(i)], addresses: [ipOf(i)], names: [name.toLowerCase()] };
    else if (roll < 0.7) asset = { id: `asset-${i}`, addresses: [ipOf(i)], names: [name.split(".")[0] ?? name] };
    else if (roll < 0.9) asset = { id: `asset-${i}`, addresses: [`::ffff:${ipOf(i)}`] };
    else asset = { id: `asset-${i}`, addresses: [`192.168.${(i >> 8) & 255}.${i & 255}`], macs: [`02:00:00:${hex(i, 6).replace(/(..)(?=.)/g, "$1:")}`] };
    yield { devices, asset };
  }
}

/** Devices per page in incremental mode (Defender's machines API pages hold up to 10 000). */
const PAGE = 10_000;

/** What one run measured (times in ms, memory in MiB). */
interface Measure {
  readonly n: number;
  readonly mode: string;
  readonly records: number;
  readonly create: number;
  readonly add: number;
  readonly finish: number;
  readonly total: number;
  readonly gc: number;
  readonly rssPeak: number;
  readonly heapPeak: number;
  /** Incremental only: peak RSS when the last device was added (before `finish`), the largest heap seen between pages, the largest before a collection during `finish`. */
  readonly rssBeforeFinish: number;
  readonly heapPeakAdding: number;
  readonly heapPeakFinish: number;
  readonly retained: number;
  readonly matched: number;
  readonly byRule: string;
}

const mib = (bytes: number) => Math.round(bytes / 2 ** 20);
const now = () => Number(process.hrtime.bigint()) / 1e6;
const settle = () => new Promise((resolve) => setImmediate(resolve)); // lets the gc observer count collections so far

/** Runs one size in this process. */
async function measure(n: number, mode: string): Promise<Measure> {
  const assets: AssetEvidence[] = [];
  const devices: SourceDevice[] = [];
  for (const row of rows(n)) {
    assets.push(row.asset);
    if (mode === "oneshot") devices.push(...row.devices);
  }
  globalThis.gc?.();
  await settle();
  const heapBefore = process.memoryUsage().heapUsed;
  let heapPeak = heapBefore;
  let rssBeforeFinish = 0;
  let heapPeakAdding = 0;
  let heapPeakFinish = 0;
  const gcBefore = gcMs;
  let create = 0;
  let add = 0;
  let finish: number;
  let records = devices.length;
  let result: CorrelationResult;
  let spent: unknown; // the correlator, held after finish so that "retained" shows what it still keeps
  if (mode === "oneshot") {
    const start = now();
    result = correlate(devices, assets);
    finish = now() - start;
  } else {
    let start = now();
    const correlator = createCorrelator(assets);
    create = now() - start;
    let page: SourceDevice[] = [];
    const feed = () => {
      const begin = now();
      for (const device of page) correlator.addDevice(device);
      add += now() - begin;
      records += page.length;
      page = [];
      heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    };
    for (const row of rows(n)) {
      page.push(...row.devices);
      if (page.length >= PAGE) feed();
    }
    feed();
    heapPeakAdding = heapPeak;
    rssBeforeFinish = process.resourceUsage().maxRSS * 1024;
    const profiler = new GCProfiler();
    profiler.start();
    start = now();
    result = correlator.finish();
    finish = now() - start;
    for (const event of profiler.stop()?.statistics ?? []) heapPeakFinish = Math.max(heapPeakFinish, event.beforeGC.heapStatistics.usedHeapSize);
    heapPeakFinish = Math.max(heapPeakFinish, process.memoryUsage().heapUsed);
    heapPeak = Math.max(heapPeak, heapPeakFinish);
    spent = correlator;
  }
  heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  await settle();
  const gc = gcMs - gcBefore;
  globalThis.gc?.();
  const retained = process.memoryUsage().heapUsed - heapBefore;
  if (spent === result) throw new Error("unreachable"); // keeps `spent` alive until measured
  return {
    n,
    mode,
    records,
    create,
    add,
    finish,
    total: create + add + finish,
    gc,
    rssPeak: mib(process.resourceUsage().maxRSS * 1024),
    heapPeak: mib(heapPeak),
    rssBeforeFinish: mib(rssBeforeFinish),
    heapPeakAdding: mib(heapPeakAdding),
    heapPeakFinish: mib(heapPeakFinish),
    retained: mib(retained),
    matched: result.summary.matchedAssets,
    byRule: JSON.stringify(result.summary.byRule),
  };
}

/** What `--mode=interner` measured for one structure (times in ms, memory in MiB). */
interface InternerMeasure {
  readonly structure: string;
  readonly keys: number;
  readonly distinct: number;
  readonly insert: number;
  readonly repeat: number;
  readonly retained: number;
}

/** The canonical keys of the first `n` rows, by kind, each string built afresh (so that no engine-cached hash carries over between structures). */
function keysOf(n: number): string[][] {
  const macs: string[] = [];
  const ips: string[] = [];
  const fqdns: string[] = [];
  const shorts: string[] = [];
  for (let i = 0; i < n; i++) {
    macs.push(colonMac(i), `02:00:00:${hex(i, 6).replace(/(..)(?=.)/g, "$1:")}`);
    ips.push(ipOf(i), `fe80::${hex(i & 0xffff, 4)}:1`, `192.168.${(i >> 8) & 255}.${i & 255}`);
    fqdns.push(`host-${i}.corp.example`);
    shorts.push(`host-${i}`);
  }
  return [macs, ips, fqdns, shorts];
}

/** Interns the keys of `n` rows into one table per kind, made by `make`; times the first and second pass. */
async function measureInterner(n: number, structure: string): Promise<InternerMeasure> {
  const kinds = keysOf(n);
  const repeats = keysOf(n);
  globalThis.gc?.();
  await settle();
  let insert = 0;
  let repeat = 0;
  let distinct = 0;
  const tables: unknown[] = [];
  for (let k = 0; k < kinds.length; k++) {
    const first = kinds[k] ?? [];
    const second = repeats[k] ?? [];
    let checksum = 0;
    if (structure === "map") {
      const idOf = new Map<string, number>();
      const keys: string[] = [];
      const intern = (key: string): number => {
        let id = idOf.get(key);
        if (id === undefined) {
          id = keys.length;
          keys.push(key);
          idOf.set(key, id);
        }
        return id;
      };
      let start = now();
      for (const key of first) checksum += intern(key);
      insert += now() - start;
      start = now();
      for (const key of second) checksum -= intern(key);
      repeat += now() - start;
      distinct += keys.length;
      tables.push(idOf, keys);
    } else {
      const interner = new Interner();
      let start = now();
      for (const key of first) checksum += interner.intern(key);
      insert += now() - start;
      start = now();
      for (const key of second) checksum -= interner.intern(key);
      repeat += now() - start;
      distinct += interner.size;
      tables.push(interner);
    }
    if (checksum !== 0) throw new Error(`${structure}: a repeated key got another id`);
  }
  const heap = () => {
    globalThis.gc?.();
    return process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  };
  const withTables = heap();
  tables.length = 0;
  const retained = withTables - heap();
  if (kinds.length + repeats.length === 0) throw new Error("unreachable"); // keeps the key strings alive until measured
  return { structure, keys: kinds.reduce((sum, k) => sum + k.length, 0), distinct, insert, repeat, retained: mib(retained) };
}

const args = process.argv.slice(2);
const mode = args.find((a) => a.startsWith("--mode="))?.slice(7) ?? "incremental";
if (mode !== "incremental" && mode !== "oneshot" && mode !== "interner") throw new Error(`--mode: incremental, oneshot or interner, not ${mode}`);
const sizes = args.map(Number).filter((x) => Number.isInteger(x) && x > 0);
const plan = sizes.length > 0 ? sizes : [10_000, 100_000, 1_000_000];

/** Runs `args` in a child process of this script; returns the last line it printed, parsed. */
function child<T>(childArgs: string[]): T {
  const run = spawnSync(process.execPath, [...process.execArgv, process.argv[1] ?? "", "--child", ...childArgs], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const out = JSON.parse(run.stdout.trim().split("\n").pop() ?? "null") as T | null;
  if (out === null) throw new Error(`${childArgs.join(" ")}: the child printed nothing (status ${run.status})`);
  return out;
}

const ms = (x: number) => `${x.toFixed(0).padStart(6)} ms`;
const us = (total: number, count: number) => `${((total * 1000) / Math.max(count, 1)).toFixed(2).padStart(6)} µs`;

if (args.includes("--child")) {
  const structure = args.find((a) => a.startsWith("--structure="))?.slice(12) ?? "interner";
  const n = sizes[0] ?? 10_000;
  console.log(JSON.stringify(mode === "interner" ? await measureInterner(n, structure) : await measure(n, mode)));
} else if (mode === "interner") {
  console.log(`node ${process.version}, mode interner: the keys of N rows, interned twice`);
  console.log("        N | structure | keys     | distinct | insert    | per key   | repeat    | per key   | retained");
  for (const n of plan) {
    for (const structure of ["map", "interner"]) {
      const m = child<InternerMeasure>([`--mode=${mode}`, `--structure=${structure}`, String(n)]);
      console.log(
        `${String(n).padStart(9)} | ${structure.padEnd(9)} | ${String(m.keys).padStart(8)} | ${String(m.distinct).padStart(8)} | ${ms(m.insert)} | ${us(m.insert, m.keys)} | ${ms(m.repeat)} | ${us(m.repeat, m.keys)} | ${String(m.retained).padStart(5)} MiB`,
      );
    }
  }
} else {
  console.log(`node ${process.version}, heap limit ${mib(getHeapStatistics().heap_size_limit)} MiB, mode ${mode}`);
  console.log("N devices × N assets | records | create | addDevice | per record | finish | total | of which GC | rss peak | heap peak | retained | matched");
  for (const n of plan) {
    const m = child<Measure>([`--mode=${mode}`, String(n)]);
    console.log(
      `${String(n).padStart(9)} × ${String(n).padEnd(9)} | ${String(m.records).padStart(7)} | ${ms(m.create)} | ${ms(m.add)} | ${us(m.add, m.records)} | ${ms(m.finish)} | ${ms(m.total)} | ${ms(m.gc)} | ${String(m.rssPeak).padStart(5)} MiB | ${String(m.heapPeak).padStart(5)} MiB | ${String(m.retained).padStart(5)} MiB | ${m.matched}`,
    );
    console.log(`    by rule ${m.byRule}`);
    if (mode === "incremental")
      console.log(`    before finish: rss peak ${m.rssBeforeFinish} MiB, heap peak ${m.heapPeakAdding} MiB; during finish: heap peak ${m.heapPeakFinish} MiB`);
  }
}
