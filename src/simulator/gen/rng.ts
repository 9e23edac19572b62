/**
 * Seeded, allocation-light randomness for the generator. Every value the simulated tenant
 * holds is drawn from an `Rng` seeded by `hash(seed, index, salt)`, so device `i` is a pure
 * function of its inputs and can be rebuilt in any order.
 */

/** murmur3's 32-bit finaliser. */
const fmix = (x: number): number => {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
};

/** Mixes integers (each up to 2^53) into one 32-bit seed. */
export const hash = (...parts: readonly number[]): number => {
  let h = 0x9e3779b9;
  for (const part of parts) {
    const low = part >>> 0;
    const high = Math.floor(part / 4294967296) >>> 0;
    h = fmix(h ^ fmix(low + 0x7f4a7c15));
    h = fmix(h ^ fmix(high + 0x2545f491));
  }
  return h;
};

/** A small deterministic generator (mulberry32) with the helpers the generator needs. */
export class Rng {
  private state: number;

  /** Starts from a 32-bit seed; use `rngAt` to derive one. */
  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Integer in [lo, hi], both included. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new RangeError("Rng.pick: empty list");
    return item;
  }

  /** One value of a `[value, weight]` table (weights need not sum to 1). */
  weighted<T>(table: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of table) total += w;
    let r = this.next() * total;
    for (const [value, w] of table) {
      r -= w;
      if (r < 0) return value;
    }
    const last = table[table.length - 1];
    if (last === undefined) throw new RangeError("Rng.weighted: empty table");
    return last[0];
  }

  /** `n` uppercase hex digits. */
  hex(n: number): string {
    let s = "";
    while (s.length < n)
      s += Math.floor(this.next() * 4294967296)
        .toString(16)
        .padStart(8, "0");
    return s.slice(0, n).toUpperCase();
  }

  /** A lowercase GUID (version-4 shaped). */
  guid(): string {
    const h = this.hex(32).toLowerCase();
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${"89ab"[this.int(4)]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}

/** The generator for one purpose (`salt`) of one device (`index`) of one tenant (`seed`). */
export const rngAt = (seed: number, index: number, salt: number): Rng => new Rng(hash(seed, index, salt));
