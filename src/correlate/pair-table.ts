/**
 * Dense ids for pairs of ints (a name id and an IP id; a device group and an asset), so that a
 * composite key is two numbers, never a string built per occurrence. Open addressing over typed
 * arrays: nothing is allocated per pair.
 */
import { grow } from "./key-index.js";

/** The home slot of a pair in a table of `mask + 1` slots. */
function home(first: number, second: number, mask: number): number {
  const h = Math.imul(first, 0x9e3779b1) ^ Math.imul(second + 0x7f4a7c15, 0x85ebca6b);
  return (h ^ (h >>> 15)) & mask;
}

/** Dense ids for pairs of non-negative int32 values, in first-seen order (open addressing, no allocation per pair). */
export class PairTable {
  /** Pair `id`'s two values at `2 * id` and `2 * id + 1`. */
  private pairs = new Int32Array(2048);
  /**
   * Two int32 per slot, its pair's first value and then its id (-1: empty), a power of two
   * slots long, at most half full: a probe past another pair compares its first value in the
   * slot's own cache line and reads nothing else.
   */
  private table = new Int32Array(2 * 2048).fill(-1);
  private count = 0;

  /** Number of distinct pairs; ids are `0 … size-1`. */
  get size(): number {
    return this.count;
  }

  /** The id of the pair (`first`, `second`), created when new. */
  intern(first: number, second: number): number {
    const table = this.table;
    const mask = (table.length >> 1) - 1;
    let at = home(first, second, mask);
    for (;;) {
      const id = table[2 * at + 1] ?? -1;
      if (id === -1) break;
      if (table[2 * at] === first && this.pairs[2 * id + 1] === second) return id;
      at = (at + 1) & mask;
    }
    const id = this.count++;
    this.pairs = grow(this.pairs, 2 * id + 1, 0);
    this.pairs[2 * id] = first;
    this.pairs[2 * id + 1] = second;
    table[2 * at] = first;
    table[2 * at + 1] = id;
    if (this.count * 2 > mask + 1) this.rehash(2 * (mask + 1));
    return id;
  }

  /** The id of the pair (`first`, `second`), or -1 when it was never interned. */
  find(first: number, second: number): number {
    const table = this.table;
    const mask = (table.length >> 1) - 1;
    for (let at = home(first, second, mask); ; at = (at + 1) & mask) {
      const id = table[2 * at + 1] ?? -1;
      if (id === -1) return -1;
      if (table[2 * at] === first && this.pairs[2 * id + 1] === second) return id;
    }
  }

  /** Rebuilds the table with `slots` slots. */
  private rehash(slots: number): void {
    const table = new Int32Array(2 * slots).fill(-1);
    const mask = slots - 1;
    for (let id = 0; id < this.count; id++) {
      const first = this.pairs[2 * id] ?? 0;
      let at = home(first, this.pairs[2 * id + 1] ?? 0, mask);
      while (table[2 * at + 1] !== -1) at = (at + 1) & mask;
      table[2 * at] = first;
      table[2 * at + 1] = id;
    }
    this.table = table;
  }

  /** Drops every pair (their memory), once nothing reads them any more; the table is empty afterwards. */
  release(): void {
    this.pairs = new Int32Array(2048);
    this.table = new Int32Array(2 * 2048).fill(-1);
    this.count = 0;
  }

  /** The first value of pair `id`. */
  first(id: number): number {
    return id >= 0 && id < this.count ? (this.pairs[2 * id] ?? -1) : -1;
  }

  /** The second value of pair `id`. */
  second(id: number): number {
    return id >= 0 && id < this.count ? (this.pairs[2 * id + 1] ?? -1) : -1;
  }
}
