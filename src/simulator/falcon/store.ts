/**
 * The live host set of a simulated customer: the generated hosts, hosts added and hidden
 * while it runs, and listings of it (filtered and sorted) by position. Without filter,
 * changes or another sort, a listing is the generated hosts in index order and costs
 * nothing; otherwise its order is built once per (change, filter, sort) and kept, so a
 * scroll that started before a change keeps reading the listing it started on (a scroll is a
 * snapshot) while a `next` token, which holds a position, sees the change.
 */
import type { GeneratedFalconHosts } from "./generate.js";
import { deviceIdBetween } from "./ids.js";
import { hostRecord, tenantIds } from "./record.js";
import type { TenantIds } from "./record.js";
import type { HostSpec } from "./spec.js";
import { syntheticSpec } from "./synthetic.js";
import type { HostFilter } from "./fql.js";
import type { HostSort } from "./sort.js";

/** A host by reference: an index below `count` is generated, above it an added host. */
export type HostRef = number;

/** Hosts of a listing by position. */
export interface Listing {
  readonly length: number;
  at(position: number): HostRef;
}

const KEPT_LISTINGS = 16;

/** A field's value as a sort key; missing, null and structured values sort last. */
const sortKey = (value: unknown): string => (typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? String(value) : "\uffff");

/** The live host set. */
export class HostStore {
  readonly ids: TenantIds;
  private readonly added: HostSpec[] = [];
  private readonly hidden = new Set<HostRef>();
  /** Visible refs in device-id order, or null while nothing changed (then it is 0..count-1). */
  private order: HostRef[] | null = null;
  private version = 0;
  private readonly listings = new Map<string, Listing>();

  /** Serves `generated`. */
  constructor(readonly generated: GeneratedFalconHosts) {
    this.ids = tenantIds(generated.seed);
  }

  /** The decided host `ref`. */
  specOf(ref: HostRef): HostSpec {
    if (ref < this.generated.count) return this.generated.specAt(ref);
    const s = this.added[ref - this.generated.count];
    if (s === undefined) throw new RangeError(`no host ${ref}`);
    return s;
  }

  /** Host `ref` as the API prints it. */
  recordOf(ref: HostRef): Record<string, unknown> {
    const record = hostRecord(this.specOf(ref), this.ids);
    if (this.hidden.has(ref)) record["host_hidden_status"] = "hidden";
    return record;
  }

  /** The host with `id` (hidden or not), or null. Generated ids increase with the index: a binary search. */
  find(id: string): HostRef | null {
    let lo = 0;
    let hi = this.generated.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const at = this.generated.idAt(mid);
      if (at === id) return mid;
      if (at < id) lo = mid + 1;
      else hi = mid - 1;
    }
    const k = this.added.findIndex((s) => s.id === id);
    return k < 0 ? null : this.generated.count + k;
  }

  /** Bumped by every change to the host set. */
  get changes(): number {
    return this.version;
  }

  /** Whether `ref` is hidden. */
  isHidden(ref: HostRef): boolean {
    return this.hidden.has(ref);
  }

  private visible(): HostRef[] {
    if (this.order === null) this.order = Array.from({ length: this.generated.count }, (_, i) => i);
    return this.order;
  }

  private changed(): void {
    this.version += 1;
    this.listings.clear();
  }

  /** Adds a new healthy host at `position` of the device-id order of visible hosts (its id between its neighbours); returns its id. */
  addAt(position: number): string {
    const order = this.visible();
    const p = Math.max(0, Math.min(position, order.length));
    const before = p > 0 ? this.specOf(order[p - 1] ?? 0).id : null;
    const after = p < order.length ? this.specOf(order[p] ?? 0).id : null;
    const k = this.added.length;
    const template = syntheticSpec(this.generated.seed + 7_919, 1_000_000, Date.parse(this.generated.now), k);
    const spec: HostSpec = {
      ...template,
      id: deviceIdBetween(before, after),
      lastSeenMs: Date.parse(this.generated.now) - 60_000,
      rfm: false,
      status: "normal",
      localIp: `100.127.${Math.floor(k / 256) % 256}.${k % 256}`,
    };
    this.added.push(spec);
    order.splice(p, 0, this.generated.count + k);
    this.changed();
    return spec.id;
  }

  /** Hides the visible host at `position` (as `hide_host` does); returns its id, or null when there is none. */
  hideAt(position: number): string | null {
    const order = this.visible();
    const ref = order[position];
    if (ref === undefined) return null;
    order.splice(position, 1);
    this.hidden.add(ref);
    this.changed();
    return this.specOf(ref).id;
  }

  /** Hides the host `id`; false when unknown or already hidden. */
  hide(id: string): boolean {
    const ref = this.find(id);
    if (ref === null || this.hidden.has(ref)) return false;
    const order = this.visible();
    const p = order.indexOf(ref);
    return p >= 0 && this.hideAt(p) !== null;
  }

  /** Visible hosts (or hidden ones) matching `filter`, in `sort` order. `key` names filter and sort for the cache. */
  listing(key: string, filter: HostFilter | null, sort: HostSort, hidden = false): Listing {
    const cacheKey = `${this.version}|${hidden ? "h" : "v"}|${key}`;
    const kept = this.listings.get(cacheKey);
    if (kept !== undefined) return kept;
    const made = this.build(filter, sort, hidden);
    if (this.listings.size >= KEPT_LISTINGS) this.listings.clear();
    this.listings.set(cacheKey, made);
    return made;
  }

  private build(filter: HostFilter | null, sort: HostSort, hidden: boolean): Listing {
    const plain = !hidden && filter === null && sort.field === "device_id";
    if (plain && this.order === null) {
      const n = this.generated.count;
      return { length: n, at: (p) => (sort.descending ? n - 1 - p : p) };
    }
    let refs: HostRef[] = hidden ? [...this.hidden].sort((a, b) => (this.specOf(a).id < this.specOf(b).id ? -1 : 1)) : [...this.visible()];
    if (filter !== null) refs = refs.filter((r) => filter(this.recordOf(r)));
    if (sort.field !== "device_id") {
      const keyOf = new Map(refs.map((r) => [r, sortKey(this.recordOf(r)[sort.field])]));
      refs.sort((a, b) => {
        const ka = keyOf.get(a) ?? "";
        const kb = keyOf.get(b) ?? "";
        return ka < kb ? -1 : ka > kb ? 1 : a - b;
      });
    }
    if (sort.descending) refs.reverse();
    return { length: refs.length, at: (p) => refs[p] ?? -1 };
  }
}
