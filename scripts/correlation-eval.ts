/**
 * Correlation quality on a labelled simulated tenant: precision and recall of the matches
 * and the accuracy of every EDR verdict, against the generator's ground truth, overall and
 * per class of device and asset (where the host sits: headquarters, a routed branch, the VPN,
 * at home, the cloud; and the kinds of names the scan gave: NetBIOS, truncated NetBIOS, split
 * DNS).
 *
 *   node --import tsx scripts/correlation-eval.ts [--devices 20000] [--seed 1 [--seed 2 …]] [--no-site] [--no-whereabouts] [--include-inactive]
 *
 * Each seed is a tenant of its own; with several seeds, the table sums them. `--no-site` drops
 * the assets' `site` (correlation then goes by subnets); `--no-whereabouts` gives correlation
 * the probe's evidence without egress and tunnel addresses (a source that does not say where
 * its devices reported from). Runs the correlation and enrichment
 * in-process (no network): the same pure code the probe runs after its pages are read.
 *
 * Per class: a device counts in every class it has (`truth.machineClasses`), an asset in every
 * class of `truth.assets[…].classes`. Precision and recall are over device records; `matched`
 * counts every match of a device of the class, right or wrong (for `home`, every match is wrong).
 */
import { parseArgs } from "node:util";
import { generateTenant } from "../src/simulator/index.js";
import { correlate } from "../src/correlate/index.js";
import { MachineCodec, type Machine } from "../src/probes/defender365/machine.js";
import { edrState, isInactive, toSourceDevice } from "../src/probes/defender365/device.js";
import { coverageByAsset } from "../src/sync/enrich.js";
import type { ScannedAsset } from "../src/engine/assets.js";
import type { SourceDevice } from "../src/correlate/index.js";

const { values } = parseArgs({
  options: {
    devices: { type: "string", default: "20000" },
    seed: { type: "string", multiple: true, default: ["1"] },
    "no-site": { type: "boolean", default: false },
    "no-whereabouts": { type: "boolean", default: false },
    "include-inactive": { type: "boolean", default: false },
  },
});
const devices = Number(values.devices);
const seeds = values.seed.map(Number);
const includeInactive = values["include-inactive"] === true;
const noSite = values["no-site"] === true;
const noWhereabouts = values["no-whereabouts"] === true;

/** The probe's evidence for a machine without where it reported from (`--no-whereabouts`: a source that does not say). */
const withoutWhereabouts = (m: Machine): SourceDevice => ({ ...toSourceDevice(m), egress: [], tunnelAddresses: [] });

/** Counts of one row of the table. */
interface Row {
  devices: number;
  matched: number;
  truePositive: number;
  falsePositive: number;
  falseNegative: number;
  assets: number;
  verdictsRight: number;
  unsafe: number;
}
const emptyRow = (): Row => ({ devices: 0, matched: 0, truePositive: 0, falsePositive: 0, falseNegative: 0, assets: 0, verdictsRight: 0, unsafe: 0 });
const CLASS_ORDER = ["all", "hq", "branch", "vpn", "home", "cloud", "netbios", "netbios-truncated", "split-dns"];
const rows = new Map<string, Row>(CLASS_ORDER.map((c) => [c, emptyRow()]));
const rowOf = (c: string): Row => {
  let row = rows.get(c);
  if (row === undefined) rows.set(c, (row = emptyRow()));
  return row;
};

const wrongVerdicts: Record<string, number> = {};
const wrongMatches: string[] = [];
for (const seed of seeds) {
  const tenant = generateTenant({ seed, devices, assets: true });
  const machines: Machine[] = [];
  for (let i = 0; i < tenant.count; i++) {
    const m = tenant.machineAt(i);
    if (!MachineCodec.is(m)) throw new Error(`generated machine ${i} does not decode`);
    if (includeInactive || !isInactive(m)) machines.push(m);
  }
  const assets = (noSite ? tenant.assets.map(({ site: _site, ...rest }) => rest) : tenant.assets) as ScannedAsset[];
  const started = performance.now();
  const correlation = correlate(machines.map(noWhereabouts ? withoutWhereabouts : toSourceDevice), assets);
  const edrById = new Map(machines.map((m) => [m.id, edrState(m)] as const));
  const recordIds = [...new Set(machines.map((m) => m.id))]; // correlation's record numbers: ids in first-appearance order
  const coverage = (await coverageByAsset(assets, correlation, (record) => edrById.get(recordIds[record] ?? ""), true)).byAsset;
  const ms = performance.now() - started;
  console.log(`seed ${seed}, ${devices} devices (${machines.length} kept), ${assets.length} scanned assets, correlate+enrich ${ms.toFixed(0)} ms`);

  for (const m of machines) {
    const predicted = correlation.byDevice.get(m.id)?.assetId ?? null;
    const actual = tenant.truth.machines[m.id] ?? null;
    const classes = ["all", ...(tenant.truth.machineClasses[m.id] ?? [])];
    for (const c of classes) {
      const row = rowOf(c);
      row.devices += 1;
      if (predicted !== null) row.matched += 1;
      if (predicted !== null && predicted === actual) row.truePositive += 1;
      else {
        if (predicted !== null) row.falsePositive += 1;
        if (actual !== null) row.falseNegative += 1;
      }
    }
    if (predicted !== actual && wrongMatches.length < 30) {
      const rule = correlation.byDevice.get(m.id)?.rule;
      if (predicted !== null)
        wrongMatches.push(
          `false match: ${m.id.slice(0, 8)} [${classes.join(",")}] → ${predicted} by ${rule} (truly ${actual ?? "none"}, ${tenant.truth.assets[predicted]?.story})`,
        );
      if (actual !== null)
        wrongMatches.push(
          `missed: ${m.id.slice(0, 8)} [${classes.join(",")}] should be ${actual} (${tenant.truth.assets[actual]?.story}, unmatched: ${correlation.unmatched.get(m.id) ?? "?"})`,
        );
    }
  }
  for (const asset of assets) {
    const truth = tenant.truth.assets[asset.id];
    const right = coverage[asset.id] === truth?.verdict;
    const unsafe = !right && coverage[asset.id] === "protected";
    for (const c of ["all", ...(truth?.classes ?? [])]) {
      const row = rowOf(c);
      row.assets += 1;
      if (right) row.verdictsRight += 1;
      if (unsafe) row.unsafe += 1;
    }
    if (!right) {
      const key = `${truth?.story} [${truth?.classes.join(",")}]: truth ${truth?.verdict}, said ${coverage[asset.id]}`;
      wrongVerdicts[key] = (wrongVerdicts[key] ?? 0) + 1;
    }
  }
}

const pct = (a: number, b: number): string => (b === 0 ? "n/a" : `${((100 * a) / b).toFixed(2)}%`);
const cell = (text: string | number, width: number): string => String(text).padStart(width);
console.log(
  `\nseeds ${seeds.join(",")}, ${devices} devices each${noSite ? ", assets without site" : ""}${noWhereabouts ? ", devices without egress or tunnels" : ""}`,
);
console.log(
  `${"class".padEnd(18)}|${cell("devices", 8)} |${cell("matched", 8)} |${cell("precision", 10)} |${cell("recall", 8)} |${cell("assets", 7)} |${cell("verdicts right", 15)} |${cell("unsafe", 7)}`,
);
for (const c of [...CLASS_ORDER, ...[...rows.keys()].filter((k) => !CLASS_ORDER.includes(k))]) {
  const r = rows.get(c) ?? emptyRow();
  console.log(
    `${c.padEnd(18)}|${cell(r.devices, 8)} |${cell(r.matched, 8)} |${cell(pct(r.truePositive, r.truePositive + r.falsePositive), 10)} |${cell(pct(r.truePositive, r.truePositive + r.falseNegative), 8)} |${cell(r.assets, 7)} |${cell(pct(r.verdictsRight, r.assets), 15)} |${cell(r.unsafe, 7)}`,
  );
}
console.log(`(unsafe: verdicts that say protected where the asset is not)`);
for (const [key, n] of Object.entries(wrongVerdicts)
  .sort((a, b) => b[1] - a[1])
  .slice(0, 15))
  console.log(`  wrong verdict ×${n}: ${key}`);
for (const line of wrongMatches.slice(0, 20)) console.log(`  ${line}`);
