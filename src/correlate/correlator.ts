/**
 * Incremental correlation: the assets are indexed when the correlator is made, devices are
 * parsed as they arrive (page by page, while the next page downloads), and `finish` decides.
 * `correlate` is the one-shot form of the same thing.
 */
import { correlate } from "./correlate.js";
import { evidenceOf } from "./evidence.js";
import type { AssetEvidence, CorrelationResult, SourceDevice } from "./types.js";

/** A device's identifiers in canonical form, noise dropped, repeats removed, in input order: what its record carries. */
export interface ParsedIdentifiers {
  /** Canonical MACs (`aa:bb:cc:dd:ee:ff`). */
  readonly macs: readonly string[];
  /** Canonical IP addresses. */
  readonly addresses: readonly string[];
}

/** Correlation fed one device at a time. */
export interface Correlator {
  /** Parses and indexes one device record; returns its canonical identifiers. Records with an id already added are merged, as `correlate` does. */
  addDevice(device: SourceDevice): ParsedIdentifiers;
  /** Decides every match. Call once; the correlator is spent afterwards. */
  finish(): CorrelationResult;
}

/** A correlator over `assets` (see {@link correlate} for the rules). */
export function createCorrelator(assets: readonly AssetEvidence[]): Correlator {
  const devices: SourceDevice[] = [];
  return {
    addDevice(device) {
      devices.push(device);
      const evidence = evidenceOf(device.names, device.macs, device.addresses, device.os);
      return { macs: evidence.macs, addresses: evidence.ips };
    },
    finish: () => correlate(devices, assets),
  };
}
