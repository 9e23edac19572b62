/**
 * Machine ids: 40 lowercase hex, increasing with the device index so that "order by id"
 * is index order and a page can be built without sorting the tenant. The first 10 hex
 * digits spread the indexes evenly over the id space; the rest is random.
 */
import { rngAt } from "./rng.js";

const ID_SPACE = 2 ** 40;
const SALT_ID = 0x1d;

/** The id of device `i` in a tenant of `count` devices. Strictly increasing in `i` for `i < count`. */
export const idAt = (seed: number, count: number, i: number): string => {
  const rng = rngAt(seed, i, SALT_ID);
  const step = Math.floor(ID_SPACE / Math.max(count, 1));
  const prefix = i * step + Math.floor(rng.next() * step);
  const head = i < count && prefix < ID_SPACE ? prefix.toString(16).padStart(10, "0") : rng.hex(10).toLowerCase();
  return head + rng.hex(30).toLowerCase();
};

/**
 * `n` ids strictly between `low` and `high` (exclusive; either may be null for "no bound"),
 * for devices that appear in the middle of a listing (offset drift).
 */
export const idsBetween = (low: string | null, high: string | null, n: number): string[] => {
  const lo = low === null ? 0n : BigInt(`0x${low}`);
  const hi = high === null ? 16n ** 40n : BigInt(`0x${high}`);
  const step = (hi - lo) / BigInt(n + 1);
  const ids: string[] = [];
  for (let k = 1; k <= n; k++) ids.push((lo + step * BigInt(k)).toString(16).padStart(40, "0"));
  return ids;
};
