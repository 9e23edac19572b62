/**
 * Why a device group or an asset stayed unmatched, from what the candidate search and the
 * assignment recorded. The first that applies wins:
 * 1. frozen as ambiguous → `ambiguous-name` (at a name level) or `ambiguous-match`;
 * 2. had a candidate, all taken by stronger matches → `asset-taken` / `device-taken`;
 * 3. a pair was dropped for contradicting evidence → `contradiction`; an IP-only pair for a
 *    device that has not reported recently (two days; seven for a server edition) →
 *    `stale-address`; an IP-only pair for a device nothing shows on the asset's network →
 *    `off-site`;
 * 4. a common name was unusable → `ambiguous-name`;
 * 5. a common MAC or IP was unusable → `shared-key`;
 * 6. otherwise → `no-evidence`.
 */
import type { Assignment } from "./assign.js";
import { FLAG_AMBIGUOUS_NAME, FLAG_CONTRADICTED, FLAG_OFF_SITE, FLAG_SHARED_ADDRESS, FLAG_STALE, isNameLevel, type Candidates } from "./candidates.js";
import type { UnmatchedReason } from "./types.js";

/** The reason for one unmatched end. */
function reasonOf(frozenAt: number, hadCandidate: boolean, flags: number, taken: UnmatchedReason): UnmatchedReason {
  if (frozenAt !== 0) return isNameLevel(frozenAt) ? "ambiguous-name" : "ambiguous-match";
  if (hadCandidate) return taken;
  if ((flags & FLAG_CONTRADICTED) !== 0) return "contradiction";
  if ((flags & FLAG_STALE) !== 0) return "stale-address";
  if ((flags & FLAG_OFF_SITE) !== 0) return "off-site";
  if ((flags & FLAG_AMBIGUOUS_NAME) !== 0) return "ambiguous-name";
  if ((flags & FLAG_SHARED_ADDRESS) !== 0) return "shared-key";
  return "no-evidence";
}

/** Reasons for every unmatched group and asset (null for matched ones). `refused`: pair index → 1 for pairs a level's gate kept out (they count as no candidate). */
export function explain(
  candidates: Candidates,
  assignment: Assignment,
  refused?: Uint8Array,
): { groups: (UnmatchedReason | null)[]; assets: (UnmatchedReason | null)[] } {
  const groupCount = assignment.pairOfGroup.length;
  const assetCount = assignment.pairOfAsset.length;
  const groupHad = new Uint8Array(groupCount);
  const assetHad = new Uint8Array(assetCount);
  for (let i = 0; i < candidates.pairs.length; i++) {
    const pair = candidates.pairs[i];
    if (pair === undefined || refused?.[i] === 1) continue;
    groupHad[pair.group] = 1;
    assetHad[pair.asset] = 1;
  }
  const groups: (UnmatchedReason | null)[] = [];
  for (let g = 0; g < groupCount; g++) {
    groups.push(
      assignment.pairOfGroup[g] !== -1 ? null : reasonOf(assignment.frozenGroup[g] ?? 0, groupHad[g] === 1, candidates.groupFlags[g] ?? 0, "asset-taken"),
    );
  }
  const assets: (UnmatchedReason | null)[] = [];
  for (let a = 0; a < assetCount; a++) {
    assets.push(
      assignment.pairOfAsset[a] !== -1 ? null : reasonOf(assignment.frozenAsset[a] ?? 0, assetHad[a] === 1, candidates.assetFlags[a] ?? 0, "device-taken"),
    );
  }
  return { groups, assets };
}
