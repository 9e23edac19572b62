/**
 * The hash indexes of `candidates.ts`: every key of both sides interned once to a dense id per
 * kind, who carries each id, and each side's keys as id lists. Built once per run; nothing
 * after this step hashes a string.
 */
import type { Evidence } from "./evidence.js";
import { isKnownSharedIp, isKnownSharedMac } from "./known-shared.js";
import { CarrierIndex, Interner } from "./key-index.js";
import { PairTable } from "./pair-table.js";

/** Key ids of one kind for every member of a side: member `i` holds `ids[start[i]] … ids[start[i+1]-1]`. */
export interface IdLists {
  readonly start: Int32Array;
  readonly ids: readonly number[];
}

/** One side's key ids, kind by kind. */
export interface SideIds {
  readonly macs: IdLists;
  readonly ips: IdLists;
  readonly fqdns: IdLists;
  readonly shorts: IdLists;
}

/** One interner and one carrier index per kind of key; composite `name + IP` keys are pairs of ids. */
export interface Indexes {
  readonly macKeys: Interner;
  readonly ipKeys: Interner;
  readonly fqdnKeys: Interner;
  readonly shortKeys: Interner;
  readonly fqdnIpKeys: PairTable;
  readonly shortIpKeys: PairTable;
  readonly mac: CarrierIndex;
  readonly ip: CarrierIndex;
  readonly fqdn: CarrierIndex;
  readonly short: CarrierIndex;
  readonly fqdnIp: CarrierIndex;
  readonly shortIp: CarrierIndex;
  /** MAC id → a vendor-fixed virtual-adapter MAC ({@link isKnownSharedMac}). */
  readonly knownMac: readonly boolean[];
  /** IP id → a default virtual-adapter address ({@link isKnownSharedIp}). */
  readonly knownIp: readonly boolean[];
  /** Short-name id → used by FQDNs of more than one domain, on either side. */
  readonly multiDomain: Uint8Array;
  readonly devices: SideIds;
  readonly assets: SideIds;
}

/** Appends one member's ids of one kind to growing lists. */
class ListBuilder {
  readonly start: Int32Array;
  readonly ids: number[] = [];
  constructor(members: number) {
    this.start = new Int32Array(members + 1);
  }
  /** Closes member `who`'s list. */
  close(who: number): void {
    this.start[who + 1] = this.ids.length;
  }
}

/** Interns a list of strings, recording each new id's verdict of `known` in `flags`. */
function internAll(interner: Interner, values: readonly string[], into: number[], flags?: { list: boolean[]; known: (value: string) => boolean }): void {
  for (const value of values) {
    const id = interner.intern(value);
    if (flags !== undefined && id === flags.list.length) flags.list.push(flags.known(value));
    into.push(id);
  }
}

/** Builds every index from both sides (see the module comment). */
export function buildIndexes(groups: readonly Evidence[], assets: readonly Evidence[]): Indexes {
  const macKeys = new Interner();
  const ipKeys = new Interner();
  const fqdnKeys = new Interner();
  const shortKeys = new Interner();
  const fqdnIpKeys = new PairTable();
  const shortIpKeys = new PairTable();
  const mac = new CarrierIndex();
  const ip = new CarrierIndex();
  const fqdn = new CarrierIndex();
  const short = new CarrierIndex();
  const fqdnIp = new CarrierIndex();
  const shortIp = new CarrierIndex();
  const knownMac: boolean[] = [];
  const knownIp: boolean[] = [];
  const usableIps: number[] = [];

  const side = (members: readonly Evidence[], isDevice: boolean): SideIds => {
    const lists = {
      macs: new ListBuilder(members.length),
      ips: new ListBuilder(members.length),
      fqdns: new ListBuilder(members.length),
      shorts: new ListBuilder(members.length),
    };
    const add = isDevice
      ? (idx: CarrierIndex, id: number, who: number) => idx.addDevice(id, who)
      : (idx: CarrierIndex, id: number, who: number) => idx.addAsset(id, who);
    members.forEach((e, who) => {
      const m0 = lists.macs.ids.length;
      internAll(macKeys, e.macs, lists.macs.ids, { list: knownMac, known: isKnownSharedMac });
      for (let i = m0; i < lists.macs.ids.length; i++) add(mac, lists.macs.ids[i] ?? 0, who);
      const i0 = lists.ips.ids.length;
      internAll(ipKeys, e.ips, lists.ips.ids, { list: knownIp, known: isKnownSharedIp });
      usableIps.length = 0;
      for (let i = i0; i < lists.ips.ids.length; i++) {
        const id = lists.ips.ids[i] ?? 0;
        add(ip, id, who);
        if (knownIp[id] !== true) usableIps.push(id);
      }
      const f0 = lists.fqdns.ids.length;
      internAll(fqdnKeys, e.fqdns, lists.fqdns.ids);
      for (let i = f0; i < lists.fqdns.ids.length; i++) {
        const id = lists.fqdns.ids[i] ?? 0;
        add(fqdn, id, who);
        for (const ipId of usableIps) add(fqdnIp, fqdnIpKeys.intern(id, ipId), who);
      }
      const s0 = lists.shorts.ids.length;
      internAll(shortKeys, e.shorts, lists.shorts.ids);
      for (let i = s0; i < lists.shorts.ids.length; i++) {
        const id = lists.shorts.ids[i] ?? 0;
        add(short, id, who);
        for (const ipId of usableIps) add(shortIp, shortIpKeys.intern(id, ipId), who);
      }
      lists.macs.close(who);
      lists.ips.close(who);
      lists.fqdns.close(who);
      lists.shorts.close(who);
    });
    return lists;
  };
  const devices = side(groups, true);
  const assetIds = side(assets, false);

  // Short names of two or more distinct FQDNs (the short name of an FQDN is its first label).
  const shortOfFqdn = fqdnKeys.keys.map((name) => shortKeys.intern(name.slice(0, name.indexOf("."))));
  const firstFqdnOfShort = new Int32Array(shortKeys.keys.length).fill(-1);
  const multiDomain = new Uint8Array(shortKeys.keys.length);
  shortOfFqdn.forEach((shortId, fqdnId) => {
    if (firstFqdnOfShort[shortId] === -1) firstFqdnOfShort[shortId] = fqdnId;
    else multiDomain[shortId] = 1;
  });

  return {
    macKeys,
    ipKeys,
    fqdnKeys,
    shortKeys,
    fqdnIpKeys,
    shortIpKeys,
    mac,
    ip,
    fqdn,
    short,
    fqdnIp,
    shortIp,
    knownMac,
    knownIp,
    multiDomain,
    devices,
    assets: assetIds,
  };
}
