/**
 * The tenant's current device listing in id order: the generated devices, minus devices
 * removed and plus devices inserted by drift faults. Records are built on demand; only the
 * edits are held in memory. Also caches the positions matching a `$filter`.
 */
import type { GeneratedTenant } from "./generate.js";
import { idsBetween } from "./gen/ids.js";

type Segment = { readonly kind: "base"; readonly from: number; readonly to: number } | { readonly kind: "extra"; readonly machine: Record<string, unknown> };

const segmentLength = (s: Segment): number => (s.kind === "base" ? s.to - s.from : 1);

const FILTER_CACHE_SIZE = 8;

/** The listing. Positions are 0-based in id order. */
export class TenantView {
  private segments: Segment[];
  private total: number;
  private extras = 0;
  private readonly filterCache = new Map<string, { readonly version: number; readonly positions: Uint32Array }>();
  /** Bumped on every change; cached filter results of an older version are dropped. */
  version = 0;

  /** Starts with every generated device. */
  constructor(private readonly tenant: GeneratedTenant) {
    this.segments = tenant.count > 0 ? [{ kind: "base", from: 0, to: tenant.count }] : [];
    this.total = tenant.count;
  }

  /** Number of devices listed now. */
  get size(): number {
    return this.total;
  }

  /** Records at positions [start, end), in order. */
  slice(start: number, end: number): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    let offset = 0;
    const stop = Math.min(end, this.total);
    for (const s of this.segments) {
      const len = segmentLength(s);
      if (offset + len > start && offset < stop) {
        if (s.kind === "extra") out.push(structuredClone(s.machine));
        else for (let k = Math.max(start - offset, 0); k < Math.min(stop - offset, len); k++) out.push(this.tenant.machineAt(s.from + k));
      }
      offset += len;
      if (offset >= stop) break;
    }
    return out;
  }

  /** The record at `position`, or undefined past the end. */
  at(position: number): Record<string, unknown> | undefined {
    return this.slice(position, position + 1)[0];
  }

  private idAt(position: number): string | null {
    if (position < 0 || position >= this.total) return null;
    let offset = 0;
    for (const s of this.segments) {
      const len = segmentLength(s);
      if (position < offset + len) return s.kind === "extra" ? String(s.machine["id"]) : this.tenant.idAt(s.from + position - offset);
      offset += len;
    }
    return null;
  }

  /** Cuts the segment list so that a boundary falls at `position`; returns the index of the segment starting there. */
  private split(position: number): number {
    let offset = 0;
    for (let k = 0; k < this.segments.length; k++) {
      const s = this.segments[k];
      if (s === undefined) break;
      if (offset === position) return k;
      const len = segmentLength(s);
      if (s.kind === "base" && position < offset + len) {
        const cut = s.from + position - offset;
        this.segments.splice(k, 1, { kind: "base", from: s.from, to: cut }, { kind: "base", from: cut, to: s.to });
        return k + 1;
      }
      offset += len;
    }
    return this.segments.length;
  }

  /**
   * Offset drift just before `position`: removes the `remove` devices listed before it and
   * inserts `insert` new devices there (ids sorting between their neighbours). A client
   * paging with `$skip` then skips `remove − insert` devices or sees some twice.
   */
  drift(position: number, insert: number, remove: number): void {
    const cut = Math.min(Math.max(position, 0), this.total);
    const from = Math.max(cut - remove, 0);
    const k1 = this.split(from);
    const k2 = this.split(cut);
    this.segments.splice(k1, k2 - k1);
    this.total -= cut - from;
    const ids = idsBetween(this.idAt(from - 1), this.idAt(from), insert);
    const added: Segment[] = ids.map((id) => ({ kind: "extra", machine: { ...this.tenant.extraMachine(this.extras++), id } }));
    this.segments.splice(k1, 0, ...added);
    this.total += added.length;
    this.segments = this.segments.filter((s) => segmentLength(s) > 0);
    this.version += 1;
  }

  /** Positions (ascending) whose record satisfies `predicate`; cached per `key` until the listing changes. */
  positionsWhere(key: string, predicate: (machine: Record<string, unknown>) => boolean): Uint32Array {
    const hit = this.filterCache.get(key);
    if (hit !== undefined && hit.version === this.version) return hit.positions;
    const found: number[] = [];
    const chunk = 4096;
    for (let start = 0; start < this.total; start += chunk) {
      this.slice(start, start + chunk).forEach((m, k) => {
        if (predicate(m)) found.push(start + k);
      });
    }
    const positions = Uint32Array.from(found);
    this.filterCache.set(key, { version: this.version, positions });
    if (this.filterCache.size > FILTER_CACHE_SIZE) this.filterCache.delete(this.filterCache.keys().next().value ?? key);
    return positions;
  }

  /** The record with this id (binary search: ids ascend with position), or undefined. */
  findById(id: string): Record<string, unknown> | undefined {
    const target = id.toLowerCase();
    let lo = 0;
    let hi = this.total - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const at = this.idAt(mid) ?? "";
      if (at === target) return this.at(mid);
      if (at < target) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  /** Every record (small tenants and tests). */
  all(): Record<string, unknown>[] {
    return this.slice(0, this.total);
  }
}
