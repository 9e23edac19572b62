/**
 * Dense ids for the distinct strings of one kind (MACs, IPs, FQDNs, short names, record ids),
 * in first-seen order. Open addressing with linear probing over an int32 table, at most half
 * full, each slot holding its key's 32-bit hash beside its id: the hash is compared before the
 * string, in the slot's own cache line, and reused when the table doubles, so that no string
 * is hashed twice. On the short ASCII keys of a large tenant this is faster and smaller than a
 * `Map<string, number>` (`scripts/correlate-scale.ts --mode=interner`; numbers in
 * docs/benchmark.md). The keys stay strings: packed into bytes they took less heap, but a
 * run's peak memory did not move (docs/benchmark.md).
 */

/** An empty slot. */
const EMPTY = -1;
/** Slots of a new table (a power of two). */
const INITIAL_SLOTS = 1024;

/**
 * A 32-bit hash of `text`: FNV-1a over its UTF-16 code units, then the murmur3 finaliser, so
 * that the low bits (which pick the slot) depend on every character.
 */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  return hash ^ (hash >>> 16);
}

/** Dense ids for the distinct strings of one kind, in first-seen order (see the module comment). */
export class Interner {
  /**
   * Two int32 per slot, its key's hash and then its id (or EMPTY): a power of two slots long,
   * at most half full. The hash beside the id is compared in the same cache line as the slot,
   * so a probe past another key touches nothing else. Dropped by `seal`.
   */
  private slots: Int32Array | undefined = new Int32Array(2 * INITIAL_SLOTS).fill(EMPTY);
  /** Id → string. */
  readonly keys: string[] = [];

  /** The id of `key`, created when new. Throws once sealed (a bug: every key is interned before the decision). */
  intern(key: string): number {
    const slots = this.slots;
    if (slots === undefined) throw new Error("Interner: sealed");
    const hash = hashString(key);
    const mask = (slots.length >> 1) - 1;
    let at = hash & mask;
    for (;;) {
      const id = slots[2 * at + 1] ?? EMPTY;
      if (id === EMPTY) break;
      if (slots[2 * at] === hash && this.keys[id] === key) return id;
      at = (at + 1) & mask;
    }
    const id = this.keys.length;
    this.keys.push(key);
    slots[2 * at] = hash;
    slots[2 * at + 1] = id;
    if (this.keys.length * 2 > mask + 1) this.rehash(2 * (mask + 1));
    return id;
  }

  /** The id of `key`, or -1 when it was never interned. Throws once sealed. */
  find(key: string): number {
    const slots = this.slots;
    if (slots === undefined) throw new Error("Interner: sealed");
    const hash = hashString(key);
    const mask = (slots.length >> 1) - 1;
    for (let at = hash & mask; ; at = (at + 1) & mask) {
      const id = slots[2 * at + 1] ?? EMPTY;
      if (id === EMPTY) return -1;
      if (slots[2 * at] === hash && this.keys[id] === key) return id;
    }
  }

  /** Number of distinct keys. */
  get size(): number {
    return this.keys.length;
  }

  /** Drops the table (the lookup part); `keys` stays. No key can be interned or found afterwards. */
  seal(): void {
    this.slots = undefined;
  }

  /** Drops the table and the keys (their memory), once nothing reads them any more: the interner is empty and sealed afterwards. */
  release(): void {
    this.slots = undefined;
    this.keys.length = 0;
  }

  /** Rebuilds the table with `count` slots from the hashes kept in the slots. */
  private rehash(count: number): void {
    const old = this.slots as Int32Array;
    const slots = new Int32Array(2 * count).fill(EMPTY);
    const mask = count - 1;
    for (let from = 0; from < old.length; from += 2) {
      const id = old[from + 1] ?? EMPTY;
      if (id === EMPTY) continue;
      const hash = old[from] ?? 0;
      let at = hash & mask;
      while (slots[2 * at + 1] !== EMPTY) at = (at + 1) & mask;
      slots[2 * at] = hash;
      slots[2 * at + 1] = id;
    }
    this.slots = slots;
  }
}
