/**
 * The carrier indexes of `candidates.ts`: for every key id of every kind, who carries it on
 * each side (nobody, exactly one device group or asset, or several). The asset side is filled
 * when the correlator is made; the device side once the groups are known. Ids only: nothing
 * here hashes a string.
 */
import { CarrierIndex } from "./key-index.js";
import { KINDS, type KeyLists } from "./key-lists.js";
import type { KeySpace } from "./key-space.js";

/** One carrier index per kind of key, in `KINDS` order (`carriers[MAC]`, …, `carriers[SHORT_IP]`). */
export type Carriers = readonly CarrierIndex[];

/** Empty carrier indexes, one per kind. */
export function emptyCarriers(): Carriers {
  return Array.from({ length: KINDS }, () => new CarrierIndex());
}

/** Records that member `0 … count-1` of `lists` carries each of its keys, on the device side (groups) or the asset side. */
export function addCarriers(carriers: Carriers, lists: KeyLists, count: number, side: "device" | "asset"): void {
  for (let kind = 0; kind < KINDS; kind++) {
    const index = carriers[kind] as CarrierIndex;
    for (let who = 0; who < count; who++) {
      for (let at = lists.start(who, kind), end = lists.end(who, kind); at < end; at++) {
        if (side === "device") index.addDevice(lists.at(at), who);
        else index.addAsset(lists.at(at), who);
      }
    }
  }
}

/** Everything the candidate search reads. */
export interface Indexes {
  /** Key strings (for the keys a match prints), known values, pair tables, the short name of each FQDN. */
  readonly space: KeySpace;
  readonly carriers: Carriers;
  /** Short-name id → 1 when used by FQDNs of more than one domain, on either side. */
  readonly multiDomain: Uint8Array;
  /** Device group → key ids. */
  readonly groups: KeyLists;
  readonly groupCount: number;
  /** Device group → OS family code (0: unknown). */
  readonly groupOs: Uint8Array;
  /** Asset → key ids. */
  readonly assets: KeyLists;
  readonly assetCount: number;
  /** Asset → OS family code (0: unknown). */
  readonly assetOs: { at(asset: number): number };
}
