/**
 * A page handed to an intake on its own, as the first page read: every id is sighted for the
 * first time unless the page repeats it (as the page reader would tell, see `firstSightings`).
 */
import type { DeviceIngest } from "../../src/probes/defender365/ingest.js";
import { firstSightings, type PageItems } from "../../src/probes/defender365/page-items.js";

/** `ingest.takePage(items, pageNumber, …)` with the first sightings of a page read first. */
export const takeFirstPage = (ingest: DeviceIngest, items: PageItems, pageNumber: number): Promise<number> =>
  ingest.takePage(items, pageNumber, firstSightings(items, new Set()));
