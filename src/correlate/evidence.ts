/**
 * The canonical keys of one device record or asset: raw identifiers parsed (noise dropped),
 * deduplicated. Internal to correlation.
 */
import { parseHostname } from "./hostname.js";
import { parseIp } from "./ip.js";
import { parseMac } from "./mac.js";
import { osFamilyOf, type OsFamily } from "./os-family.js";

/**
 * Canonical keys, each list without repeats. The key lists are fresh for each call and are
 * the evidence's own: `KeySpace.write` replaces their values with the interned instances.
 */
export interface Evidence {
  /** Each usable name as a record prints it: the FQDN, or the short name when it has no dot. */
  readonly names: readonly string[];
  readonly macs: string[];
  readonly ips: string[];
  /** Full names (with a dot). */
  readonly fqdns: string[];
  /** First labels of every name, FQDN or not, and the NetBIOS keys of the names (see {@link netbiosKey}). */
  readonly shorts: string[];
  /** The OS family, when the source says and it is recognisable. */
  readonly os: OsFamily | null;
}

/**
 * A list being filled for one record, in a buffer reused from record to record: lists are
 * short (one record's identifiers), and `take` copies them out at their exact length. Filling a
 * fresh array instead gives each a backing store of 16 or more slots, most of them unused.
 */
class ScratchList {
  private readonly values: string[] = [];
  private used = 0;

  /** Appends `value` unless null or already there. */
  add(value: string | null): void {
    if (value === null) return;
    for (let i = 0; i < this.used; i++) if (this.values[i] === value) return;
    this.values[this.used++] = value;
  }

  /** The list, in an array of its own; the scratch is empty afterwards. */
  take(): string[] {
    const list = this.values.slice(0, this.used);
    this.used = 0;
    return list;
  }
}

const printed = new ScratchList();
const fqdns = new ScratchList();
const shorts = new ScratchList();
const macList = new ScratchList();
const ipList = new ScratchList();

/** Length NetBIOS cuts a computer name to. */
export const NETBIOS_LENGTH = 15;

/** First character of a NetBIOS key: no host name has it, so that the key never equals a short name. */
export const NETBIOS_MARK = "~";

/**
 * The NetBIOS key of a name's first 15 characters: `~ACCOUNTING-WS-0` for `accounting-ws-0042`
 * (and for the scanner's `ACCOUNTING-WS-0`). Kept among the short names, a kind of its own there.
 */
export const netbiosKey = (short: string): string => NETBIOS_MARK + short.slice(0, NETBIOS_LENGTH).toUpperCase();

/** True when an interned short-name key is a NetBIOS key. */
export const isNetbiosKey = (key: string): boolean => key.charCodeAt(0) === 0x7e;

/**
 * Parses raw identifiers into evidence. Unparseable values and noise are dropped.
 *
 * NetBIOS names (`side`): a scanner reports a host's short name upper-cased and cut at 15
 * characters, so a device's short name of 15 characters or more also carries the NetBIOS key of
 * its first 15, and an asset's name of exactly 15 characters without a domain is taken as a
 * NetBIOS name: it carries that key instead of a short name (it may be cut; a shorter one cannot be).
 */
export function evidenceOf(
  names: readonly string[] | undefined,
  macs: readonly string[] | undefined,
  addresses: readonly string[] | undefined,
  os?: string | null,
  side: "device" | "asset" = "device",
  moreAddresses?: readonly string[],
): Evidence {
  for (const name of names ?? []) {
    const parsed = parseHostname(name);
    if (parsed === null) continue;
    printed.add(parsed.fqdn ?? parsed.short);
    fqdns.add(parsed.fqdn);
    const long = parsed.short.length >= NETBIOS_LENGTH;
    if (side === "asset" && parsed.fqdn === null && parsed.short.length === NETBIOS_LENGTH) shorts.add(netbiosKey(parsed.short));
    else {
      shorts.add(parsed.short);
      if (side === "device" && long) shorts.add(netbiosKey(parsed.short));
    }
  }
  for (const mac of macs ?? []) macList.add(parseMac(mac));
  for (const address of addresses ?? []) ipList.add(parseIp(address));
  for (const address of moreAddresses ?? []) ipList.add(parseIp(address));
  return { names: printed.take(), macs: macList.take(), ips: ipList.take(), fqdns: fqdns.take(), shorts: shorts.take(), os: osFamilyOf(os) };
}
