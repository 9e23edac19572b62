/**
 * Turns candidate pairs into matches, strongest level first, one device group per asset and
 * one asset per device group.
 *
 * At each level, only pairs whose two ends are still free count. They form a graph; a
 * component that is a single pair between two ends that were never ambiguous becomes a match.
 * Every end in any other component (a device pointing at two assets, an asset pointed at by two
 * devices, or a chain of these) is frozen as ambiguous: weaker evidence found later cannot
 * decide what stronger evidence could not. An end whose stronger pairs all went to others
 * ("taken") stays free for weaker levels.
 *
 * Before each level, `gate` (when given) may return a test that a pair of that level must pass
 * to count at all, decided on the matches made so far (see `site-evidence.ts`).
 *
 * Decisions depend only on the set of pairs, never on their order. Cost: linear in pairs.
 */
import { LEVELS, type Candidate, type Level } from "./candidates.js";
import { UnionFind } from "./union-find.js";

/** What the levels decided. */
export interface Assignment {
  /** Group index → index of its matching pair in `pairs`, or -1. */
  readonly pairOfGroup: Int32Array;
  /** Asset index → index of its matching pair in `pairs`, or -1. */
  readonly pairOfAsset: Int32Array;
  /** Group index → level at which it was frozen as ambiguous, 0 if never. */
  readonly frozenGroup: Uint8Array;
  /** Asset index → level at which it was frozen as ambiguous, 0 if never. */
  readonly frozenAsset: Uint8Array;
}

/** Called before each level with the matches so far (group → pair index or -1, asset → pair index or -1); returns the test that level's pairs must pass, or undefined. */
export type LevelGate = (level: Level, pairOfGroup: Int32Array, pairOfAsset: Int32Array) => ((pair: number) => boolean) | undefined;

/** Assigns matches (see the module comment). */
export function assign(groupCount: number, assetCount: number, pairs: readonly Candidate[], gate?: LevelGate): Assignment {
  const pairOfGroup = new Int32Array(groupCount).fill(-1);
  const pairOfAsset = new Int32Array(assetCount).fill(-1);
  const frozenGroup = new Uint8Array(groupCount);
  const frozenAsset = new Uint8Array(assetCount);

  const byLevel = new Map<Level, number[]>(LEVELS.map((level) => [level, []]));
  pairs.forEach((pair, i) => byLevel.get(pair.level)?.push(i));

  // Nodes: groups 0…groupCount-1, then assets.
  const sets = new UnionFind(groupCount + assetCount);
  const degree = new Int32Array(groupCount + assetCount);
  const spoiled = new Uint8Array(groupCount + assetCount);

  for (const level of LEVELS) {
    const active: number[] = [];
    const admit = gate?.(level, pairOfGroup, pairOfAsset);
    for (const i of byLevel.get(level) ?? []) {
      const pair = pairs[i];
      if (pair !== undefined && pairOfGroup[pair.group] === -1 && pairOfAsset[pair.asset] === -1 && (admit === undefined || admit(i))) active.push(i);
    }
    for (const i of active) {
      const pair = pairs[i] as Candidate;
      const a = groupCount + pair.asset;
      degree[pair.group] = (degree[pair.group] ?? 0) + 1;
      degree[a] = (degree[a] ?? 0) + 1;
      sets.union(pair.group, a);
    }
    for (const i of active) {
      const pair = pairs[i] as Candidate;
      const a = groupCount + pair.asset;
      if ((degree[pair.group] ?? 0) > 1 || (degree[a] ?? 0) > 1 || frozenGroup[pair.group] !== 0 || frozenAsset[pair.asset] !== 0)
        spoiled[sets.find(pair.group)] = 1;
    }
    for (const i of active) {
      const pair = pairs[i] as Candidate;
      if (spoiled[sets.find(pair.group)] === 0) {
        pairOfGroup[pair.group] = i;
        pairOfAsset[pair.asset] = i;
      } else {
        if (frozenGroup[pair.group] === 0) frozenGroup[pair.group] = level;
        if (frozenAsset[pair.asset] === 0) frozenAsset[pair.asset] = level;
      }
    }
    for (const i of active) spoiled[sets.find((pairs[i] as Candidate).group)] = 0;
    for (const i of active) {
      const pair = pairs[i] as Candidate;
      const a = groupCount + pair.asset;
      degree[pair.group] = 0;
      degree[a] = 0;
      sets.reset(pair.group);
      sets.reset(a);
    }
  }
  return { pairOfGroup, pairOfAsset, frozenGroup, frozenAsset };
}
