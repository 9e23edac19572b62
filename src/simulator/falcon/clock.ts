/**
 * The simulator's clock: token and scroll expiry, rate windows and `expires_at` read it, so
 * a test can move time forward (`advance`) instead of waiting.
 */

/** A clock that can be moved forward. */
export class SimClock {
  private offsetMs = 0;

  /** Reads `base` (default `Date.now`) plus the advance so far. */
  constructor(private readonly base: () => number = Date.now) {}

  /** Epoch ms. */
  now(): number {
    return this.base() + this.offsetMs;
  }

  /** Moves time forward by `ms`. */
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
