/**
 * What the devices that failed decoding could still be: the identifiers readable in them.
 *
 * An undecodable device is left out of correlation (its record would be a guess), but it is
 * still a device of the source, perhaps the one that protects a scanned asset. An asset it
 * could have matched gets no verdict short of `protected` from a run that could not read it:
 * `unknown`, not `missing`. "Could have matched" is read loosely, so that it errs towards
 * `unknown`: any host name (short name), IP or MAC in common, whatever correlation's rules
 * would decide. A device whose identifiers the source could not read could be any asset's, and
 * so could one that shows none correlation could use: a record that failed decoding may keep
 * them where the probe does not look (keys renamed, say).
 */
import type { ScannedAsset } from "../engine/assets.js";
import { parseHostname, parseIp, parseMac } from "../correlate/index.js";
import type { InvalidItemIdentifiers } from "./source.js";

type Kind = "name" | "address" | "mac";

/** The canonical key of `raw` as correlation would parse it, or null when it parses as none. */
const keyOf = (kind: Kind, raw: string): string | null => {
  switch (kind) {
    case "name":
      return parseHostname(raw)?.short ?? null;
    case "address":
      return parseIp(raw);
    case "mac":
      return parseMac(raw);
  }
};

/** The devices of one run that failed decoding, as far as correlation could have used them. */
export class UndecodableDevices {
  /** Devices taken. */
  private taken = 0;
  /** True once a device was taken whose identifiers could not be read: any asset could be its. */
  private unreadable = false;
  private readonly keys: Record<Kind, Set<string>> = { name: new Set(), address: new Set(), mac: new Set() };

  /** How many devices failed decoding. */
  get count(): number {
    return this.taken;
  }

  /** True when some device's identifiers could not be read, so that every asset without a healthy match is `unknown`. */
  get anyAsset(): boolean {
    return this.unreadable;
  }

  /** Takes the identifiers of one device that failed decoding; null: they could not be read. */
  add(identifiers: InvalidItemIdentifiers | null): void {
    this.taken += 1;
    const keys =
      identifiers === null ? 0 : this.addAll("name", identifiers.names) + this.addAll("address", identifiers.addresses) + this.addAll("mac", identifiers.macs);
    if (keys === 0) this.unreadable = true;
  }

  /** Adds the keys of `raws`; returns how many parsed as one. */
  private addAll(kind: Kind, raws: readonly string[]): number {
    let keys = 0;
    for (const raw of raws) {
      const key = keyOf(kind, raw);
      if (key === null) continue;
      this.keys[kind].add(key);
      keys += 1;
    }
    return keys;
  }

  /** True when a device that failed decoding could be `asset`'s (see the module comment). */
  couldBe(asset: ScannedAsset): boolean {
    if (this.unreadable) return true;
    if (this.taken === 0) return false;
    const any = (kind: Kind, raws: readonly string[] | undefined): boolean => {
      if (raws === undefined || this.keys[kind].size === 0) return false;
      for (const raw of raws) {
        const key = keyOf(kind, raw);
        if (key !== null && this.keys[kind].has(key)) return true;
      }
      return false;
    };
    return any("name", asset.names) || any("address", asset.addresses) || any("mac", asset.macs);
  }
}
