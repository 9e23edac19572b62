/** Random machine ids for tests: 40 lowercase hex, evenly spread over the id range as SHA-1 style ids are. */
import type { Rng } from "../../../src/simulator/gen/rng.js";

/** `count` distinct random machine ids, in ascending order (as the API lists them since 2024). */
export const sortedMachineIds = (rng: Rng, count: number): string[] => {
  const ids = new Set<string>();
  while (ids.size < count) ids.add(rng.hex(40).toLowerCase());
  return [...ids].sort();
};
