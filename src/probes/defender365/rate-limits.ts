/**
 * The Defender API's documented request limits: 100 calls a minute and 1,500 an hour per
 * application and tenant.
 *
 * Vendor doc: https://learn.microsoft.com/defender-endpoint/api/get-machines (Limitations)
 */
import type { Window } from "../../contract.js";

/** The documented machine-list limits, with one second of slack per window for clock skew. */
export const DEFENDER_LIMITS: readonly Window[] = [
  { calls: 100, ms: 61_000 },
  { calls: 1_500, ms: 3_601_000 },
];
