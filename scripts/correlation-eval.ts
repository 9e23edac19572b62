/**
 * Correlation quality on a labelled simulated tenant: precision and recall of the matches
 * and the accuracy of every EDR verdict, against the generator's ground truth.
 *
 *   node --import tsx scripts/correlation-eval.ts [--devices 20000] [--seed 1]
 *
 * Runs the correlation and enrichment in-process (no network): the same pure code the
 * probe runs after its pages are read.
 */
import { parseArgs } from "node:util";
import { generateTenant } from "../src/simulator/index.js";
import { correlate } from "../src/correlate/index.js";
import { MachineCodec, type Machine } from "../src/probes/defender365/machine.js";
import { edrState, isInactive, toSourceDevice } from "../src/probes/defender365/device.js";
import { coverageByAsset } from "../src/probes/defender365/enrich.js";
import type { ScannedAsset } from "../src/assets.js";

const { values } = parseArgs({
  options: { devices: { type: "string", default: "20000" }, seed: { type: "string", default: "1" }, "include-inactive": { type: "boolean", default: false } },
});
const devices = Number(values.devices);
const seed = Number(values.seed);
const includeInactive = values["include-inactive"] === true;

const tenant = generateTenant({ seed, devices, assets: true });
const machines: Machine[] = [];
for (let i = 0; i < tenant.count; i++) {
  const m = tenant.machineAt(i);
  if (!MachineCodec.is(m)) throw new Error(`generated machine ${i} does not decode`);
  if (includeInactive || !isInactive(m)) machines.push(m);
}
const assets = tenant.assets as ScannedAsset[];
const started = performance.now();
const correlation = correlate(machines.map(toSourceDevice), assets);
const edrById = new Map(machines.map((m) => [m.id, edrState(m)] as const));
const recordIds = [...new Set(machines.map((m) => m.id))]; // correlation's record numbers: ids in first-appearance order
const coverage = (await coverageByAsset(assets, correlation, (record) => edrById.get(recordIds[record] ?? ""), true)).byAsset;
const ms = performance.now() - started;

let truePositive = 0;
let falsePositive = 0;
let falseNegative = 0;
const wrongMatches: string[] = [];
for (const m of machines) {
  const predicted = correlation.byDevice.get(m.id)?.assetId ?? null;
  const actual = tenant.truth.machines[m.id] ?? null;
  if (predicted !== null && predicted === actual) truePositive += 1;
  else {
    if (predicted !== null) {
      falsePositive += 1;
      wrongMatches.push(`false match: ${m.id.slice(0, 8)} → ${predicted} (truly ${actual ?? "none"}, ${tenant.truth.assets[predicted]?.story})`);
    }
    if (actual !== null) {
      falseNegative += 1;
      wrongMatches.push(
        `missed: ${m.id.slice(0, 8)} should be ${actual} (${tenant.truth.assets[actual]?.story}, unmatched: ${correlation.unmatched.get(m.id) ?? "?"})`,
      );
    }
  }
}
let verdictsRight = 0;
let unsafe = 0; // said protected where the truth is not: the error that hides an unprotected device
const wrongVerdicts: Record<string, number> = {};
for (const asset of assets) {
  const truth = tenant.truth.assets[asset.id];
  if (coverage[asset.id] === truth?.verdict) verdictsRight += 1;
  else {
    if (coverage[asset.id] === "protected") unsafe += 1;
    const key = `${truth?.story}: truth ${truth?.verdict}, said ${coverage[asset.id]}`;
    wrongVerdicts[key] = (wrongVerdicts[key] ?? 0) + 1;
  }
}
const pct = (a: number, b: number) => (b === 0 ? "n/a" : `${((100 * a) / b).toFixed(2)}%`);
console.log(`seed ${seed}, ${devices} devices (${machines.length} kept), ${assets.length} scanned assets, correlate+enrich ${ms.toFixed(0)} ms`);
console.log(`precision ${pct(truePositive, truePositive + falsePositive)} (${falsePositive} false matches)`);
console.log(`recall    ${pct(truePositive, truePositive + falseNegative)} (${falseNegative} missed matches)`);
console.log(
  `verdicts  ${pct(verdictsRight, assets.length)} right (${assets.length - verdictsRight} wrong; ${unsafe} of them say protected where the asset is not)`,
);
for (const [key, n] of Object.entries(wrongVerdicts)) console.log(`  wrong verdict ×${n}: ${key}`);
for (const line of wrongMatches.slice(0, 20)) console.log(`  ${line}`);
