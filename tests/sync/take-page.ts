/**
 * Defender's intake for unit tests, and a page handed to it on its own, as the first page
 * read: every id is sighted for the first time unless the page repeats it (as the page reader
 * would tell, see `firstSightings`).
 */
import type { ScannedAsset } from "../../src/engine/assets.js";
import { DeviceIngest } from "../../src/sync/ingest.js";
import { firstSightings, type PageItems } from "../../src/sync/page-items.js";
import { recordFormat } from "../../src/sync/record-json.js";
import { LineSpool } from "../../src/records/spool.js";
import { defender365Source } from "../../src/probes/defender365/index.js";
import type { Machine } from "../../src/probes/defender365/machine.js";

/** Defender's record text. */
export const DEFENDER_FORMAT = recordFormat("defender365", "edr");

/** An intake of Defender machines, as a run of the probe makes it. */
export const defenderIngest = (assets: readonly ScannedAsset[], includeInactive: boolean, spool?: LineSpool): DeviceIngest<Machine> =>
  new DeviceIngest(defender365Source, DEFENDER_FORMAT, assets, includeInactive, Date.now, spool);

/** `ingest.takePage` of page `pageNumber` with `firsts`, its first sightings. */
export const takePage = <Item>(ingest: DeviceIngest<Item>, items: PageItems, pageNumber: number, firsts: Uint8Array): Promise<number> =>
  ingest.takePage({ number: pageNumber, items, firstSightings: firsts });

/** `ingest.takePage` with the first sightings of a page read first. */
export const takeFirstPage = <Item>(ingest: DeviceIngest<Item>, items: PageItems, pageNumber: number): Promise<number> =>
  takePage(ingest, items, pageNumber, firstSightings(items, new Set()));
