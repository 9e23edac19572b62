/**
 * Dense ids for the distinct strings of one kind (MACs, IPs, FQDNs, short names, record ids),
 * in first-seen order. Open addressing with linear probing over an int32 table of ids, at most
 * half full; each id's 32-bit hash is cached, compared before the strings, and reused when the
 * table doubles, so that no string is hashed twice. On the short ASCII keys of a large tenant
 * (`scripts/correlate-scale.ts --mode=interner`, 7 million keys) this interns a new key about
 * 1.6× and a known one about 2.5× as fast as a `Map<string, number>`, in about 45% less memory.
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
  /** Slot → id, or EMPTY; a power of two long, at most half full. Dropped by `seal`. */
  private slots: Int32Array | undefined = new Int32Array(INITIAL_SLOTS).fill(EMPTY);
  /** Id → hash of its key. Dropped by `seal`. */
  private hashes: Int32Array | undefined = new Int32Array(INITIAL_SLOTS / 2);
  /** Id → string. */
  readonly keys: string[] = [];

  /** The id of `key`, created when new. Throws once sealed (a bug: every key is interned before the decision). */
  intern(key: string): number {
    const slots = this.slots;
    const hashes = this.hashes;
    if (slots === undefined || hashes === undefined) throw new Error("Interner: sealed");
    const hash = hashString(key);
    const mask = slots.length - 1;
    let at = hash & mask;
    for (;;) {
      const id = slots[at] ?? EMPTY;
      if (id === EMPTY) break;
      if (hashes[id] === hash && this.keys[id] === key) return id;
      at = (at + 1) & mask;
    }
    const id = this.keys.length;
    this.keys.push(key);
    slots[at] = id;
    if (id === hashes.length) this.hashes = grown(hashes);
    (this.hashes as Int32Array)[id] = hash;
    if (this.keys.length * 2 > slots.length) this.rehash(slots.length * 2);
    return id;
  }

  /** The id of `key`, or -1 when it was never interned. Throws once sealed. */
  find(key: string): number {
    const slots = this.slots;
    const hashes = this.hashes;
    if (slots === undefined || hashes === undefined) throw new Error("Interner: sealed");
    const hash = hashString(key);
    const mask = slots.length - 1;
    for (let at = hash & mask; ; at = (at + 1) & mask) {
      const id = slots[at] ?? EMPTY;
      if (id === EMPTY) return -1;
      if (hashes[id] === hash && this.keys[id] === key) return id;
    }
  }

  /** Number of distinct keys. */
  get size(): number {
    return this.keys.length;
  }

  /** Drops the table and the hashes (the lookup part); `keys` stays. No key can be interned or found afterwards. */
  seal(): void {
    this.slots = undefined;
    this.hashes = undefined;
  }

  /** Rebuilds the table with `length` slots from the cached hashes. */
  private rehash(length: number): void {
    const slots = new Int32Array(length).fill(EMPTY);
    const hashes = this.hashes as Int32Array;
    const mask = length - 1;
    for (let id = 0; id < this.keys.length; id++) {
      let at = (hashes[id] ?? 0) & mask;
      while (slots[at] !== EMPTY) at = (at + 1) & mask;
      slots[at] = id;
    }
    this.slots = slots;
  }
}

/** `values` in an array twice as long. */
function grown(values: Int32Array): Int32Array {
  const bigger = new Int32Array(values.length * 2);
  bigger.set(values);
  return bigger;
}
