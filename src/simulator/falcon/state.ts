/**
 * What every cloud's server and handler of one simulated Falcon customer share.
 */
import type { FalconApiClient } from "./auth.js";
import { TokenBook } from "./auth.js";
import type { SimClock } from "./clock.js";
import type { FalconFaultCursor } from "./faults.js";
import type { FalconKnobs } from "./knobs.js";
import type { PrerenderedPages } from "./prerender.js";
import { SlidingWindows } from "./rate-limit.js";
import type { Scrolls } from "./scrolls.js";
import type { FalconStats } from "./stats.js";
import type { HostStore } from "./store.js";

/** The shared state. */
export interface FalconState {
  readonly homeRegion: string;
  /** Region → origin, filled once every server listens. */
  readonly clouds: Record<string, string>;
  readonly clients: readonly FalconApiClient[];
  readonly store: HostStore;
  readonly tokens: TokenBook;
  readonly windows: SlidingWindows;
  readonly scrolls: Scrolls;
  readonly pages: PrerenderedPages;
  readonly knobs: FalconKnobs;
  readonly clock: SimClock;
  readonly stats: FalconStats;
  faults: FalconFaultCursor;
  /** Aborted on close (ends delays). */
  readonly closing: AbortSignal;
}

/** Fresh token book and windows (for `FalconState`). */
export const freshBooks = (): { tokens: TokenBook; windows: SlidingWindows } => ({ tokens: new TokenBook(), windows: new SlidingWindows() });
