/**
 * Every canonical key of both sides, interned once to a dense id per kind, with what is known
 * of each id from its text alone (a vendor-fixed virtual-adapter value; the short name of an
 * FQDN). Filled as records arrive (assets first, then devices one by one); after that, nothing
 * hashes a key string again.
 */
import type { Evidence } from "./evidence.js";
import { ByteList, IntList } from "../util/growable.js";
import { Interner } from "./interner.js";
import { FQDN, IP, MAC, SHORT, type KeyLists } from "./key-lists.js";
import { isKnownSharedIp, isKnownSharedMac } from "./known-shared.js";
import { PairTable } from "./pair-table.js";

/** A record's canonical MACs and IPs, as the interned string instances (shared by every record that carries them). */
export interface CanonicalAddresses {
  readonly macs: string[];
  readonly ips: string[];
}

/** Interners for the four kinds of keys, the `name + IP` pair tables, and per-id facts. */
export class KeySpace {
  readonly macs = new Interner();
  readonly ips = new Interner();
  readonly fqdns = new Interner();
  readonly shorts = new Interner();
  /** (FQDN id, IP id) pairs. */
  readonly fqdnIps = new PairTable();
  /** (short-name id, IP id) pairs. */
  readonly shortIps = new PairTable();
  /** MAC id → 1 for a vendor-fixed virtual-adapter MAC ({@link isKnownSharedMac}). */
  readonly knownMac = new ByteList();
  /** IP id → 1 for a default virtual-adapter address ({@link isKnownSharedIp}). */
  readonly knownIp = new ByteList();
  /** FQDN id → id of its first label among the short names. */
  readonly shortOfFqdn = new IntList();
  /** IP id → 1 when a device reported it on a VPN or dial-up adapter that was up (`SourceDevice.tunnelAddresses`). */
  readonly tunnelIp = new ByteList();
  /** Egress addresses of devices (`SourceDevice.egress`), canonical: ids for `DeviceTable.egress`. */
  readonly egress = new Interner();
  /** Networks assets were found in: each `site` as `s:…`, subnets as `n:…` (see `site-evidence.ts`). */
  readonly networks = new Interner();

  /**
   * Writes `evidence` as member `member`'s lists in `lists` (its key lists' values become their
   * interned instances): its MAC, IP, FQDN and short-name
   * ids, then its `name + IP` pair ids (every FQDN and short name with every IP that is not a
   * known virtual-adapter value). With `merge` (for a record merged with an earlier one of the
   * same id, already in `lists`), writes the union: the member's previous ids first, then new
   * ones, as `mergeEvidence` orders them. Returns the record's own MACs and IPs, canonical.
   */
  write(lists: KeyLists, member: number, evidence: Evidence, merge = false): CanonicalAddresses {
    const old = merge ? [MAC, IP, FQDN, SHORT].map((kind) => [lists.start(member, kind), lists.end(member, kind)] as const) : [];
    lists.open(member);
    const macs = this.kind(lists, evidence.macs, this.macs, old[MAC], this.onNewMac);
    const ipFrom = lists.position;
    const ips = this.kind(lists, evidence.ips, this.ips, old[IP], this.onNewIp);
    const ipTo = lists.position;
    this.kind(lists, evidence.fqdns, this.fqdns, old[FQDN], this.onNewFqdn);
    const fqdnTo = lists.position;
    this.kind(lists, evidence.shorts, this.shorts, old[SHORT]);
    const shortTo = lists.position;
    this.writePairs(lists, ipFrom, ipTo, fqdnTo, shortTo);
    return { macs, ips };
  }

  /**
   * Drops every key string and per-id fact (their memory), once the decision reads ids only:
   * at a million records the key strings are hundreds of megabytes, and the result is then
   * built in their room. Nothing can be interned or looked up afterwards.
   */
  release(): void {
    for (const interner of [this.macs, this.ips, this.fqdns, this.shorts, this.egress, this.networks]) interner.release();
    this.fqdnIps.release();
    this.shortIps.release();
  }

  /** Short-name id → 1 when FQDNs of more than one domain share it as their first label. */
  multiDomain(): Uint8Array {
    const flags = new Uint8Array(this.shorts.keys.length);
    const firstFqdn = new Int32Array(this.shorts.keys.length).fill(-1);
    for (let fqdn = 0; fqdn < this.shortOfFqdn.length; fqdn++) {
      const short = this.shortOfFqdn.at(fqdn);
      if (firstFqdn[short] === -1) firstFqdn[short] = fqdn;
      else flags[short] = 1;
    }
    return flags;
  }

  /**
   * Writes one kind: the previous ids (positions `old`), then each value's id unless already
   * there. Replaces each value in `values` with its interned instance (equal text, one string
   * shared by every record that carries it) and returns `values`.
   */
  private kind(
    lists: KeyLists,
    values: string[],
    interner: Interner,
    old: readonly [number, number] | undefined,
    onNew?: (value: string, id: number) => void,
  ): string[] {
    const from = lists.position;
    if (old !== undefined) for (let i = old[0]; i < old[1]; i++) lists.push(lists.at(i));
    for (let v = 0; v < values.length; v++) {
      const value = values[v] as string;
      const known = interner.keys.length;
      const id = interner.intern(value);
      if (id === known) onNew?.(value, id);
      else values[v] = interner.keys[id] ?? value;
      if (old === undefined || !lists.has(from, lists.position, id)) lists.push(id);
    }
    lists.endKind();
    return values;
  }

  /**
   * Writes the `name + IP` kinds of the member being written in `lists`: every FQDN (positions
   * `ipTo … fqdnTo-1`) and then every short name (`fqdnTo … shortTo-1`) with every IP
   * (`ipFrom … ipTo-1`) that is not a known virtual-adapter value. Ends both kinds.
   */
  writePairs(lists: KeyLists, ipFrom: number, ipTo: number, fqdnTo: number, shortTo: number): void {
    this.pairs(lists, this.fqdnIps, ipTo, fqdnTo, ipFrom, ipTo);
    this.pairs(lists, this.shortIps, fqdnTo, shortTo, ipFrom, ipTo);
  }

  /** Writes the pair ids of every name at positions `namesFrom … namesTo-1` with every usable IP, then ends the kind. */
  private pairs(lists: KeyLists, table: PairTable, namesFrom: number, namesTo: number, ipsFrom: number, ipsTo: number): void {
    for (let n = namesFrom; n < namesTo; n++) {
      const name = lists.at(n);
      for (let i = ipsFrom; i < ipsTo; i++) {
        const ip = lists.at(i);
        if (this.knownIp.at(ip) === 0) lists.push(table.intern(name, ip));
      }
    }
    lists.endKind();
  }

  private readonly onNewMac = (value: string): void => this.knownMac.push(isKnownSharedMac(value) ? 1 : 0);
  private readonly onNewIp = (value: string): void => {
    this.knownIp.push(isKnownSharedIp(value) ? 1 : 0);
    this.tunnelIp.push(0);
  };
  private readonly onNewFqdn = (value: string): void => this.shortOfFqdn.push(this.shorts.intern(value.slice(0, value.indexOf("."))));
}
