/**
 * Incremental correlation: the assets are parsed and indexed when the correlator is made,
 * devices are parsed and their keys interned as they arrive (page by page, while the next page
 * downloads), and `finish` decides, on ids only. `correlate` is the one-shot form of the same
 * thing.
 */
import { decide, decidePausing, type Parsed } from "./decide.js";
import { addCarriers, emptyCarriers } from "./indexes.js";
import { KeySpace } from "./key-space.js";
import { AssetTable, DeviceTable } from "./records.js";
import { runSteps, runStepsPausing, type Steps } from "./steps.js";
import type { AssetEvidence, CorrelationResult, SourceDevice } from "./types.js";

/** A device's identifiers in canonical form, noise dropped, repeats removed, in input order: what its record carries. */
export interface ParsedIdentifiers {
  /** Usable names as printed: lowercase, the FQDN or else the short name (see `parseHostname`). */
  readonly names: readonly string[];
  /** Canonical MACs (`aa:bb:cc:dd:ee:ff`). */
  readonly macs: readonly string[];
  /** Canonical IP addresses. */
  readonly addresses: readonly string[];
}

/** Correlation fed one device at a time. */
export interface Correlator {
  /**
   * Parses one device record and interns its keys; returns its canonical identifiers (the
   * interned string instances, shared with every other record that carries them). Records with
   * an id already added are merged, as `correlate` does. Throws once `finish` was called.
   */
  addDevice(device: SourceDevice): ParsedIdentifiers;
  /** Decides every match. Call once: the correlator is spent afterwards (its memory released; further calls throw). */
  finish(): CorrelationResult;
  /**
   * {@link finish}, with `pause()` awaited between the decision's steps so that the event loop
   * turns (see `decidePausing`). A pause that rejects stops it; the correlator is spent either way.
   */
  finishPausing(pause: () => Promise<void>): Promise<CorrelationResult>;
}

/** A correlator over `assets` (see `correlate` for the rules): parses and indexes them now. */
export function createCorrelator(assets: readonly AssetEvidence[]): Correlator {
  return runSteps(correlatorInSteps(assets, ASSETS_PER_SLICE));
}

/** Assets indexed between two pauses of {@link createCorrelatorPausing} (a few milliseconds of work). */
export const ASSETS_PER_SLICE = 2_000;

/**
 * {@link createCorrelator}, with the asset indexing cut into slices of `perSlice` assets
 * (default {@link ASSETS_PER_SLICE}) and `pause()` awaited before each slice and before the
 * final indexing step, so that the event loop keeps
 * turning (requests go out, pages download) while a large scan's assets are indexed (seconds at
 * a million assets). The result is the same correlator.
 */
export function createCorrelatorPausing(
  assets: readonly AssetEvidence[],
  pause: () => Promise<void>,
  perSlice: number = ASSETS_PER_SLICE,
): Promise<Correlator> {
  return runStepsPausing(correlatorInSteps(assets, perSlice), pause);
}

/** The correlator over `assets` as a generator: it yields before each slice of `perSlice` assets and before the final indexing step. */
function* correlatorInSteps(assets: readonly AssetEvidence[], perSlice: number): Steps<Correlator> {
  const space = new KeySpace();
  const assetTable = new AssetTable(space);
  const step = Math.max(1, Math.floor(perSlice));
  for (let from = 0; from < assets.length; from += step) {
    yield;
    const to = Math.min(assets.length, from + step);
    for (let k = from; k < to; k++) assetTable.add(assets[k] as AssetEvidence);
  }
  yield;
  return correlatorOver(space, assetTable);
}

/** The correlator once every asset is in `assetTable`: seals it and indexes its keys. */
function correlatorOver(space: KeySpace, assetTable: AssetTable): Correlator {
  assetTable.seal();
  const carriers = emptyCarriers();
  addCarriers(carriers, assetTable.lists, assetTable.size, "asset");
  let parsed: Parsed | undefined = { space, assets: assetTable, carriers, devices: new DeviceTable(space) };

  const live = (): Parsed => {
    if (parsed === undefined) throw new Error("Correlator: finish() was already called");
    return parsed;
  };
  return {
    addDevice(device) {
      const { names, macs, ips } = live().devices.add(device);
      return { names, macs, addresses: ips };
    },
    finish() {
      const spent = live();
      parsed = undefined;
      return decide(spent);
    },
    async finishPausing(pause) {
      const spent = live();
      parsed = undefined;
      return await decidePausing(spent, pause);
    },
  };
}
