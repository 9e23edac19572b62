/**
 * Sliding one-minute request windows per key (a CID, or a source IP for bad tokens and the
 * token endpoint), on the simulator's clock. Refused requests do not count.
 */

const MINUTE_MS = 60_000;

/** What a window says about one request. */
export interface WindowAnswer {
  readonly ok: boolean;
  readonly limit: number;
  /** Left in the window after this request. */
  readonly remaining: number;
  /** When refused: epoch ms at which a slot frees. */
  readonly retryAtMs: number;
}

/** Per-key sliding windows. */
export class SlidingWindows {
  private readonly calls = new Map<string, number[]>();

  /** Takes a slot for `key` at `nowMs` under `limit` per minute, or refuses. */
  take(key: string, limit: number, nowMs: number): WindowAnswer {
    const all = this.calls.get(key) ?? [];
    let drop = 0;
    while (drop < all.length && (all[drop] ?? 0) <= nowMs - MINUTE_MS) drop++;
    if (drop > 0) all.splice(0, drop);
    this.calls.set(key, all);
    if (all.length >= limit) return { ok: false, limit, remaining: 0, retryAtMs: (all[all.length - limit] ?? nowMs) + MINUTE_MS };
    all.push(nowMs);
    return { ok: true, limit, remaining: limit - all.length, retryAtMs: nowMs };
  }

  /** Forgets every call. */
  reset(): void {
    this.calls.clear();
  }
}
