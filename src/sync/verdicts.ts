/**
 * The table of every scanned asset's verdict (`summary.coverage.byAsset`), keyed before any
 * verdict is known.
 *
 * Making each of a large scan's asset ids a key is most of what working out the coverage
 * costs (V8 enters each id in its table of property names and the object grows as a
 * dictionary); setting the verdicts once the keys are there is cheap. So the run makes the
 * keys in slices while it waits for pages (see `whileWaiting`), and after the last page only
 * the verdicts are left to set.
 */
import type { CoverageStatus } from "../contract.js";
import type { ScannedAsset } from "../engine/assets.js";

/** Assets keyed per slice of {@link UndecidedVerdicts.step}: a few milliseconds. */
export const ASSETS_KEYED_PER_SLICE = 2_000;

/**
 * A verdict table over a list of assets, keyed a slice at a time, every verdict `undefined`
 * (not decided yet) until `coverageByAsset` sets it: an undecided key tells that function an
 * asset listed twice from one decided already, so that the tally counts each id once.
 */
export class UndecidedVerdicts {
  /** Without a prototype: asset ids are the scan's strings, and `__proto__` or `toString` must be keys like any other. */
  private readonly table: Record<string, CoverageStatus | undefined> = Object.create(null) as Record<string, CoverageStatus | undefined>;
  private keyed = 0;

  constructor(private readonly assets: readonly ScannedAsset[]) {}

  /** Keys the next `count` assets (default {@link ASSETS_KEYED_PER_SLICE}); false once every asset is keyed. */
  step(count: number = ASSETS_KEYED_PER_SLICE): boolean {
    const to = Math.min(this.assets.length, this.keyed + Math.max(1, count));
    for (let a = this.keyed; a < to; a++) this.table[(this.assets[a] as ScannedAsset).id] = undefined;
    this.keyed = to;
    return to < this.assets.length;
  }

  /** The table, every asset keyed (those left are keyed now), in the order of the assets (an id listed twice: once, where it first appears). */
  complete(): Record<string, CoverageStatus | undefined> {
    this.step(Number.POSITIVE_INFINITY);
    return this.table;
  }
}
