/**
 * Device records and assets as correlation keeps them: parsed once as they arrive, keys as ids
 * in a {@link KeySpace}, per-record facts in flat arrays, and input entries that share an id
 * merged into one, so that the result cannot depend on which came first.
 */
import { evidenceOf } from "./evidence.js";
import { parseIp } from "./ip.js";
import { ByteList, FloatList, IntList } from "../util/growable.js";
import { Interner } from "./interner.js";
import { KeyLists } from "./key-lists.js";
import type { CanonicalAddresses, KeySpace } from "./key-space.js";
import { isServerOs, type OsFamily } from "./os-family.js";
import type { AssetEvidence, SourceDevice } from "./types.js";

/** OS family codes kept per record: 0 for none. */
const OS_CODES: readonly (OsFamily | null)[] = [null, "windows", "apple", "linux", "printer"];

/** The code of an OS family (0 for null). */
const osCode = (family: OsFamily | null): number => OS_CODES.indexOf(family);

/** The family of both records merged: one known family, or none when they differ (as `mergeEvidence` folds them). */
export function mergedOs(a: number, b: number): number {
  if (a === 0) return b;
  if (b === 0 || a === b) return a;
  return 0;
}

/** ms since the epoch, or -Infinity. `Date.parse` reads Defender's 0–7 fractional digits. */
function millis(iso: string | null): number {
  if (iso === null) return Number.NEGATIVE_INFINITY;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
}

/** True for the char code of a decimal digit. */
const isDigit = (code: number): boolean => code >= 0x30 && code <= 0x39;

/**
 * The part of the time `iso` (one `Date.parse` reads) finer than a millisecond, in 100-ns ticks
 * (0–9,999): its fraction's fourth to seventh digits (Defender writes up to seven), 0 when it
 * has none. With the milliseconds it orders two reports of the same millisecond.
 */
export function subMillisecondTicks(iso: string): number {
  const dot = iso.indexOf(".", iso.indexOf("T"));
  if (dot < 0) return 0;
  let end = dot + 1;
  while (isDigit(iso.charCodeAt(end))) end++;
  const digits = end - dot - 1;
  let ticks = 0;
  for (let digit = 3; digit < 7; digit++) ticks = ticks * 10 + (digit < digits ? iso.charCodeAt(dot + 1 + digit) - 0x30 : 0);
  return ticks;
}

/** The smaller of two optional ids, null only when both are null. */
function minId(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a < b ? a : b;
}

/** One entry's own identifiers, canonical: its names as printed (see `Evidence.names`), MACs and IPs. */
export interface RecordIdentifiers extends CanonicalAddresses {
  readonly names: readonly string[];
}

/** The records of one side: ids in first-appearance order, their key lists and OS families. */
class Side {
  /** Id → record index, in first-appearance order; its lookup part is dropped by `seal`. */
  private readonly records = new Interner();
  /** Record index → its key ids. */
  readonly lists = new KeyLists();
  /** Record index → OS family code (0: unknown). */
  readonly os = new ByteList();

  constructor(protected readonly space: KeySpace) {}

  /** Record index → id (the input's string). */
  get ids(): readonly string[] {
    return this.records.keys;
  }

  /** Number of records. */
  get size(): number {
    return this.records.size;
  }

  /** Parses one entry and files it under its id: a new record, or merged into the one with that id. `more`: addresses besides `raw.addresses`. */
  protected file(
    id: string,
    raw: AssetEvidence,
    side: "device" | "asset",
    more?: readonly string[],
  ): { record: number; isNew: boolean; keys: RecordIdentifiers } {
    const evidence = evidenceOf(raw.names, raw.macs, raw.addresses, raw.os, side, more);
    const count = this.records.size;
    const record = this.records.intern(id);
    const isNew = record === count;
    if (isNew) this.os.push(osCode(evidence.os));
    else this.os.set(record, mergedOs(this.os.at(record), osCode(evidence.os)));
    const { macs, ips } = this.space.write(this.lists, record, evidence, !isNew);
    return { record, isNew, keys: { names: evidence.names, macs, ips } };
  }

  /** Drops the id → record lookup (no record can be added or looked up afterwards). */
  seal(): void {
    this.records.seal();
  }

  /** The record index of id `id`, if added (only before `seal`). */
  recordOf(id: string): number | undefined {
    const record = this.records.find(id);
    return record === -1 ? undefined : record;
  }
}

/** Assets, parsed; assets with the same id are merged (union of identifiers). Order: first appearance. */
export class AssetTable extends Side {
  /** Position of each asset added (0, 1, 2, …) → its record: positions with the same id share one. */
  readonly recordOfPosition = new IntList();

  /** Asset → id of its `site` among the networks (`KeySpace.networks`), -1 when it has none (merged assets: the first given). */
  readonly site = new IntList();

  /** Adds one asset. */
  add(asset: AssetEvidence): void {
    const { record, isNew } = this.file(asset.id, asset, "asset");
    this.recordOfPosition.push(record);
    const site = typeof asset.site === "string" ? this.space.networks.intern(`s:${asset.site}`) : -1;
    if (isNew) this.site.push(site);
    else if (this.site.at(record) === -1) this.site.set(record, site);
  }
}

/**
 * Device records, parsed as they arrive. Records with the same id are merged: the union of
 * their identifiers, the newest `lastSeen`, the smallest non-null `mergedIntoId`,
 * `potentialDuplicate` if any says so. Order: first appearance.
 */
export class DeviceTable extends Side {
  /** Record index → `lastSeen` in ms since the epoch; -Infinity when absent or unreadable. */
  readonly lastSeenMs = new FloatList();
  /**
   * Record index → `lastSeen`'s part finer than a millisecond ({@link subMillisecondTicks}).
   * Numbers, not the source's strings, which would be held until the run ends.
   */
  readonly lastSeenTicks = new IntList();
  /** Record index → 1 when the source flags it as a potential duplicate. */
  readonly potentialDuplicate = new ByteList();
  /** Record index → the id it was merged into, for the (few) records that have one other than their own. */
  readonly mergedInto = new Map<number, string>();
  /** Record index → id of its egress in `KeySpace.egress` ({@link EGRESS_UNKNOWN} when the source does not say, {@link EGRESS_NONE} when it says there is none). */
  readonly egress = new IntList();
  /** Record index → 1 when it reported through a VPN or dial-up tunnel (`SourceDevice.tunnelAddresses`). */
  readonly offSite = new ByteList();
  /** Record index → 1 when its OS is a server edition ({@link isServerOs}): its address is assigned, not leased. */
  readonly server = new ByteList();

  /** Adds one record; returns its own canonical names, MACs and IPs. */
  add(device: SourceDevice): RecordIdentifiers {
    const { record, isNew, keys } = this.file(device.id, device, "device", device.tunnelAddresses);
    const ms = millis(device.lastSeen);
    const ticks = device.lastSeen === null || ms === Number.NEGATIVE_INFINITY ? 0 : subMillisecondTicks(device.lastSeen);
    const mergedIntoId = device.mergedIntoId === device.id ? null : device.mergedIntoId;
    const egress = this.egressOf(device);
    const offSite = this.markTunnels(device.tunnelAddresses);
    if (isNew) {
      this.lastSeenMs.push(ms);
      this.lastSeenTicks.push(ticks);
      this.potentialDuplicate.push(device.potentialDuplicate ? 1 : 0);
      this.egress.push(egress);
      this.offSite.push(offSite);
      this.server.push(isServerOs(device.os) ? 1 : 0);
      if (mergedIntoId !== null) this.mergedInto.set(record, mergedIntoId);
      return keys;
    }
    const seenMs = this.lastSeenMs.at(record);
    const newer = seenMs !== ms ? ms > seenMs : ticks > this.lastSeenTicks.at(record);
    if (newer) {
      this.lastSeenMs.set(record, ms);
      this.lastSeenTicks.set(record, ticks);
    }
    // Where it reported from: the newer entry's word, or the one that says anything.
    if (newer ? egress !== EGRESS_UNKNOWN : this.egress.at(record) === EGRESS_UNKNOWN) this.egress.set(record, egress);
    if (offSite === 1) this.offSite.set(record, 1);
    if (newer) this.server.set(record, isServerOs(device.os) ? 1 : 0);
    if (device.potentialDuplicate) this.potentialDuplicate.set(record, 1);
    const target = minId(this.mergedInto.get(record) ?? null, mergedIntoId);
    if (target !== null) this.mergedInto.set(record, target);
    return keys;
  }

  /** The id of the device's first usable egress address, or what it says when it has none. */
  private egressOf(device: SourceDevice): number {
    if (device.egress === undefined) return EGRESS_UNKNOWN;
    for (const raw of device.egress) {
      const ip = parseIp(raw);
      if (ip !== null) return this.space.egress.intern(ip);
    }
    return EGRESS_NONE;
  }

  /** Marks the device's tunnel addresses (interned by `file`, as addresses); 1 when it has one. */
  private markTunnels(tunnelAddresses: readonly string[] | undefined): number {
    let offSite = 0;
    for (const raw of tunnelAddresses ?? []) {
      const ip = parseIp(raw);
      const id = ip === null ? -1 : this.space.ips.find(ip);
      if (id < 0) continue;
      this.space.tunnelIp.set(id, 1);
      offSite = 1;
    }
    return offSite;
  }
}

/** `DeviceTable.egress` of a record whose source does not say where it reported from. */
export const EGRESS_UNKNOWN = -2;
/** `DeviceTable.egress` of a record whose source says it has no egress (Defender: a discovered device). */
export const EGRESS_NONE = -1;
