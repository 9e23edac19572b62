/**
 * How a host's sensor is doing: `last_seen` spread (most within hours; a few stale, at least
 * eight days back), reduced functionality mode and containment. No host is placed within a
 * day of the seven-day staleness boundary, so a probe judging by its own clock minutes or
 * hours after the data clock reaches the same verdict as the truth.
 */
import type { Rng } from "../gen/rng.js";
import type { SensorState } from "./spec.js";

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** A host's staleness threshold, days (the probe's `inactiveAfterDays` default). */
export const INACTIVE_AFTER_DAYS = 7;

/** What state to give a host. */
export type SensorKind = "healthy" | "stale" | "rfm" | "contained";

/** A `last_seen` age for a reporting sensor: mostly hours, some up to 5 days. */
const freshAgeMs = (rng: Rng): number => (rng.chance(0.85) ? rng.int(12 * HOUR_MS) : 12 * HOUR_MS + rng.int(4.5 * DAY_MS));

/** A `last_seen` age for a stale sensor: 8 to 120 days. */
const staleAgeMs = (rng: Rng): number => 8 * DAY_MS + rng.int(112 * DAY_MS);

/** Draws a kind: 86 % healthy, 7 % stale, 4 % RFM, 3 % contained (or as `weights` says). */
export const drawKind = (rng: Rng, weights: readonly [number, number, number, number] = [86, 7, 4, 3]): SensorKind =>
  rng.weighted<SensorKind>([
    ["healthy", weights[0]],
    ["stale", weights[1]],
    ["rfm", weights[2]],
    ["contained", weights[3]],
  ]);

/** The sensor state of `kind` against the data clock `nowMs`, with `first_seen`. */
export const sensorOf = (rng: Rng, kind: SensorKind, nowMs: number): SensorState & { readonly firstSeenMs: number } => {
  const lastSeenMs = Math.floor((nowMs - (kind === "stale" ? staleAgeMs(rng) : freshAgeMs(rng))) / 1000) * 1000;
  const firstSeenMs = lastSeenMs - rng.range(1, 700) * DAY_MS - rng.int(DAY_MS);
  const status =
    kind === "contained"
      ? rng.weighted([
          ["contained", 80],
          ["containment_pending", 10],
          ["lift_containment_pending", 10],
        ])
      : "normal";
  return { lastSeenMs, firstSeenMs, rfm: kind === "rfm", status };
};
