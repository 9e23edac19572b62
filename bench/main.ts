/**
 * `npm run bench`: the Defender365 probe end to end against the simulated tenant (or with
 * `--probe crowdstrike` the CrowdStrike probe against the simulated Falcon cloud), next to
 * the floor (node's own https and `JSON.parse` of the same pages, plain JavaScript), in the
 * same run, alternating.
 *
 *   npm run bench -- [--devices N] [--assets N] [--rounds R] [--service-ms-per-device X]
 *                    [--page-size P] [--seed S] [--out FILE] [--scale | --sizes N,N,…]
 *                    [--profile] [--node-options "…"] [--compare DIR] [--scheduled]
 *                    [--probe defender365|crowdstrike]
 *
 * Three kinds of process, so that each measured peak RSS is that side's alone: the tenant
 * (`tenant-process.ts`, started once per size, its page cache on), and one child per
 * measured run: the probe from its tsc output (`run-probe.ts`, compiled once per bench run)
 * and the floor (`floor.mjs`), neither under a TypeScript loader. Before the rounds of a
 * size, one unmeasured probe run renders the tenant's pages, so that the measured runs read
 * pre-rendered pages and the tenant's CPU stays off the client's cores. Rounds alternate
 * probe-first and floor-first. `--compare DIR` adds, in every round, the probe of another
 * checkout (its own `src/`, compiled the same way) against the same tenant, so that two
 * versions are compared round by round. Prints one table per size (case, probe, floor,
 * ratio by wall and by client CPU, peak RSS, calls) and writes every raw round, the settings
 * and the machine to a JSON file (default `bench-results/<timestamp>.json`). See
 * docs/benchmark.md.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { once } from "node:events";
import { copyFileSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join, resolve } from "node:path";
import { createInterface, type Interface } from "node:readline";
import { generateFalconHosts, generateTenant, type ScannedAssetJson } from "../src/simulator/index.js";
import { BENCH_PROBES, median, type BenchProbe, type SideReport, type Session } from "./common.js";
import { formatProfile, summarizeProfile, type CpuProfile, type ProfileSummary } from "./profile-summary.js";
import type { TenantStats } from "./tenant-process.js";

const ROOT = resolve(import.meta.dirname, "..");
const SCALE_SIZES = [10_000, 100_000, 1_000_000];
/** The probe's client-side pacing in the bench (run-probe.ts), stated in the output. */
const CLIENT_PACING = "rateLimits [{ calls: 1e9, ms: 60000 }] (Defender's 100/min pacing is out of the way)";
/** What the floor is, stated in the output and the result file. */
const FLOOR = "bench/floor.mjs: node:https (keep-alive Agent), JSON.parse, plain JavaScript, the probe's calls one after another";

/** The bench's settings, after defaults. */
interface Settings {
  readonly sizes: readonly number[];
  /** Assets per size; null = as many as devices. */
  readonly assets: number | null;
  readonly rounds: number;
  readonly serviceMsPerDevice: number;
  readonly pageSize: number;
  readonly seed: number;
  readonly out: string;
  readonly profile: boolean;
  /** Extra node flags for the measured children (e.g. `--max-old-space-size=4096`). */
  readonly nodeOptions: readonly string[];
  /** Another checkout whose probe also runs in every round (`--compare`), or null. */
  readonly compare: string | null;
  /** `--scheduled`: the unmeasured probe run's device count goes to the measured ones as `expectedDevices`. */
  readonly scheduled: boolean;
  /** `--readme`: the cases of the README's performance table (`README_CASES`) instead of `sizes` and `serviceMsPerDevice`. */
  readonly readme: boolean;
  /** `--probe`: the probe measured (each case of `--readme` names its own). */
  readonly probe: BenchProbe;
}

/** One case of a bench run: a tenant size and its service time, and the probe. */
interface BenchCase {
  readonly devices: number;
  readonly serviceMsPerDevice: number;
  readonly probe: BenchProbe;
}

/** The cases of the README's performance table (`--readme`), in its order. */
const README_CASES: readonly BenchCase[] = [
  { devices: 100_000, serviceMsPerDevice: 0, probe: "defender365" },
  { devices: 1_000_000, serviceMsPerDevice: 0, probe: "defender365" },
  { devices: 100_000, serviceMsPerDevice: 0.2, probe: "defender365" },
  { devices: 100_000, serviceMsPerDevice: 0, probe: "crowdstrike" },
];

const USAGE = `usage: npm run bench -- [--devices N] [--assets N] [--rounds R] [--service-ms-per-device X]
                        [--page-size P] [--seed S] [--out FILE] [--scale | --sizes N,N,…]
                        [--profile] [--node-options "…"] [--compare DIR] [--scheduled] [--readme]
                        [--probe defender365|crowdstrike]
  --probe NAME                defender365 (default) against the simulated Microsoft tenant, or crowdstrike against
                              the simulated Falcon cloud (its hosts; no service delay there)
  --devices N                 devices in the simulated tenant (default 100000)
  --assets N                  scanned assets (default: as many as devices)
  --rounds R                  probe/floor pairs, alternating which goes first (default 3)
  --service-ms-per-device X   the tenant delays each page by X ms per device on it (default 0)
  --page-size P               devices per API call, $top (default 10000)
  --scale                     sizes 10000, 100000, 1000000 in sequence (or --sizes a,b,c)
  --readme                    the README's performance table: Defender at 100000 and 1000000 without service delay,
                              Defender at 100000 with 0.2 ms/device, Falcon at 100000; one table, a row per case
  --profile                   one more probe run per size under the CPU profiler (not in the medians)
  --node-options "…"          node flags for the measured children
  --scheduled                 as a scheduled connector's later syncs: the unmeasured probe run that renders the
                              tenant's pages is the previous sync; its device count goes to every measured
                              probe run as expectedDevices
  --compare DIR               also run, in every round, the probe of the checkout at DIR (its own src/ and
                              bench/run-probe.ts, compiled with its bench/tsconfig.json, its node_modules
                              installed), against the same tenant
  --out FILE                  result JSON (default bench-results/<timestamp>.json)`;

class UsageError extends Error {}

const positiveInt = (flag: string, raw: string | undefined): number => {
  const n = Number(raw);
  if (raw === undefined || !Number.isInteger(n) || n < 1) throw new UsageError(`${flag}: expected a positive integer, got ${JSON.stringify(raw ?? null)}`);
  return n;
};

/** Parses the command line; unknown flags are errors that name the flag. */
const parseArgs = (argv: readonly string[], now: Date = new Date()): Settings => {
  let devices = 100_000;
  let sizes: number[] | null = null;
  let assets: number | null = null;
  let rounds = 3;
  let serviceMsPerDevice = 0;
  let pageSize = 10_000;
  let seed = 1;
  let out: string | null = null;
  let profile = false;
  let nodeOptions: string[] = [];
  let compare: string | null = null;
  let scheduled = false;
  let readme = false;
  let probe: BenchProbe = "defender365";
  let devicesGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] ?? "";
    const value = () => {
      const v = argv[i + 1];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      i += 1;
      return v;
    };
    switch (flag) {
      case "--devices":
        devices = positiveInt(flag, value());
        devicesGiven = true;
        break;
      case "--assets":
        assets = Number(value());
        if (!Number.isInteger(assets) || assets < 0) throw new UsageError(`--assets: expected an integer ≥ 0`);
        break;
      case "--rounds":
        rounds = positiveInt(flag, value());
        break;
      case "--service-ms-per-device": {
        const raw = value();
        serviceMsPerDevice = Number(raw);
        if (!Number.isFinite(serviceMsPerDevice) || serviceMsPerDevice < 0)
          throw new UsageError(`--service-ms-per-device: expected a number ≥ 0, got ${JSON.stringify(raw)}`);
        break;
      }
      case "--page-size":
        pageSize = positiveInt(flag, value());
        if (pageSize > 10_000) throw new UsageError("--page-size: at most 10000 (the API's cap)");
        break;
      case "--seed":
        seed = Number(value());
        if (!Number.isInteger(seed)) throw new UsageError("--seed: expected an integer");
        break;
      case "--out":
        out = value();
        break;
      case "--scale":
        sizes = [...SCALE_SIZES];
        break;
      case "--sizes":
        sizes = value()
          .split(",")
          .map((s) => positiveInt("--sizes", s.trim().replace(/_/g, "")));
        break;
      case "--profile":
        profile = true;
        break;
      case "--node-options":
        nodeOptions = value()
          .split(/\s+/)
          .filter((s) => s.length > 0);
        break;
      case "--compare":
        compare = resolve(value());
        if (!existsSync(join(compare, "bench/run-probe.ts")))
          throw new UsageError(`--compare: ${compare} has no bench/run-probe.ts; give the root of another checkout of this project (git worktree add)`);
        break;
      case "--scheduled":
        scheduled = true;
        break;
      case "--readme":
        readme = true;
        break;
      case "--probe": {
        const name = value();
        const known = BENCH_PROBES.find((p) => p === name);
        if (known === undefined) throw new UsageError(`--probe: expected one of ${BENCH_PROBES.join(", ")}, got ${JSON.stringify(name)}`);
        probe = known;
        break;
      }
      case "--help":
      case "-h":
        throw new UsageError("");
      default:
        throw new UsageError(`unknown argument ${JSON.stringify(flag)}`);
    }
  }
  if (readme && (devicesGiven || sizes !== null || serviceMsPerDevice !== 0 || probe !== "defender365"))
    throw new UsageError(
      "--readme runs its own cases (sizes, service time, probe): leave out --devices, --sizes, --scale, --service-ms-per-device and --probe",
    );
  if (probe === "crowdstrike" && serviceMsPerDevice !== 0) throw new UsageError("--service-ms-per-device: the simulated Falcon cloud has no service delay");
  const stamp = now.toISOString().replace(/[:.]/g, "-");
  return {
    sizes: readme ? README_CASES.map((c) => c.devices) : (sizes ?? [devices]),
    assets,
    rounds,
    serviceMsPerDevice,
    pageSize,
    seed,
    out: out ?? join("bench-results", `${stamp}.json`),
    profile,
    nodeOptions,
    compare,
    scheduled,
    readme,
    probe,
  };
};

// ---------------------------------------------------------------- processes

/** A child that answers one JSON line per command line (the tenant). */
interface LineChild {
  readonly child: ChildProcess;
  next(): Promise<string>;
}

const lineChild = (child: ChildProcess, lines: Interface): LineChild => {
  const waiting: ((line: string) => void)[] = [];
  const buffered: string[] = [];
  lines.on("line", (line) => {
    const w = waiting.shift();
    if (w !== undefined) w(line);
    else buffered.push(line);
  });
  const exited = new Promise<never>((_, reject) => child.once("exit", (code) => reject(new Error(`the tenant process exited (${code})`))));
  exited.catch(() => undefined);
  return {
    child,
    next: () => {
      const line = buffered.shift();
      if (line !== undefined) return Promise.resolve(line);
      return Promise.race([new Promise<string>((res) => waiting.push(res)), exited]);
    },
  };
};

interface Tenant {
  readonly origin: string;
  readonly tenantId: string;
  readonly caPem: string;
  readonly credential: Record<string, string>;
  command(c: "reset" | "stats"): Promise<TenantStats>;
  /** Path and query of each API call answered 200 since the last reset. */
  apiLog(): Promise<readonly string[]>;
  close(): Promise<void>;
}

const startTenant = async (devices: number, s: Settings): Promise<Tenant> => {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      join(ROOT, "bench/tenant-process.ts"),
      "--devices",
      String(devices),
      "--seed",
      String(s.seed),
      "--service-ms-per-device",
      String(s.serviceMsPerDevice),
      "--probe",
      s.probe,
      "--page-size",
      String(s.pageSize),
    ],
    {
      cwd: ROOT,
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  if (child.stdout === null || child.stdin === null) throw new Error("the tenant process has no pipes");
  const io = lineChild(child, createInterface({ input: child.stdout }));
  const ready = JSON.parse(await io.next()) as { origin: string; tenantId: string; caPem: string; credential: Record<string, string> };
  const stdin = child.stdin;
  return {
    ...ready,
    command: async (c) => {
      stdin.write(`${c}\n`);
      return JSON.parse(await io.next()) as TenantStats;
    },
    apiLog: async () => {
      stdin.write("log\n");
      return (JSON.parse(await io.next()) as { paths: string[] }).paths;
    },
    close: async () => {
      const exit = once(child, "exit");
      stdin.end();
      await exit;
    },
  };
};

/** How to start one kind of measured child: node's arguments before `--session`, and its checkout. */
interface Runner {
  readonly side: "probe" | "floor";
  readonly args: readonly string[];
  readonly root: string;
  /** A hash of the `src/` it runs (taken when it was compiled), or null for the floor. */
  readonly srcHash: string | null;
}

/** Runs one measured child and returns its report (a failed report if it printed none). */
const runSide = async (runner: Runner, sessionFile: string, s: Settings, extra: readonly string[] = []): Promise<SideReport> => {
  const side = runner.side;
  const child = spawn(process.execPath, [...s.nodeOptions, ...runner.args, "--session", sessionFile, ...extra], {
    cwd: runner.root,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr = (stderr + d).slice(-4000)));
  // The peak RSS as Linux tracks it (VmHWM), polled: the only figure left when a child dies (e.g. out of heap).
  let hwmKb = NaN;
  const poll = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
      if (m?.[1] !== undefined) hwmKb = Number(m[1]);
    } catch {
      // not Linux, or the child is gone
    }
  }, 250);
  const [code, signal] = (await once(child, "exit")) as [number | null, NodeJS.Signals | null];
  clearInterval(poll);
  const last = stdout.trim().split("\n").pop() ?? "";
  try {
    const parsed = JSON.parse(last) as SideReport;
    if (parsed.side === side) return parsed;
  } catch {
    // fall through: the child died before reporting
  }
  const fatal = /FATAL ERROR:[^\n]*/.exec(stderr)?.[0];
  return {
    side,
    ok: false,
    error: `the ${side} process exited with ${signal ?? code} before reporting: ${fatal ?? stderr.trim().split("\n").slice(-5).join(" | ")}`,
    wallMs: NaN,
    devices: 0,
    pages: 0,
    clientRequests: 0,
    peakRssKb: hwmKb,
    rssBeforeKb: NaN,
    cpuUserMs: NaN,
    cpuSystemMs: NaN,
    gcMs: NaN,
    maxEventLoopDelayMs: NaN,
  };
};

// ---------------------------------------------------------------- assets

/** A host the scan found that Defender does not know (CGNAT range and a locally administered MAC: no collision with the generator's hosts). */
const scanOnlyAsset = (k: number): ScannedAssetJson => {
  const hex = k.toString(16).padStart(8, "0");
  return {
    id: `scan-only-${k}`,
    addresses: [`100.${64 + ((k >> 16) & 63)}.${(k >> 8) & 255}.${k & 255}`],
    macs: [`02:b0:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}:${hex.slice(6, 8)}`],
    names: [`scan-only-${k}.lab.invalid`],
  };
};

/** What the scanned assets are made of. */
interface AssetMix {
  /** Assets the generator built for this tenant (~0.85 per device: it models what a scan finds, matches and traps). */
  readonly generated: number;
  /** Of those, used. */
  readonly used: number;
  /** Scan-only hosts added to reach the asked count. */
  readonly scanOnly: number;
  readonly total: number;
}

/**
 * What a scan of the Falcon cloud's synthetic hosts finds: six hosts in seven, by the names,
 * addresses and MACs the hosts report (about as many per device as the Microsoft tenant's
 * generator builds), so that correlation does the same kind of work.
 */
const falconAssets = (devices: number, seed: number): ScannedAssetJson[] => {
  const hosts = generateFalconHosts({ seed, hosts: devices });
  const assets: ScannedAssetJson[] = [];
  const text = (v: unknown): string[] => (typeof v === "string" && v !== "" ? [v] : []);
  for (let i = 0; i < devices; i++) {
    if (i % 7 === 6) continue;
    const host = hosts.hostAt(i);
    assets.push({
      id: `asset-${i}`,
      names: text(host["hostname"]),
      addresses: text(host["local_ip"]),
      macs: text(host["mac_address"]).map((mac) => mac.replace(/-/g, ":").toLowerCase()),
    });
  }
  return assets;
};

/** Generates the assets of a size and writes them as JSON lines. */
const writeAssets = async (devices: number, wanted: number, seed: number, file: string, probe: BenchProbe): Promise<AssetMix> => {
  const generated = probe === "crowdstrike" ? falconAssets(devices, seed) : generateTenant({ seed, devices, assets: true }).assets;
  const used = Math.min(generated.length, wanted);
  const out = createWriteStream(file);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, "drain");
  };
  let batch = "";
  for (let i = 0; i < wanted; i++) {
    const asset = i < used ? generated[i] : scanOnlyAsset(i - used);
    batch += `${JSON.stringify(asset)}\n`;
    if (batch.length > 1 << 20) {
      await write(batch);
      batch = "";
    }
  }
  await write(batch);
  out.end();
  await once(out, "finish");
  return { generated: generated.length, used, scanOnly: wanted - used, total: wanted };
};

// ---------------------------------------------------------------- one size

/** A measured side of one round, with the tenant's counters for that run and the code it ran (probe sides). */
type RoundSide = SideReport & { readonly tenant: TenantStats; readonly srcHash: string | null };

/**
 * A hash of every file under src/, taken when a checkout is compiled (or, for a checkout
 * run under tsx, when a child starts: src/ may be edited while the bench runs, and rounds that ran different code must not be mixed silently).
 */
const srcHash = (root: string = ROOT): string => {
  const hash = createHash("sha256");
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) hash.update(path.slice(root.length)).update("\0").update(readFileSync(path)).update("\0");
    }
  };
  walk(join(root, "src"));
  return hash.digest("hex").slice(0, 12);
};

/** What runs in a round: the probe, the floor, and with `--compare` the other checkout's probe. */
type RoundPart = "probe" | "floor" | "compare";

interface Round {
  readonly round: number;
  readonly order: readonly RoundPart[];
  readonly probe: RoundSide;
  readonly floor: RoundSide;
  /** The other checkout's probe (`--compare`). */
  readonly compare?: RoundSide | undefined;
}

/**
 * The order of a round's runs: probe and floor alternate which goes first; with a
 * compared probe, the three take turns in the first, second and third place.
 */
const roundOrder = (round: number, withCompare: boolean): RoundPart[] => {
  if (!withCompare) return round % 2 === 1 ? ["probe", "floor"] : ["floor", "probe"];
  const turns: RoundPart[][] = [
    ["probe", "compare", "floor"],
    ["compare", "floor", "probe"],
    ["floor", "probe", "compare"],
  ];
  return turns[(round - 1) % turns.length] ?? ["probe", "compare", "floor"];
};

interface SideSummary {
  readonly ok: boolean;
  readonly wallMs: { readonly median: number; readonly min: number; readonly max: number };
  /** Devices in the tenant (N). */
  readonly devices: number;
  /** Devices the client read (the probe counts a device read twice, e.g. overlapping pages, twice). */
  readonly devicesRead: number;
  readonly devicesPerS: number;
  readonly usPerDevice: number;
  readonly peakRssMb: { readonly median: number; readonly max: number };
  /** Peak RSS when the timed region began (Node itself and, on the probe side, the scanned assets it was handed): median, MiB. */
  readonly rssBeforeMb: number;
  readonly apiRequests: number;
  readonly tokenRequests: number;
  readonly metadataRequests: number;
  readonly maxConcurrentApiRequests: number;
  readonly cpuMs: number;
  readonly gcMs: number;
  readonly tenantCpuMs: number;
  /** List pages the tenant rendered and sent from its cache during the runs (sums over the rounds). */
  readonly listPagesRendered: number;
  readonly listPagesFromCache: number;
  readonly phases?: Record<string, number | null> | undefined;
}

interface SizeResult {
  /** The probe measured. */
  readonly probeName: BenchProbe;
  readonly devices: number;
  /** The tenant's service time in this case, ms per device on a page. */
  readonly serviceMsPerDevice: number;
  readonly assets: AssetMix;
  readonly assetGenerationMs: number;
  readonly rounds: readonly Round[];
  readonly probe: SideSummary;
  readonly floor: SideSummary;
  /** Median probe wall / median floor wall. */
  readonly ratio: number;
  /** Median probe client CPU / median floor client CPU (each process, every thread). */
  readonly cpuRatio: number;
  /** Probe wall / floor wall of each round. */
  readonly pairedRatios: readonly number[];
  /** Probe CPU / floor CPU of each round. */
  readonly pairedCpuRatios: readonly number[];
  readonly checks: readonly Check[];
  readonly profiled?: { readonly run: RoundSide; readonly summary: ProfileSummary; readonly file: string } | undefined;
  /** With `--compare`: the other checkout, its probe's summary, and its wall (and CPU) ÷ this probe's in each round. */
  readonly compare?:
    { readonly root: string; readonly probe: SideSummary; readonly pairedRatios: readonly number[]; readonly pairedCpuRatios: readonly number[] } | undefined;
}

interface Check {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
}

const mb = (kb: number) => kb / 1024;

/** Medians over the rounds of one side; rates are per tenant device (`devices`), whatever the client read. */
const summarize = (sides: readonly RoundSide[], devices: number): SideSummary => {
  const ok = sides.filter((r) => r.ok);
  const use = ok.length > 0 ? ok : sides;
  const walls = use.map((r) => r.wallMs);
  const wall = median(walls);
  const probePhases = use.filter((r) => r.phases !== undefined).map((r) => r.phases);
  const phaseMedian = (key: "signInMs" | "pagesMs" | "afterPagesMs" | "writeMs") => {
    const xs = probePhases.map((p) => p?.[key]).filter((x): x is number => typeof x === "number");
    return xs.length > 0 ? median(xs) : null;
  };
  return {
    ok: ok.length === sides.length,
    wallMs: { median: wall, min: Math.min(...walls), max: Math.max(...walls) },
    devices,
    devicesRead: median(use.map((r) => r.devices)),
    devicesPerS: devices / (wall / 1000),
    usPerDevice: (wall * 1000) / Math.max(1, devices),
    peakRssMb: { median: mb(median(use.map((r) => r.peakRssKb))), max: mb(Math.max(...use.map((r) => r.peakRssKb))) },
    rssBeforeMb: mb(median(use.map((r) => r.rssBeforeKb))),
    apiRequests: median(use.map((r) => r.tenant.apiRequests)),
    tokenRequests: median(use.map((r) => r.tenant.tokenRequests)),
    metadataRequests: median(use.map((r) => r.tenant.metadataRequests)),
    maxConcurrentApiRequests: Math.max(...use.map((r) => r.tenant.maxConcurrentApiRequests)),
    cpuMs: median(use.map((r) => r.cpuUserMs + r.cpuSystemMs)),
    gcMs: median(use.map((r) => r.gcMs)),
    tenantCpuMs: median(use.map((r) => r.tenant.cpuMs)),
    listPagesRendered: use.reduce((sum, r) => sum + r.tenant.listPagesRendered, 0),
    listPagesFromCache: use.reduce((sum, r) => sum + r.tenant.listPagesFromCache, 0),
    phases:
      probePhases.length > 0
        ? { signInMs: phaseMedian("signInMs"), pagesMs: phaseMedian("pagesMs"), afterPagesMs: phaseMedian("afterPagesMs"), writeMs: phaseMedian("writeMs") }
        : undefined,
  };
};

/** The targets, as far as this run measures them. Informational: nothing fails on them. */
const checksOf = (devices: number, s: Settings, probe: SideSummary, ratio: number): Check[] => {
  const checks: Check[] = [];
  if (s.serviceMsPerDevice === 0)
    checks.push({
      target: `no service delay: probe ≤ 2.0× the floor (set for 100k and 1M)`,
      measured: `${ratio.toFixed(2)}× at ${fmt(devices)}`,
      met: ratio <= 2.0,
    });
  else
    checks.push({
      target: `service ${s.serviceMsPerDevice} ms/device: probe ≤ 0.5× the sequential floor`,
      measured: `${ratio.toFixed(2)}×`,
      met: ratio <= 0.5,
    });
  const listCalls = Math.ceil(devices / s.pageSize);
  checks.push({
    target: `calls: ceil(N/${s.pageSize}) = ${listCalls} list calls and 1 token call`,
    measured: `${probe.apiRequests} list calls, ${probe.tokenRequests} token call(s), ${probe.metadataRequests} metadata`,
    met: probe.apiRequests <= listCalls && probe.tokenRequests === 1,
  });
  if (devices >= 1_000_000)
    checks.push({
      target: "1M: peak RSS ≤ 1 GiB",
      measured: `${probe.peakRssMb.max.toFixed(0)} MiB (${probe.rssBeforeMb.toFixed(0)} MiB of it before the run began: Node and the scanned assets handed over)`,
      met: probe.peakRssMb.max <= 1024,
    });
  return checks;
};

/** Creates `root/bench-results` with a `.gitignore` that ignores the folder itself. */
const resultsDir = (root: string): string => {
  const dir = join(root, "bench-results");
  mkdirSync(dir, { recursive: true });
  const ignore = join(dir, ".gitignore");
  if (!existsSync(ignore)) writeFileSync(ignore, "# bench output, not versioned\n*\n");
  return dir;
};

/** A checkout compiled for the measured runs. */
interface Compiled {
  /** tsc's output: `src/`, `bench/` (with `bench/*.mjs` copied beside it). */
  readonly dir: string;
  /** Hash of the `src/` it was compiled from. */
  readonly srcHash: string;
}

/**
 * Compiles a checkout's src/ and bench/ with tsc (its own bench/tsconfig.json, and its own
 * TypeScript when it has one) into a fresh folder under its bench-results/ (inside the
 * checkout, so that its packages resolve), with source maps so that a CPU profile names
 * lines. The measured probe runs from this output: no TypeScript loader in the measured
 * process. Throws when tsc fails or the output has no bench/run-probe.js.
 */
const compileCheckout = (root: string): Compiled => {
  const dir = mkdtempSync(join(resultsDir(root), ".build-"));
  const hash = srcHash(root);
  const ownTsc = join(root, "node_modules/typescript/bin/tsc");
  execFileSync(
    process.execPath,
    [
      existsSync(ownTsc) ? ownTsc : join(ROOT, "node_modules/typescript/bin/tsc"),
      "-p",
      join(root, "bench/tsconfig.json"),
      "--noEmit",
      "false",
      "--outDir",
      dir,
      "--sourceMap",
      "true",
      "--declaration",
      "false",
    ],
    { cwd: root, stdio: ["ignore", "inherit", "inherit"] },
  );
  if (!existsSync(join(dir, "bench/run-probe.js"))) throw new Error(`tsc wrote no bench/run-probe.js under ${dir}`);
  for (const f of readdirSync(join(root, "bench"))) if (f.endsWith(".mjs")) copyFileSync(join(root, "bench", f), join(dir, "bench", f));
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
  return { dir, srcHash: hash };
};

/** The probe of a compiled checkout; or, for a checkout tsc could not compile (`--compare` only), its run-probe.ts under tsx. */
const probeRunner = (root: string, compiled: Compiled | null): Runner =>
  compiled === null
    ? { side: "probe", args: ["--import", "tsx", join(root, "bench/run-probe.ts")], root, srcHash: null }
    : { side: "probe", args: [join(compiled.dir, "bench/run-probe.js")], root, srcHash: compiled.srcHash };

/** The floor: plain JavaScript, no loader. */
const FLOOR_RUNNER: Runner = { side: "floor", args: [join(ROOT, "bench/floor.mjs")], root: ROOT, srcHash: null };

/** The runners of one bench run. */
interface Runners {
  readonly probe: Runner;
  readonly floor: Runner;
  /** The other checkout's probe (`--compare`), or null. */
  readonly compare: Runner | null;
}

const runSize = async (devices: number, s: Settings, log: (line: string) => void, runners: Runners): Promise<SizeResult> => {
  const workDir = mkdtempSync(join(os.tmpdir(), "scan-probes-bench-"));
  try {
    const wanted = s.assets ?? devices;
    log(`\n== ${devices.toLocaleString("en")} devices: generating ${wanted.toLocaleString("en")} scanned assets and starting the tenant…`);
    const assetsFile = join(workDir, "assets.jsonl");
    const genStarted = performance.now();
    const [mix, tenant] = await Promise.all([writeAssets(devices, wanted, s.seed, assetsFile, s.probe), startTenant(devices, s)]);
    const assetGenerationMs = performance.now() - genStarted;
    log(
      `   assets: ${mix.used.toLocaleString("en")} from the generator (${mix.generated.toLocaleString("en")} built, ${(mix.generated / Math.max(1, devices)).toFixed(3)} per device) + ${mix.scanOnly.toLocaleString("en")} scan-only hosts`,
    );
    try {
      const session: Session = {
        probe: s.probe,
        origin: tenant.origin,
        tenantId: tenant.tenantId,
        caPem: tenant.caPem,
        credential: tenant.credential,
        pageSize: s.pageSize,
        devices,
        assetsFile,
        workDir,
      };
      const sessionFile = join(workDir, "session.json");
      writeFileSync(sessionFile, JSON.stringify(session));
      const replayFile = join(workDir, "replay.json");
      const measure = async (runner: Runner, label: string, extra: readonly string[] = []): Promise<RoundSide> => {
        await tenant.command("reset");
        // A probe under tsx reads src/ when it starts: hash it then.
        const code = runner.side === "floor" ? null : (runner.srcHash ?? srcHash(runner.root));
        const r = await runSide(runner, sessionFile, s, runner.side === "floor" ? [...extra, "--replay", replayFile] : extra);
        const t = await tenant.command("stats");
        if (runner === runners.probe && r.ok) {
          // The floor reads the very pages the probe read last ($top, $skip, $filter as sent).
          writeFileSync(replayFile, JSON.stringify(await tenant.apiLog()));
        }
        log(
          `   ${label.padEnd(8)} ${r.ok ? "" : `FAILED (${r.error ?? "?"}) `}${(r.wallMs / 1000).toFixed(2)} s, ${r.devices.toLocaleString("en")} devices read, ${t.apiRequests} API + ${t.tokenRequests} token requests (pages rendered ${t.listPagesRendered}, from the cache ${t.listPagesFromCache}), peak RSS ${mb(r.peakRssKb).toFixed(0)} MiB, CPU ${((r.cpuUserMs + r.cpuSystemMs) / 1000).toFixed(2)} s${code === null ? "" : `, src ${code}`}${r.runtime === undefined ? "" : `, ${r.runtime.script} (${r.runtime.loader === "none" ? "no loader" : r.runtime.loader})`}`,
        );
        return { ...r, tenant: t, srcHash: code };
      };
      // The tenant renders each page once, here (and builds its $filter index: seconds at 100k); the measured
      // runs read them from its cache.
      log(
        s.scheduled
          ? "   the previous sync (not measured; it renders the tenant's pages): its device count goes to every measured probe run as expectedDevices"
          : "   one probe run to render the tenant's pages (not measured)",
      );
      const previous = await measure(runners.probe, "fill");
      if (!previous.ok) throw new Error(`the unmeasured probe run failed: ${previous.error ?? "?"}`);
      if (s.scheduled) writeFileSync(sessionFile, JSON.stringify({ ...session, expectedDevices: previous.devices } satisfies Session));
      if (runners.compare !== null) {
        // Its calls may differ from this probe's ($select, order of the query): their pages are rendered here too.
        const other = await measure(runners.compare, "fill cmp");
        if (!other.ok) log(`   the other checkout's unmeasured run failed: ${other.error ?? "?"}`);
      }
      const rounds: Round[] = [];
      for (let round = 1; round <= s.rounds; round++) {
        const order = roundOrder(round, runners.compare !== null);
        log(`   round ${round}/${s.rounds}`);
        const sides: Partial<Record<RoundPart, RoundSide>> = {};
        // "compare" is in the order only with --compare: the other checkout's probe.
        for (const part of order) {
          const runner = part === "compare" ? runners.compare : runners[part];
          if (runner !== null) sides[part] = await measure(runner, part);
        }
        if (sides.probe === undefined || sides.floor === undefined) throw new Error("a round lost a side");
        rounds.push({ round, order, probe: sides.probe, floor: sides.floor, compare: sides.compare });
      }
      let profiled: SizeResult["profiled"];
      if (s.profile) {
        const file = resolve(ROOT, s.out.replace(/\.json$/, ""), `${devices}-probe.cpuprofile`);
        mkdirSync(dirname(file), { recursive: true });
        log("   profiled probe run (not in the medians)");
        const run = await measure(runners.probe, "profiled", ["--profile", file]);
        if (existsSync(file)) profiled = { run, file, summary: summarizeProfile(JSON.parse(readFileSync(file, "utf8")) as CpuProfile) };
      }
      const probe = summarize(
        rounds.map((r) => r.probe),
        devices,
      );
      const floor = summarize(
        rounds.map((r) => r.floor),
        devices,
      );
      const ratio = probe.wallMs.median / floor.wallMs.median;
      const cpuOf = (x: SideReport) => x.cpuUserMs + x.cpuSystemMs;
      const compared = rounds.flatMap((r) => (r.compare === undefined ? [] : [{ probe: r.probe, compare: r.compare }]));
      const compare: SizeResult["compare"] =
        runners.compare === null
          ? undefined
          : {
              root: runners.compare.root,
              probe: summarize(
                compared.map((c) => c.compare),
                devices,
              ),
              pairedRatios: compared.map((c) => c.compare.wallMs / c.probe.wallMs),
              pairedCpuRatios: compared.map((c) => cpuOf(c.compare) / cpuOf(c.probe)),
            };
      return {
        probeName: s.probe,
        devices,
        serviceMsPerDevice: s.serviceMsPerDevice,
        assets: mix,
        assetGenerationMs,
        rounds,
        probe,
        floor,
        ratio,
        cpuRatio: probe.cpuMs / floor.cpuMs,
        pairedRatios: rounds.map((r) => r.probe.wallMs / r.floor.wallMs),
        pairedCpuRatios: rounds.map((r) => cpuOf(r.probe) / cpuOf(r.floor)),
        checks: checksOf(devices, s, probe, ratio),
        profiled,
        compare,
      };
    } finally {
      await tenant.close();
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
};

// ---------------------------------------------------------------- output

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString("en", { minimumFractionDigits: digits, maximumFractionDigits: digits }) : "n/a");
const table = (rows: readonly (readonly string[])[]): string => {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length))) ?? [];
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join("  ")).join("\n");
};

/** `100k`, `1M`, or the number with separators. */
const short = (n: number): string => (n >= 1e6 && n % 1e6 === 0 ? `${n / 1e6}M` : n >= 1e3 && n % 1e3 === 0 ? `${n / 1e3}k` : fmt(n));

/** A markdown table, padded as prettier pads one, so that it can be pasted as is. */
const markdown = (rows: readonly (readonly string[])[]): string => {
  const widths = rows[0]?.map((_, c) => Math.max(3, ...rows.map((r) => (r[c] ?? "").length))) ?? [];
  const line = (r: readonly string[]) => `| ${r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join(" | ")} |`;
  const [head = [], ...body] = rows;
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
};

/** The README's performance table: one row per case. */
const README_HEADER = ["case", "probe (median wall)", "floor (median wall)", "ratio (wall)", "CPU ratio (client CPU)", "peak RSS", "calls (list + token)"];

/** A row of the README table: a probe's medians against the floor's; peak RSS is the probe's largest of the rounds. */
const readmeRow = (name: string, probe: SideSummary, floor: SideSummary): string[] => [
  name,
  `${fmt(probe.wallMs.median / 1000, 2)} s`,
  `${fmt(floor.wallMs.median / 1000, 2)} s`,
  `${fmt(probe.wallMs.median / floor.wallMs.median, 2)}×`,
  `${fmt(probe.cpuMs / floor.cpuMs, 2)}×`,
  `${fmt(probe.peakRssMb.max)} MiB`,
  `${fmt(probe.apiRequests)} + ${fmt(probe.tokenRequests)}`,
];

/** The case of a size: devices × assets and the service time. */
const caseOf = (r: SizeResult): string =>
  `${r.probeName === "crowdstrike" ? "Falcon" : "Defender"} ${short(r.devices)} × ${short(r.assets.total)}, ${r.serviceMsPerDevice === 0 ? "no service delay" : `service ${r.serviceMsPerDevice} ms/device`}`;

const sizeTable = (r: SizeResult, s: Settings): string => {
  const secs = (ms: number) => `${fmt(ms / 1000, 2)} s`;
  const span = (x: SideSummary) => `${fmt(x.wallMs.min / 1000, 2)}–${fmt(x.wallMs.max / 1000, 2)} s`;
  const byRound = (xs: readonly number[]) => xs.map((x) => `${x.toFixed(2)}×`).join(", ");
  const floorRuntime = r.rounds[0]?.floor.runtime;
  const lines = [
    `${fmt(r.devices)} devices × ${fmt(r.assets.total)} assets (${fmt(r.assets.used)} generated + ${fmt(r.assets.scanOnly)} scan-only), page ${fmt(s.pageSize)}, service ${s.serviceMsPerDevice} ms/device (${fmt((s.serviceMsPerDevice * s.pageSize) / 1000, 1)} s a full page), ${r.rounds.length} round(s)${s.scheduled ? ", scheduled (expectedDevices from the previous sync)" : ""}`,
    markdown([
      README_HEADER,
      readmeRow(caseOf(r), r.probe, r.floor),
      ...(r.compare === undefined ? [] : [readmeRow(`${caseOf(r)} (--compare)`, r.compare.probe, r.floor)]),
    ]),
    `probe: wall ${span(r.probe)}, client CPU ${secs(r.probe.cpuMs)}, GC ${secs(r.probe.gcMs)}; floor${s.serviceMsPerDevice === 0 ? "" : " (the sequential client)"}: wall ${span(r.floor)}, client CPU ${secs(r.floor.cpuMs)}, peak RSS ${fmt(r.floor.peakRssMb.max)} MiB, ${floorRuntime === undefined ? "?" : `${floorRuntime.script} (${floorRuntime.loader === "none" ? "no loader" : floorRuntime.loader})`}; tenant CPU during the runs: probe ${secs(r.probe.tenantCpuMs)}, floor ${secs(r.floor.tenantCpuMs)}`,
    `pages during the measured runs: rendered ${fmt(r.probe.listPagesRendered + r.floor.listPagesRendered)}, sent from the tenant's cache ${fmt(r.probe.listPagesFromCache + r.floor.listPagesFromCache)}`,
  ];
  if (r.compare !== undefined) {
    const withMedian = (xs: readonly number[]) => `${byRound(xs)}; median ${median([...xs]).toFixed(2)}×`;
    lines.push(
      `--compare ${r.compare.root} (src ${r.rounds[0]?.compare?.srcHash ?? "?"}): its probe's wall ÷ this probe's, by round: ${withMedian(r.compare.pairedRatios)}`,
      `  its probe's CPU ÷ this probe's (the process, collector threads included), by round: ${withMedian(r.compare.pairedCpuRatios)}`,
    );
  }
  const p = r.probe.phases;
  if (p !== undefined) {
    const ms = (x: number | null | undefined) => (typeof x === "number" ? secs(x) : "n/a");
    lines.push(
      `probe phases (median): sign-in ${ms(p["signInMs"])}, pages (fetch+parse+decode) ${ms(p["pagesMs"])}, after the last page (correlate, records written) ${ms(p["afterPagesMs"])}, file closed ${ms(p["writeMs"])}`,
    );
  }
  lines.push(
    `ratios by round: wall ${byRound(r.pairedRatios)}; client CPU ${byRound(r.pairedCpuRatios)}; devices read: probe ${fmt(r.probe.devicesRead)}, floor ${fmt(r.floor.devicesRead)}`,
  );
  const codes = new Set(r.rounds.flatMap((x) => [x.probe.srcHash, x.compare?.srcHash]).filter((x) => x !== null && x !== undefined));
  if (codes.size > (r.compare === undefined ? 1 : 2))
    lines.push(`WARNING: src/ changed during this size's rounds (${[...codes].join(", ")}): the rounds ran different code`);
  for (const c of r.checks) lines.push(`target ${c.met ? "MET    " : "NOT MET"} ${c.target}: ${c.measured}`);
  const failed = [...r.rounds.flatMap((x) => [x.probe, x.floor, ...(x.compare === undefined ? [] : [x.compare])])].filter((x) => !x.ok);
  for (const f of failed) lines.push(`FAILED ${f.side}: ${f.error ?? "?"}`);
  if (r.profiled !== undefined) lines.push(`profile: ${r.profiled.file}`, formatProfile(r.profiled.summary));
  return lines.join("\n");
};

const scaleTable = (results: readonly SizeResult[]): string => {
  const rows: string[][] = [
    ["devices × assets", "probe s", "probe µs/device", "floor µs/device", "× floor", "probe peak RSS MiB", "RSS KiB/device", "API + token req"],
  ];
  for (const r of results) {
    rows.push([
      `${fmt(r.devices)} × ${fmt(r.assets.total)}`,
      fmt(r.probe.wallMs.median / 1000, 2),
      fmt(r.probe.usPerDevice, 1),
      fmt(r.floor.usPerDevice, 1),
      `${r.ratio.toFixed(2)}×`,
      fmt(r.probe.peakRssMb.max),
      fmt((r.probe.peakRssMb.max * 1024) / r.devices, 2),
      `${fmt(r.probe.apiRequests)} + ${fmt(r.probe.tokenRequests)}`,
    ]);
  }
  return `Cost per device by size (linear cost = a flat µs/device column):\n${table(rows)}`;
};

/** The commit of the checkout at `root` and its uncommitted `src/` files. */
const gitInfo = (root: string = ROOT) => {
  const git = (...args: string[]) => {
    try {
      return execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    } catch {
      return null;
    }
  };
  const dirty = git("status", "--porcelain", "--", "src");
  return { commit: git("rev-parse", "HEAD"), srcUncommitted: dirty === null ? null : dirty.split("\n").filter((l) => l.length > 0) };
};

const machineInfo = () => ({
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? null,
  totalMemMiB: Math.round(os.totalmem() / 2 ** 20),
  node: process.version,
  platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  loadavg: os.loadavg(),
});

const main = async (): Promise<number> => {
  let s: Settings;
  try {
    s = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    if (error.message !== "") process.stderr.write(`bench: ${error.message}\n`);
    process.stderr.write(`${USAGE}\n`);
    return error.message === "" ? 0 : 2;
  }
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const date = new Date().toISOString();
  const machine = machineInfo();
  say(
    `scan-probes bench, ${date}: node ${machine.node}, ${machine.cpus} CPUs (${machine.cpuModel ?? "?"}), load ${machine.loadavg.map((x) => x.toFixed(2)).join(" ")}`,
  );
  say(`client pacing: ${CLIENT_PACING}; simulator rate limiter off; each side in its own process, rounds alternate which side goes first`);
  say(`floor: ${FLOOR}; probe: its tsc output, no TypeScript loader; tenant: page cache on, filled by one unmeasured probe run per size`);
  const started = performance.now();
  const results: SizeResult[] = [];
  resultsDir(ROOT);
  const builds: string[] = [];
  try {
    say("compiling src/ and bench/ with tsc…");
    const own = compileCheckout(ROOT);
    builds.push(own.dir);
    let compare: Runner | null = null;
    if (s.compare !== null) {
      if (resolve(s.compare) === ROOT) compare = probeRunner(ROOT, own);
      else {
        try {
          const other = compileCheckout(s.compare);
          builds.push(other.dir);
          compare = probeRunner(s.compare, other);
        } catch (error) {
          say(`--compare: tsc could not compile ${s.compare} (${String(error)}): its probe runs under tsx, the ratios to it include the loader`);
          compare = probeRunner(s.compare, null);
        }
      }
    }
    const runners: Runners = { probe: probeRunner(ROOT, own), floor: FLOOR_RUNNER, compare };
    const cases = s.readme ? README_CASES : s.sizes.map((devices) => ({ devices, serviceMsPerDevice: s.serviceMsPerDevice, probe: s.probe }));
    for (const c of cases) {
      const settings: Settings = { ...s, serviceMsPerDevice: c.serviceMsPerDevice, probe: c.probe };
      const r = await runSize(c.devices, settings, say, runners);
      results.push(r);
      say("");
      say(sizeTable(r, settings));
    }
  } finally {
    for (const dir of builds) rmSync(dir, { recursive: true, force: true });
  }
  if (results.length > 1) {
    say("");
    say(`All cases, one row each:\n${markdown([README_HEADER, ...results.map((r) => readmeRow(caseOf(r), r.probe, r.floor))])}`);
    if (!s.readme) {
      say("");
      say(scaleTable(results));
    }
  }
  const outFile = resolve(ROOT, s.out);
  const outDir = dirname(outFile);
  if (!existsSync(outDir)) mkdirSync(outDir, { recursive: true });
  const file = {
    schema: "scan-probes-bench/2",
    date,
    durationS: (performance.now() - started) / 1000,
    command: process.argv.slice(2),
    settings: { ...s, clientPacing: CLIENT_PACING, simulatorRateLimit: false, simulatorPageCache: true, floor: FLOOR, probeRuntime: "tsc output" },
    machine: { ...machine, loadavgEnd: os.loadavg() },
    git: gitInfo(),
    compareGit: s.compare === null ? null : gitInfo(s.compare),
    sizes: results,
  };
  writeFileSync(outFile, `${JSON.stringify(file, null, 2)}\n`);
  say(`\nwrote ${outFile} (${fmt(file.durationS, 0)} s in all)`);
  return results.every((r) => r.probe.ok && r.floor.ok && (r.compare?.probe.ok ?? true)) ? 0 : 1;
};

process.exitCode = await main();
