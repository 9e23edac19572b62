/**
 * One page's body, from JSON text to what the run keeps of each device: decoded, reduced to
 * correlation's evidence, its sensor state, and its record serialised (all but the head).
 * Pure, and nothing in or out of it but plain data: it runs in the page worker
 * (`page-worker.ts`) or, for small pages, on the main thread (`page-preparer.ts`).
 */
import type { EdrState, ProbeWarning } from "../../contract.js";
import type { SourceDevice } from "../../correlate/types.js";
import { evidenceOf } from "../../correlate/evidence.js";
import { decodeMachine } from "./decode-machine.js";
import { edrState, isInactive, toSourceDevice } from "./device.js";
import { recordTail } from "./record-json.js";

/** One device of a page, ready for the run. */
export interface PreparedDevice {
  /** Defender's machine id. */
  readonly id: string;
  /** What correlation reads. */
  readonly device: SourceDevice;
  /** The sensor state. */
  readonly edr: EdrState;
  /** `healthStatus` is `Inactive` (no signal for 7 days). */
  readonly inactive: boolean;
  /** `lastSeen` as sent (the incremental sync's cursor). */
  readonly lastSeen: string | null;
  /** The record after its head (see `record-json.ts`). */
  readonly tail: string;
}

/** A device that failed to decode: skipped, with a warning naming where it broke. */
export interface InvalidDevice {
  /** Its `id`, when it has a string one (paging still tracks it). */
  readonly id: string | undefined;
  readonly warning: ProbeWarning;
}

/** One item of a page's `value`, in order. */
export type PageItem = PreparedDevice | InvalidDevice;

/** A page worked through, or what is wrong with its body (the caller names the page in the error). */
export type PreparedPage =
  | { readonly ok: true; readonly items: readonly PageItem[]; readonly nextLink: string | null }
  | { readonly ok: false; readonly problem: string };

/** True for an item that decoded. */
export const isPrepared = (item: PageItem): item is PreparedDevice => !("warning" in item);

const idOf = (item: unknown): string | undefined =>
  typeof item === "object" && item !== null && typeof (item as { id?: unknown }).id === "string" ? (item as { id: string }).id : undefined;

/** Works through item `index` of page `pageNumber`. */
export const prepareItem = (item: unknown, pageNumber: number, index: number): PageItem => {
  const decoded = decodeMachine(item, pageNumber, index);
  if ("warning" in decoded) return { id: idOf(item), warning: decoded.warning };
  const m = decoded.machine;
  const device = toSourceDevice(m);
  const evidence = evidenceOf(undefined, device.macs, device.addresses); // names: recordTail parses the one name itself
  return {
    id: m.id,
    device,
    edr: edrState(m),
    inactive: isInactive(m),
    lastSeen: m.lastSeen ?? null,
    tail: recordTail(m, { macs: evidence.macs, addresses: evidence.ips }),
  };
};

/** Parses page `pageNumber`'s body and works through every item of its `value`. */
export const preparePage = (body: string, pageNumber: number): PreparedPage => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return {
      ok: false,
      problem: body.length === 0 ? "the body was empty" : `the body is not JSON (${body.length} bytes, starting ${JSON.stringify(body.slice(0, 20))})`,
    };
  }
  if (typeof parsed !== "object" || parsed === null || !Array.isArray((parsed as { value?: unknown }).value)) {
    return { ok: false, problem: "it has no `value` array" };
  }
  const next = (parsed as { "@odata.nextLink"?: unknown })["@odata.nextLink"];
  const value = (parsed as { value: unknown[] }).value;
  const items: PageItem[] = [];
  for (let index = 0; index < value.length; index++) items.push(prepareItem(value[index], pageNumber, index));
  return { ok: true, items, nextLink: typeof next === "string" ? next : null };
};
