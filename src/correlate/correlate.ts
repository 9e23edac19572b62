/**
 * Correlation: which scanned asset each source device is, with the reason for every decision.
 * Pure; called once per run by each probe with every device it read and every asset the scan
 * found, or fed device by device through `createCorrelator` (`correlator.ts`), which this uses.
 *
 * Steps (each in its own module):
 * 1. parse identifiers and intern every key to a dense id per kind, assets first, then each
 *    device as it arrives; records with the same id merged (`records.ts`, `key-space.ts`,
 *    `key-lists.ts`, via `evidence.ts`, `mac.ts`, `ip.ts`, `hostname.ts`);
 * then, once every device is in (`decide.ts`), on ids only:
 * 2. group records of one physical device (`duplicates.ts`) and collect each group's keys
 *    (`group-keys.ts`);
 * 3. index who carries every key on both sides (`indexes.ts`) and keep pairs joined by keys that
 *    identify exactly one device and one asset, with their evidence level (`candidates.ts`);
 * 4. assign matches strongest level first, freezing ambiguity (`assign.ts`); before the last
 *    level (an IP alone), keep only the pairs whose device was on the asset's network, judged
 *    from the stronger matches (`site-evidence.ts`);
 * 5. explain what stayed unmatched (`explain.ts`) and build the result (`result.ts`).
 *
 * Cost is linear in the number of identifiers (hash indexes only; a few small per-device
 * sorts). The result does not depend on input order.
 */
import { createCorrelator } from "./correlator.js";
import { IP_FRESHNESS_MS, SERVER_IP_FRESHNESS_MS } from "./decide.js";
import type { AssetEvidence, CorrelationResult, SourceDevice } from "./types.js";

export { IP_FRESHNESS_MS, SERVER_IP_FRESHNESS_MS };

/**
 * Matches source devices to scanned assets.
 *
 * Rules, strongest first: a MAC; a name and an IP together (FQDN, short name whatever the DNS
 * suffix, then NetBIOS name); a name (FQDN, then short name; a NetBIOS name never alone); an IP
 * alone when names, MACs and OS families do not contradict it, the device reported within
 * {@link IP_FRESHNESS_MS} of the newest report in the data ({@link SERVER_IP_FRESHNESS_MS} on a
 * server edition, whose address is assigned, not leased), and something shows it was on the
 * network the asset was found in (its tunnel, its egress, its subnet's other matches: see
 * `site-evidence.ts`). Only keys that exactly one physical device and exactly one asset carry
 * can match; a key carried by several (a VPN adapter's MAC on every laptop, a Docker bridge
 * address on every Linux host) identifies none of them.
 * Records of one physical device (linked by `mergedIntoId`, or the same name with the same
 * hardware) all match the asset of that device; the newest `lastSeen` is `live`.
 *
 * Never throws on any input short of the engine's limits (a JavaScript Map, as the result's
 * maps are, holds about 16.7 million entries).
 */
export function correlate(devices: readonly SourceDevice[], assets: readonly AssetEvidence[]): CorrelationResult {
  const correlator = createCorrelator(assets);
  for (const device of devices) correlator.addDevice(device);
  return correlator.finish();
}
