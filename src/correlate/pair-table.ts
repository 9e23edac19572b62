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
  private firsts = new Int32Array(1024);
  private seconds = new Int32Array(1024);
  private table = new Int32Array(2048).fill(-1);
  private count = 0;

  /** Number of distinct pairs; ids are `0 … size-1`. */
  get size(): number {
    return this.count;
  }

  /** The id of the pair (`first`, `second`), created when new. */
  intern(first: number, second: number): number {
    const mask = this.table.length - 1;
    let at = home(first, second, mask);
    for (;;) {
      const id = this.table[at] ?? -1;
      if (id === -1) break;
      if (this.firsts[id] === first && this.seconds[id] === second) return id;
      at = (at + 1) & mask;
    }
    const id = this.count++;
    this.firsts = grow(this.firsts, id, 0);
    this.seconds = grow(this.seconds, id, 0);
    this.firsts[id] = first;
    this.seconds[id] = second;
    this.table[at] = id;
    if (this.count * 2 > this.table.length) {
      this.table = new Int32Array(this.table.length * 2).fill(-1);
      const bigger = this.table.length - 1;
      for (let i = 0; i < this.count; i++) {
        let slot = home(this.firsts[i] ?? 0, this.seconds[i] ?? 0, bigger);
        while (this.table[slot] !== -1) slot = (slot + 1) & bigger;
        this.table[slot] = i;
      }
    }
    return id;
  }

  /** Drops every pair (their memory), once nothing reads them any more; the table is empty afterwards. */
  release(): void {
    this.firsts = new Int32Array(1024);
    this.seconds = new Int32Array(1024);
    this.table = new Int32Array(2048).fill(-1);
    this.count = 0;
  }

  /** The first value of pair `id`. */
  first(id: number): number {
    return this.firsts[id] ?? -1;
  }

  /** The second value of pair `id`. */
  second(id: number): number {
    return this.seconds[id] ?? -1;
  }
}
