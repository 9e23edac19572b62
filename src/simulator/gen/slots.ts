/**
 * Which story device `i` belongs to. Indexes are grouped in pairs (2p, 2p+1) so that
 * related records — a re-imaged host's old and new record, DHCP reuse, same-short-name
 * twins — stay a pure function of (seed, i) and sit next to each other in id order.
 */
import { rngAt } from "./rng.js";

/**
 * - `single`: an ordinary device.
 * - `dhcp-trap`: a laptop that left the office; its last LAN address now belongs to an
 *   unmanaged host the scanner sees (different MAC, different name).
 * - `duplicate-old` / `duplicate-new`: the same host before and after re-imaging; the old
 *   record stays Inactive with the same name and MAC (reference §7.5).
 * - `dhcp-old` / `dhcp-current`: a retired device whose `lastIpAddress` was handed by DHCP to
 *   the current device (the same `lastIpAddress` on two records).
 * - `twin-a` / `twin-b`: two hosts with the same short name in different DNS domains.
 */
export type Situation = "single" | "dhcp-trap" | "duplicate-old" | "duplicate-new" | "dhcp-old" | "dhcp-current" | "twin-a" | "twin-b";

/** Where index `i` sits: its story, its partner's index (for pairs) and whose host identity it carries. */
export interface Slot {
  readonly situation: Situation;
  readonly partner: number | null;
  /** Host index of the physical device: both records of a re-imaged host share the newer index. */
  readonly identity: number;
  /** Pair number (`i >> 1`). */
  readonly pair: number;
}

type PairKind = "none" | "duplicate" | "dhcp" | "twin";

/** Fixed specimens so that every story exists in any tenant of 20 devices or more. */
const FORCED_PAIRS: ReadonlyMap<number, PairKind> = new Map([
  [1, "duplicate"],
  [3, "dhcp"],
  [5, "twin"],
  [7, "duplicate"],
  [8, "none"],
]);
/** A forced `dhcp-trap` index (inside pair 8, which is forced to be no pair). */
const FORCED_TRAP = 17;

const SALT_PAIR = 0x9a1;
const SALT_TRAP = 0x7a2;

const pairKind = (seed: number, pair: number): PairKind =>
  FORCED_PAIRS.get(pair) ??
  rngAt(seed, pair, SALT_PAIR).weighted<PairKind>([
    ["duplicate", 4],
    ["dhcp", 2.5],
    ["twin", 1.5],
    ["none", 92],
  ]);

/** The slot of index `i` in a tenant of `count` devices. Indexes at or beyond `count` are singles. */
export const slotAt = (seed: number, count: number, i: number): Slot => {
  const pair = i >> 1;
  const even = (i & 1) === 0;
  const inRange = i < count && 2 * pair + 1 < count;
  const kind: PairKind = inRange ? pairKind(seed, pair) : "none";
  const partner = even ? i + 1 : i - 1;
  switch (kind) {
    case "duplicate":
      return { situation: even ? "duplicate-old" : "duplicate-new", partner, identity: 2 * pair + 1, pair };
    case "dhcp":
      return { situation: even ? "dhcp-old" : "dhcp-current", partner, identity: i, pair };
    case "twin":
      return { situation: even ? "twin-a" : "twin-b", partner, identity: i, pair };
    case "none": {
      const trap = i < count && (i === FORCED_TRAP || (i > FORCED_TRAP && rngAt(seed, i, SALT_TRAP).chance(0.015)));
      return { situation: trap ? "dhcp-trap" : "single", partner: null, identity: i, pair };
    }
  }
};
