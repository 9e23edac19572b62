/**
 * Timestamps as the machines API prints them: ISO 8601 UTC with 0–7 fractional digits,
 * trailing zeros trimmed (reference §3.3 `firstSeen`, §4 "Dates in responses").
 */
import type { Rng } from "./rng.js";

/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;
/** Milliseconds in an hour. */
export const HOUR_MS = 3_600_000;

/** The default data clock: a fixed instant so generated tenants never change. */
export const DEFAULT_NOW = "2025-06-02T08:00:00Z";

/**
 * Prints `ms` (epoch milliseconds) with `digits` (0–7) fractional digits; `sub` adds
 * 0–9999 ticks of 100 ns below the millisecond. Trailing zeros are trimmed, as observed.
 */
export const formatTimestamp = (ms: number, digits: number, sub = 0): string => {
  const whole = Math.floor(ms / 1000) * 1000;
  const base = new Date(whole).toISOString().slice(0, 19);
  const fraction = (String(ms - whole).padStart(3, "0") + String(sub).padStart(4, "0")).slice(0, digits).replace(/0+$/, "");
  return fraction === "" ? `${base}Z` : `${base}.${fraction}Z`;
};

/** A timestamp at `ms` with a random precision (mostly 6–7 digits, sometimes 3 or 0). */
export const randomTimestamp = (rng: Rng, ms: number): string =>
  formatTimestamp(
    ms,
    rng.weighted([
      [7, 45],
      [6, 25],
      [3, 20],
      [0, 5],
      [5, 5],
    ] as const),
    rng.int(10_000),
  );
