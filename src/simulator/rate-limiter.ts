/**
 * Sliding-window call quotas per key (tenant + app id), as the machines API enforces them:
 * 100 calls per minute and 1,500 per hour by default (reference §5.1). Refused calls do not
 * count.
 */

/** Outcome of asking for a slot. */
export type Admission =
  { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number; readonly limit: number; readonly window: "00:01:00" | "01:00:00" };

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** Per-key sliding windows over the last minute and the last hour. */
export class RateLimiter {
  private readonly calls = new Map<string, number[]>();

  /** Quotas per key. */
  constructor(
    private readonly perMinute: number,
    private readonly perHour: number,
  ) {}

  /** Takes a slot for `key` at `nowMs`, or says how many whole seconds until one frees. */
  take(key: string, nowMs = Date.now()): Admission {
    const all = this.calls.get(key) ?? [];
    while (all.length > 0 && (all[0] ?? 0) <= nowMs - HOUR_MS) all.shift();
    this.calls.set(key, all);
    const refuse = (oldest: number, window: number, limit: number, name: "00:01:00" | "01:00:00"): Admission => ({
      ok: false,
      retryAfterSeconds: Math.max(1, Math.ceil((oldest + window - nowMs) / 1000)),
      limit,
      window: name,
    });
    const inMinute = all.filter((t) => t > nowMs - MINUTE_MS);
    if (inMinute.length >= this.perMinute) return refuse(inMinute[inMinute.length - this.perMinute] ?? nowMs, MINUTE_MS, this.perMinute, "00:01:00");
    if (all.length >= this.perHour) return refuse(all[all.length - this.perHour] ?? nowMs, HOUR_MS, this.perHour, "01:00:00");
    all.push(nowMs);
    return { ok: true };
  }

  /** Forgets every call (tests). */
  reset(): void {
    this.calls.clear();
  }
}
