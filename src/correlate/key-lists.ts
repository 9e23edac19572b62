/**
 * The key ids of many members (device records, device groups or assets), six kinds each, in
 * one flat int32 store: no array or object per member. A member's lists are one segment,
 * written kind by kind in {@link KINDS} order; rewriting a member (a record merged with a later
 * one of the same id) writes a new segment and leaves the old one unused.
 */
import { grow } from "./key-index.js";

/** Kinds of keys, in the order a member's lists are written. */
export const MAC = 0;
export const IP = 1;
export const FQDN = 2;
export const SHORT = 3;
/** Composite (FQDN id, IP id) pairs, interned in a `PairTable`. */
export const FQDN_IP = 4;
/** Composite (short-name id, IP id) pairs, interned in a `PairTable`. */
export const SHORT_IP = 5;
/** Number of kinds. */
export const KINDS = 6;

/** Ints per member in `bounds`: the segment start, then the end of each kind. */
const STRIDE = KINDS + 1;

/** Per-member lists of key ids (see the module comment). */
export class KeyLists {
  private ids = new Int32Array(1024);
  private used = 0;
  private bounds = new Int32Array(STRIDE * 256);
  private writing = -1;
  private kind = 0;
  /** Number of members (highest member written + 1). */
  size = 0;

  /** Starts writing member `member`'s lists (a new segment); then `push` ids and `endKind` once per kind, in order. Throws once released. */
  open(member: number): void {
    if (this.bounds.length === 0) throw new Error("KeyLists: released");
    this.bounds = grow(this.bounds, member * STRIDE + KINDS, 0);
    this.bounds[member * STRIDE] = this.used;
    this.writing = member;
    this.kind = 0;
    if (member >= this.size) this.size = member + 1;
  }

  /** Appends `id` to the kind being written. */
  push(id: number): void {
    this.ids = grow(this.ids, this.used, 0);
    this.ids[this.used++] = id;
  }

  /** Ends the kind being written; the next `push` goes to the next kind. */
  endKind(): void {
    this.bounds[this.writing * STRIDE + 1 + this.kind++] = this.used;
  }

  /** Position after the last id written so far (for ranges being built). */
  get position(): number {
    return this.used;
  }

  /** Where member `member`'s ids of kind `kind` start. */
  start(member: number, kind: number): number {
    return this.bounds[member * STRIDE + kind] ?? 0;
  }

  /** Where member `member`'s ids of kind `kind` end (exclusive). */
  end(member: number, kind: number): number {
    return this.bounds[member * STRIDE + 1 + kind] ?? 0;
  }

  /** The id at position `at`. */
  at(at: number): number {
    return this.ids[at] ?? 0;
  }

  /** True when `id` is among positions `from … to-1`. */
  has(from: number, to: number, id: number): boolean {
    for (let i = from; i < to; i++) if (this.ids[i] === id) return true;
    return false;
  }

  /** Drops every list (their memory), once nothing reads them any more; the lists are empty afterwards and cannot be written. */
  release(): void {
    this.ids = new Int32Array(0);
    this.bounds = new Int32Array(0);
    this.used = 0;
    this.size = 0;
  }

  /** True when member `a` here and member `b` of `other` share an id of kind `kind` (lists are short). */
  intersects(a: number, other: KeyLists, b: number, kind: number): boolean {
    const end = this.end(a, kind);
    for (let i = this.start(a, kind); i < end; i++) if (other.has(other.start(b, kind), other.end(b, kind), this.at(i))) return true;
    return false;
  }
}
